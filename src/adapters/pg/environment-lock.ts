// One run per database, for every operator and CI runner: a session advisory lock keyed on the database's
// identity, held from the server's maintenance database, plus the durable `lock` row in the tool's schema
// that says which run owns the database, where it runs and what it awaits.
import { hostname } from 'node:os';
import pg from 'pg';
import { LogbookError } from '../../core/errors.ts';
import { connect } from './client.ts';
import { describePgError } from './errors.ts';
import { DEFAULT_LOGBOOK_SCHEMA, ensureLogbookSchema, logbookSchemaExists } from './logbook-schema.ts';
import { advisoryLockKey, type DatabaseIdentity, readDatabaseIdentity } from './server-identity.ts';
import type { TargetInput } from './target.ts';

export type Awaits = 'finish' | 'resume';

export interface LockHolder {
  runId: string;
  environment: string;
  host: string;
  pid: number | null;
  since: string;
  awaits: Awaits | null;
  journal: unknown;
}

export interface LockOptions {
  /** The database locked: a URL or a target parsed once by the caller. */
  url: TargetInput;
  /** The database the advisory lock is taken from: never the target, whose name a rollback swaps. */
  maintenanceDatabase?: string | undefined;
  schema?: string | undefined;
  runId: string;
  environment: string;
  /** `finish`, `resume` and `abort` take over a run whose row exists but whose process is gone. */
  adopt?: boolean | undefined;
  /** How long to wait for a run elsewhere to end; 0 (the default) refuses at once. */
  waitMs?: number | undefined;
}

export interface HeldLock {
  identity: DatabaseIdentity;
  /** The row before this call took it over (set when adopting). */
  adopted: LockHolder | null;
  /** Store what the run awaits and its (redacted) journal, so any machine can finish, resume or abort it. */
  update(state: { journal?: unknown; awaits?: Awaits | null }): Promise<void>;
  /** The run is over: delete the row, then free the advisory lock. */
  release(): Promise<void>;
  /** The run stops without ending (after `start`, or interrupted): keep the row, free the advisory lock. */
  detach(awaits: Awaits, journal?: unknown): Promise<void>;
}

interface LockRow {
  run_id: string;
  environment: string;
  host: string;
  pid: number | null;
  since: Date;
  awaits: Awaits | null;
  journal: unknown;
}

function toHolder(row: LockRow): LockHolder {
  return {
    runId: row.run_id,
    environment: row.environment,
    host: row.host,
    pid: row.pid,
    since: row.since.toISOString(),
    awaits: row.awaits,
    journal: row.journal,
  };
}

/** The lock row, if the tool's schema exists (read-only: never creates it). */
export async function readLockHolder(client: pg.ClientBase, schema: string = DEFAULT_LOGBOOK_SCHEMA): Promise<LockHolder | null> {
  if (!(await logbookSchemaExists(client, schema))) return null;
  const { rows } = await client.query<LockRow>(`SELECT run_id, environment, host, pid, since, awaits, journal FROM ${pg.escapeIdentifier(schema)}.lock`);
  return rows[0] ? toHolder(rows[0]) : null;
}

/**
 * Make `runId` the one lock row of a database other than the one the lock was taken on: the copy a restore
 * beside swaps in, so the row (and the journal) is in the live database the moment the swap commits.
 */
export async function writeLockRow(
  client: pg.ClientBase,
  row: { runId: string; environment: string; journal: unknown },
  schema: string = DEFAULT_LOGBOOK_SCHEMA,
): Promise<void> {
  await ensureLogbookSchema(client, schema);
  const table = `${pg.escapeIdentifier(schema)}.lock`;
  // A backup taken while another run held the database may carry that run's row: it is not this database's any more.
  await client.query(`DELETE FROM ${table}`);
  await client.query(`INSERT INTO ${table} (run_id, environment, host, pid, journal) VALUES ($1, $2, $3, $4, $5::jsonb)`, [
    row.runId,
    row.environment,
    hostname(),
    process.pid,
    JSON.stringify(row.journal ?? null),
  ]);
}

function describeHolder(holder: LockHolder): string {
  const where = `on ${holder.host}${holder.pid ? ` (process ${holder.pid})` : ''}`;
  return `run ${holder.runId} (${holder.environment}) ${where} since ${holder.since}`;
}

function heldElsewhere(holder: LockHolder | null, database: string): LogbookError {
  const who = holder ? describeHolder(holder) : 'another logbook process';
  return new LogbookError(`database ${database} is locked: ${who} is working on it`, {
    code: 'E_LOCKED',
    outcome: 'locked',
    hint: 'wait for it to end, or pass --wait DURATION to wait; only one migration may run on a database at a time',
  });
}

/** What to do about a run that left its row behind: rollbacks and restores are resumed or aborted like runs. */
function nextStep(holder: LockHolder): string {
  const run = holder.runId;
  if (run.startsWith('rollback-') || run.startsWith('restore-')) {
    return `finish it with \`logbook resume --run ${run}\` (it completes the swap or, when the swap already happened, its record), or undo it with \`logbook abort --run ${run}\` (before the swap only)`;
  }
  return holder.awaits === 'finish'
    ? `finish it with \`logbook finish --run ${run}\`, or close it with \`logbook abort --run ${run}\``
    : `continue it with \`logbook resume --run ${run}\`, or close it with \`logbook abort --run ${run}\``;
}

