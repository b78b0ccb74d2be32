// Exact row counts, in parallel on a few connections, each bounded by a timeout, optionally all inside
// one exported snapshot (so the counts describe the same instant as a snapshot or a pg_dump).
import type { QueryResult } from 'pg';
import { connect } from './client.ts';
import { qualifiedName, tableKey } from './tables.ts';

export type CountOutcome = { ok: true; rows: number } | { ok: false; reason: string; code: string | undefined };

export interface CountOptions {
  /** A snapshot id from pg_export_snapshot(): every count sees exactly that state. */
  snapshotId?: string | undefined;
  concurrency: number;
  /** Per-table statement_timeout. */
  timeoutMs: number;
  lockTimeoutMs?: number;
  signal?: AbortSignal | undefined;
}

/** Counts every table; a table that times out or is not readable gets a reason instead of a number. */
export async function countTablesExactly(
  url: string,
  tables: Array<{ schema: string; name: string }>,
  options: CountOptions,
): Promise<Map<string, CountOutcome>> {
  const results = new Map<string, CountOutcome>();
  const queue = [...tables];
  const workers = Math.max(1, Math.min(options.concurrency, queue.length));

  const work = async () => {
    const client = await connect(url, { doing: 'counting rows' });
    try {
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      if (options.snapshotId) await client.query(`SET TRANSACTION SNAPSHOT '${options.snapshotId.replace(/'/g, "''")}'`);
      await client.query(`SET LOCAL lock_timeout = ${Math.trunc(options.lockTimeoutMs ?? 2000)}`);
      for (let table = queue.shift(); table; table = queue.shift()) {
        options.signal?.throwIfAborted();
        try {
          // One simple-protocol message per table (one round trip, not four); the server applies the timeout
          // to each statement of it, and stops at the first one that fails, leaving the savepoint to roll back to.
          const [, , counted] = (await client.query(
            `SAVEPOINT count_one;
             SET LOCAL statement_timeout = ${Math.trunc(options.timeoutMs)};
             SELECT count(*) AS n FROM ${qualifiedName(table)};
             RELEASE SAVEPOINT count_one`,
          )) as unknown as Array<QueryResult<{ n: string }>>;
          results.set(tableKey(table), { ok: true, rows: Number(counted?.rows[0]?.n ?? 0) });
        } catch (error) {
          const err = error as { code?: string; message: string };
          const reason = err.code === '57014' ? `count(*) exceeded ${options.timeoutMs} ms` : err.code === '42501' ? 'no SELECT permission' : err.message;
          results.set(tableKey(table), { ok: false, reason, code: err.code });
          // A failed statement poisons the transaction; the savepoint keeps the snapshot for the next table.
          await client.query('ROLLBACK TO SAVEPOINT count_one');
        }
      }
      await client.query('COMMIT');
    } finally {
      await client.end().catch(() => {});
    }
  };

  await Promise.all(Array.from({ length: workers }, work));
  return results;
}
