// The one way capture reads a database: a REPEATABLE READ, READ ONLY transaction with statement and lock timeouts.
import type pg from 'pg';
import { withTransaction } from './transaction.ts';

export interface ReadOnlyLimits {
  statementTimeoutMs: number;
  lockTimeoutMs: number;
}

/** Runs `fn` in a read-only transaction that cannot write, wait long for a lock, or run away; always ends it. */
export async function inReadOnlyTransaction<T>(client: pg.ClientBase, limits: ReadOnlyLimits, fn: () => Promise<T>): Promise<T> {
  return withTransaction(
    client,
    async () => {
      // Local to the transaction (set_config's third argument), so a pooled connection is never left altered.
      await client.query("SELECT set_config('statement_timeout', $1, true), set_config('lock_timeout', $2, true)", [
        `${Math.trunc(limits.statementTimeoutMs)}ms`,
        `${Math.trunc(limits.lockTimeoutMs)}ms`,
      ]);
      return fn();
    },
    'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY',
  );
}