function abandoned(holder: LockHolder): LogbookError {
  const why = holder.awaits === 'finish' ? 'was started step by step and awaits `logbook finish`' : 'was interrupted: its process is gone';
  return new LogbookError(`${describeHolder(holder)} ${why}`, {
    code: 'E_STALE_LOCK',
    outcome: 'locked',
    hint: `${nextStep(holder)} (from any machine that reaches the database)`,
  });
}

async function connectMaintenance(url: TargetInput, database: string): Promise<pg.Client> {
  try {
    return await connect(url, { database, doing: `connecting to the maintenance database "${database}" to take the environment lock` });
  } catch (error) {
    if (error instanceof LogbookError && error.code === 'E_DB_MISSING') {
      throw new LogbookError(`the maintenance database "${database}" does not exist on this server`, {
        code: 'E_NO_MAINTENANCE_DB',
        outcome: 'usage',
        hint: 'set "maintenanceDatabase" in the config to a database every operator can connect to (the lock is taken there, never in the target)',
        cause: error,
      });
    }
    throw error;
  }
}

/** Take the database's lock for a run; refuses (exit 13) when another run holds it or left it behind. */
export async function acquireDatabaseLock(options: LockOptions): Promise<HeldLock> {
  const schema = options.schema ?? DEFAULT_LOGBOOK_SCHEMA;
  const doing = 'taking the environment lock';
  const target = await connect(options.url, { doing });
  let maintenance: pg.Client | undefined;
  try {
    const identity = await readDatabaseIdentity(target);
    const key = advisoryLockKey(identity);
    maintenance = await connectMaintenance(options.url, options.maintenanceDatabase ?? 'postgres');
    let lost = false;
    maintenance.on('error', () => (lost = true));
    maintenance.on('end', () => (lost = true));

    const got = await tryAdvisoryLock(maintenance, key, options.waitMs ?? 0);
    if (!got) throw heldElsewhere(await readLockHolder(target, schema).catch(() => null), identity.database);

    await ensureLogbookSchema(target, schema);
    const table = `${pg.escapeIdentifier(schema)}.lock`;
    const existing = await readLockHolder(target, schema);
    let adopted: LockHolder | null = null;
    if (existing) {
      if (!options.adopt || existing.runId !== options.runId) throw abandoned(existing);
      adopted = existing;
      await target.query(`UPDATE ${table} SET host = $1, pid = $2, awaits = NULL`, [hostname(), process.pid]);
    } else {
      await target.query(`INSERT INTO ${table} (run_id, environment, host, pid) VALUES ($1, $2, $3, $4)`, [
        options.runId,
        options.environment,
        hostname(),
        process.pid,
      ]);
    }
    await target.end().catch(() => {});

    const held = maintenance;
    const onTarget = async <T>(fn: (client: pg.Client) => Promise<T>): Promise<T> => {
      const client = await connect(options.url, { doing: 'updating the environment lock' });
      try {
        return await fn(client);
      } catch (error) {
        throw describePgError(error, options.url, 'updating the environment lock');
      } finally {
        await client.end().catch(() => {});
      }
    };
    const freeAdvisory = async () => {
      if (!lost) await held.query('SELECT pg_advisory_unlock($1::bigint)', [key]).catch(() => {});
      await held.end().catch(() => {});
    };
    return {
      identity,
      adopted,
      async update(state) {
        const sets: string[] = [];
        const values: unknown[] = [options.runId];
        if ('journal' in state) sets.push(`journal = $${values.push(JSON.stringify(state.journal ?? null))}::jsonb`);
        if ('awaits' in state) sets.push(`awaits = $${values.push(state.awaits ?? null)}`);
        if (sets.length) await onTarget((client) => client.query(`UPDATE ${table} SET ${sets.join(', ')} WHERE run_id = $1`, values));
      },
      async release() {
        try {
          await onTarget((client) => client.query(`DELETE FROM ${table} WHERE run_id = $1`, [options.runId]));
        } finally {
          await freeAdvisory();
        }
      },
      async detach(awaits, journal) {
        try {
          await onTarget((client) =>
            client.query(`UPDATE ${table} SET awaits = $2, pid = NULL${journal === undefined ? '' : ', journal = $3::jsonb'} WHERE run_id = $1`, [
              options.runId,
              awaits,
              ...(journal === undefined ? [] : [JSON.stringify(journal)]),
            ]),
          );
        } finally {
          await freeAdvisory();
        }
      },
    };
  } catch (error) {
    await target.end().catch(() => {});
    await maintenance?.end().catch(() => {});
    throw describePgError(error, options.url, doing);
  }
}

/** pg_try_advisory_lock, or pg_advisory_lock bounded by lock_timeout when asked to wait (no polling). */
async function tryAdvisoryLock(client: pg.Client, key: string, waitMs: number): Promise<boolean> {
  if (waitMs <= 0) {
    const { rows } = await client.query<{ got: boolean }>('SELECT pg_try_advisory_lock($1::bigint) AS got', [key]);
    return rows[0]?.got === true;
  }
  await client.query("SELECT set_config('lock_timeout', $1, false)", [`${Math.trunc(waitMs)}ms`]);
  try {
    await client.query('SELECT pg_advisory_lock($1::bigint)', [key]);
    return true;
  } catch (error) {
    if ((error as { code?: string }).code === '55P03') return false;
    throw error;
  } finally {
    await client.query("SELECT set_config('lock_timeout', '0', false)").catch(() => {});
  }
}
