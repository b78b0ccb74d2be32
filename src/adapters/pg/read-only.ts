// The one way capture reads a database: a REPEATABLE READ, READ ONLY transaction with statement and lock timeouts.
import type pg from 'pg';

export interface ReadOnlyLimits {
  statementTimeoutMs: number;
  lockTimeoutMs: number;
}

/** Runs `fn` in a read-only transaction that cannot write, wait long for a lock, or run away; always ends it. */
export async function inReadOnlyTransaction<T>(client: pg.ClientBase, limits: ReadOnlyLimits, fn: () => Promise<T>): Promise<T> {
  await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
  try {
    // SET LOCAL: the limits die with the transaction, so a pooled connection is never left altered.
    await client.query(`SET LOCAL statement_timeout = ${Math.trunc(limits.statementTimeoutMs)}`);
    await client.query(`SET LOCAL lock_timeout = ${Math.trunc(limits.lockTimeoutMs)}`);
    const result = await fn();
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  }
}
