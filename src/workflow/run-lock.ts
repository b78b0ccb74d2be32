// The environment lock of a run, held in the target database (environment-lock.ts): taken when a run starts
// or is taken over, its journal mirrored into the lock row so any machine can finish, resume or abort it,
// released when the run ends and detached (row kept) when it stops to wait for a person.
import { acquireDatabaseLock, readLockHolder, type Awaits, type HeldLock, type LockHolder } from '../adapters/pg/environment-lock.ts';
import pg from 'pg';
import { withClient } from '../adapters/pg/client.ts';
import { DEFAULT_LOGBOOK_SCHEMA, ensureLogbookSchema, logbookSchemaExists } from '../adapters/pg/logbook-schema.ts';
import { restoreLedgerRows, type LedgerRow } from '../adapters/pg/ledger.ts';
import { LogbookError } from '../core/errors.ts';
import { redactDeep } from '../core/redact.ts';
import type { RunJournal } from '../core/run/journal.ts';
import type { EnvironmentConfig } from '../schemas/config.ts';
import type { RunContext } from './run-context.ts';

/** The URL the lock is taken with: the environment's direct URL when configured (a pooled URL cannot hold a session lock). */
export function lockUrl(url: string, envConfig: EnvironmentConfig | undefined): string {
  const name = envConfig?.directUrlEnv;
  if (!name) {
    // Prisma's marker for a PgBouncer URL: a transaction pool would hand the advisory lock's session to others.
    if (/[?&]pgbouncer=true(&|$)/i.test(url)) {
      throw new LogbookError('the database URL goes through PgBouncer (pgbouncer=true), which cannot hold the environment lock', {
        code: 'E_POOLED_URL',
        outcome: 'usage',
        hint: 'set "directUrlEnv" on the environment to the name of an env var with a direct URL to the same database (like Prisma\'s directUrl)',
      });
    }
    return url;
  }
  const direct = process.env[name];
  if (!direct) {
    throw new LogbookError(`the environment's direct URL is not set: ${name} is empty`, {
      code: 'E_NO_DATABASE_URL',
      outcome: 'usage',
      hint: `export ${name}=postgresql://USER:PASSWORD@HOST:5432/DB (a direct connection, not through a PgBouncer transaction pool)`,
    });
  }
  return direct;
}

/** Take the lock for a run (new, or taken over with `adopt`) and keep it on the context. */
export async function takeRunLock(ctx: RunContext, runId: string, options: { adopt?: boolean } = {}): Promise<HeldLock> {
  const lock = await acquireDatabaseLock({
    url: lockUrl(ctx.db.url, ctx.envConfig),
    runId,
    environment: ctx.environment,
    adopt: options.adopt,
    waitMs: ctx.waitMs,
    maintenanceDatabase: ctx.envConfig?.maintenanceDatabase,
  });
  if (options.adopt && lock.adopted === null) {
    // Every run keeps its row until it ends: no row means it was finished or aborted on another machine.
    await lock.release().catch(() => {});
    throw new LogbookError(`run ${runId} is no longer open in the database: it was finished or aborted elsewhere`, {
      code: 'E_RUN_CLOSED',
      outcome: 'usage',
      hint: 'its record is in the records remote (git pull); nothing was changed here',
    });
  }
  ctx.lock = lock;
  return lock;
}

/** Copy the (redacted) journal into the lock row. Best effort: a database gone away must not crash the run. */
export async function mirrorJournal(ctx: RunContext, journal: RunJournal): Promise<void> {
  await ctx.lock
    ?.update({ journal: redactDeep(journal) })
    .catch((error: Error) => ctx.out.warn(`could not copy the run's journal into the lock row: ${error.message.split('\n')[0]}`));
}

/** The run is over: free the environment. A failure is reported, never thrown (the record is already filed). */
export async function releaseRunLock(ctx: RunContext): Promise<void> {
  const lock = ctx.lock;
  if (!lock) return;
  ctx.lock = null;
  await lock
    .release()
    .catch((error: Error) =>
      ctx.out.warn(
        `the environment lock could not be released: ${error.message.split('\n')[0]}\n  next: once the database is reachable, \`logbook abort\` or an administrator can clear it (DELETE FROM logbook.lock)`,
      ),
    );
}

/** The run stops without ending: keep the row (with what it awaits and its journal) for whoever continues it. */
export async function detachRunLock(ctx: RunContext, awaits: Awaits, journal: RunJournal): Promise<void> {
  const lock = ctx.lock;
  if (!lock) return;
  ctx.lock = null;
  await lock
    .detach(awaits, redactDeep(journal))
    .catch((error: Error) => ctx.out.warn(`could not store the run's journal in the lock row: ${error.message.split('\n')[0]}`));
}

/** The lock row of the database (null when the tool's schema or the row does not exist). */
export async function readDatabaseHolder(url: string, envConfig: EnvironmentConfig | undefined): Promise<LockHolder | null> {
  return withClient(lockUrl(url, envConfig), { doing: 'reading the environment lock' }, (client) => readLockHolder(client));
}

/** After a swap: the restored database must not bring back a lock row from when its backup was taken. */
export async function clearStaleLockRows(url: string, runId: string, out: { warn(text: string): void }): Promise<void> {
  await withClient(url, { doing: 'clearing a stale lock row after the swap' }, async (client) => {
    if (!(await logbookSchemaExists(client))) return;
    const { rowCount } = await client.query(`DELETE FROM ${pg.escapeIdentifier(DEFAULT_LOGBOOK_SCHEMA)}.lock WHERE run_id <> $1`, [runId]);
    if (rowCount) out.warn(`removed ${rowCount} stale lock row(s) the restored backup carried`);
  }).catch((error: Error) => out.warn(`could not check the restored database for a stale lock row: ${error.message.split('\n')[0]}`));
}

/**
 * After a swap: backups leave the tool's schema out, so the swapped-in database gets the ledger as it was
 * just before (it only ever grows). A failure here is thrown: the chain's order must not be lost silently.
 */
export async function carryLedger(url: string, rows: LedgerRow[]): Promise<number> {
  if (!rows.length) return 0;
  return withClient(url, { doing: 'putting the ledger back after the swap' }, async (client) => {
    await ensureLogbookSchema(client);
    return restoreLedgerRows(client, rows);
  });
}
