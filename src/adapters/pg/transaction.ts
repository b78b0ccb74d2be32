// The one transaction helper: BEGIN, run, COMMIT; ROLLBACK on any error, so no caller leaves a session mid-transaction.
import type pg from 'pg';

export async function withTransaction<T>(client: pg.ClientBase, fn: () => Promise<T>, begin = 'BEGIN'): Promise<T> {
  await client.query(begin);
  try {
    const result = await fn();
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  }
}
