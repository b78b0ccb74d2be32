// Exact row counts, in parallel on a few connections, each bounded by a timeout, optionally all inside
// one exported snapshot (so the counts describe the same instant as a snapshot or a pg_dump).

import type pg from 'pg';
import type { QueryResult } from 'pg';
import { connect } from './client.ts';
import { qualifiedName, tableKey } from './tables.ts';
import type { TargetInput } from './target.ts';

export type CountOutcome = { ok: true; rows: number } | { ok: false; reason: string; code: string | undefined };

export interface CountOptions {
  /** A snapshot id from pg_export_snapshot(): every count sees exactly that state. */
  snapshotId?: string | undefined;
  concurrency: number;
  /** statement_timeout of each counting statement (a batch of small tables, or one table). */
  timeoutMs: number;
  lockTimeoutMs?: number;
  signal?: AbortSignal | undefined;
}

/** A table to count; `rowsHint` (the planner's estimate) keeps big tables out of batches. */
export interface TableToCount {
  schema: string;
  name: string;
  rowsHint?: number | undefined;
}

/**
 * Small tables are counted many to a statement: with 1,000 tiny tables the cost is the round trips and
 * per-statement overhead, not the counting. A batch stops at BATCH_TABLES tables or BATCH_ROWS estimated rows,
 * so one statement stays well inside the timeout; a bigger table is counted alone.
 */
const BATCH_TABLES = 100;
const BATCH_ROWS = 100_000;

function nextBatch(queue: TableToCount[]): TableToCount[] {
  const batch: TableToCount[] = [];
  let rows = 0;
  while (queue.length > 0 && batch.length < BATCH_TABLES) {
    const hint = Math.max(0, queue[0]!.rowsHint ?? 0);
    if (batch.length > 0 && rows + hint > BATCH_ROWS) break;
    batch.push(queue.shift()!);
    rows += hint;
  }
  return batch;
}

function failure(error: unknown, timeoutMs: number): CountOutcome {
  const err = error as { code?: string; message: string };
  const reason = err.code === '57014' ? `count(*) exceeded ${timeoutMs} ms` : err.code === '42501' ? 'no SELECT permission' : err.message;
  return { ok: false, reason, code: err.code };
}

/**
 * Counts the batch in one statement; the savepoint around it keeps the transaction (and its snapshot)
 * usable when it fails.
 */
async function countBatch(client: pg.Client, batch: TableToCount[]): Promise<number[]> {
  const columns = batch.map((table, i) => `(SELECT count(*) FROM ${qualifiedName(table)}) AS c${i}`);
  // One simple-protocol message: the server stops at the first statement that fails.
  const [, counted] = (await client.query(
    `SAVEPOINT count_batch;
     SELECT ${columns.join(', ')};
     RELEASE SAVEPOINT count_batch`,
  )) as unknown as Array<QueryResult<Record<string, string>>>;
  const row = counted?.rows[0] ?? {};
  return batch.map((_, i) => Number(row[`c${i}`] ?? 0));
}

/** The planner's row estimates (pg_class.reltuples; -1, never analysed, reads as 0) for tables given without one. */
async function addRowsHints(client: pg.Client, tables: TableToCount[]): Promise<void> {
  const missing = tables.filter((t) => t.rowsHint === undefined);
  if (missing.length === 0) return;
  const { rows } = await client.query<{ schema: string; name: string; estimate: string }>(
    `SELECT n.nspname AS schema, c.relname AS name, c.reltuples::bigint AS estimate
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       JOIN unnest($1::text[], $2::text[]) AS t(schema, name) ON t.schema = n.nspname AND t.name = c.relname`,
    [missing.map((t) => t.schema), missing.map((t) => t.name)],
  );
  const estimates = new Map(rows.map((r) => [tableKey(r), Math.max(0, Number(r.estimate))]));
  for (const table of missing) table.rowsHint = estimates.get(tableKey(table)) ?? 0;
}

/** What pg_export_snapshot() returns, e.g. 00000003-0000001B-1. */
const SNAPSHOT_ID = /^[0-9A-F]+-[0-9A-F]+-[0-9]+$/i;

/** Counts every table; a table that times out or is not readable gets a reason instead of a number. */
export async function countTablesExactly(url: TargetInput, tables: TableToCount[], options: CountOptions): Promise<Map<string, CountOutcome>> {
  const results = new Map<string, CountOutcome>();
  const queue = tables.map((t) => ({ ...t }));
  const workers = Math.max(1, Math.min(options.concurrency, queue.length));
  // The first connection fills in missing estimates; the others wait for them before taking batches.
  let hinted!: (ok: boolean) => void;
  const hints = new Promise<boolean>((resolve) => (hinted = resolve));

  const work = async (worker: number) => {
    let client: pg.Client | undefined;
    try {
      client = await connect(url, { doing: 'counting rows' });
      // SET TRANSACTION SNAPSHOT takes no parameter: the id (from pg_export_snapshot) is checked to be one before it is quoted.
      if (options.snapshotId && !SNAPSHOT_ID.test(options.snapshotId)) throw new Error(`not a snapshot id: ${JSON.stringify(options.snapshotId)}`);
      const snapshot = options.snapshotId ? `; SET TRANSACTION SNAPSHOT '${options.snapshotId}'` : '';
      await client.query(`BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY${snapshot}`);
      // Local to the transaction; statement_timeout 0 means none.
      await client.query("SELECT set_config('lock_timeout', $1, true), set_config('statement_timeout', $2, true)", [
        `${Math.trunc(options.lockTimeoutMs ?? 2000)}ms`,
        `${Math.trunc(options.timeoutMs)}ms`,
      ]);
      if (worker === 0) await addRowsHints(client, queue);
    } catch (error) {
      if (worker === 0) hinted(false);
      await client?.end().catch(() => {});
      throw error;
    }
    if (worker === 0) hinted(true);
    else if (!(await hints)) {
      // The first connection failed; its error is the one reported.
      await client.end().catch(() => {});
      return;
    }
    try {
      for (let batch = nextBatch(queue); batch.length > 0; batch = nextBatch(queue)) {
        options.signal?.throwIfAborted();
        try {
          const counts = await countBatch(client, batch);
          for (const [i, table] of batch.entries()) results.set(tableKey(table), { ok: true, rows: counts[i]! });
        } catch (error) {
          // A failed statement poisons the transaction; the savepoint keeps the snapshot for what follows.
          await client.query('ROLLBACK TO SAVEPOINT count_batch');
          if (batch.length === 1) {
            results.set(tableKey(batch[0]!), failure(error, options.timeoutMs));
            continue;
          }
          // Find the table(s) that failed: count the batch's tables one by one.
          for (const table of batch) {
            options.signal?.throwIfAborted();
            try {
              const [rows] = await countBatch(client, [table]);
              results.set(tableKey(table), { ok: true, rows: rows! });
            } catch (one) {
              results.set(tableKey(table), failure(one, options.timeoutMs));
              await client.query('ROLLBACK TO SAVEPOINT count_batch');
            }
          }
        }
      }
      await client.query('COMMIT');
    } finally {
      await client.end().catch(() => {});
    }
  };

  await Promise.all(Array.from({ length: workers }, (_, worker) => work(worker)));
  return results;
}
