// Restore beside, then swap: the backup is restored into a new database on the live one's server and verified
// there; only then, in one transaction, does it take the live name. The replaced database is kept under a dated
// name. Nothing in the live database is ever dropped or altered object by object.
import { statfs } from 'node:fs/promises';
import { withClient, withDatabase } from '../adapters/pg/client.ts';
import {
  createDatabaseLike,
  type DatabaseFacts,
  databaseExists,
  dropAllTables,
  dropDatabase,
  endOtherSessions,
  quoteIdent,
  quoteLiteral,
  readDatabaseFacts,
  readSwapRights,
  type SwapRights,
  setAllowConnections,
  swapDatabases,
  withMaintenanceClient,
} from '../adapters/pg/database-swap.ts';
import { writeLockRow } from '../adapters/pg/environment-lock.ts';
import { type LedgerRow, restoreLedgerRows } from '../adapters/pg/ledger.ts';
import { objectCountsByCatalog } from '../adapters/pg/objects-not-in-archive.ts';
import { parseDatabaseTarget } from '../adapters/pg/target.ts';
import { countDatabase } from '../adapters/pgdump/exact-counts.ts';
import type { CheckedArchive } from '../adapters/pgdump/restore.ts';
import { restoreArchiveInto } from '../adapters/pgdump/run-pg-restore.ts';
import { catalogCountsInListing } from '../core/backup/archive-listing.ts';
import { type CountMismatch, compareTableCounts, describeMismatch } from '../core/backup/compare-counts.ts';
import { isRestoringNameOf, restoringDatabaseName, retainedDatabaseName } from '../core/backup/database-names.ts';
import { LogbookError } from '../core/errors.ts';
import { formatBytes } from '../core/format.ts';
import type { BackupTableCount } from '../schemas/backup.ts';

/** Test-only: pause at a named step so fault tests can interrupt a rollback or a restore there deterministically. */
export async function testPause(step: string, signal?: AbortSignal): Promise<void> {
  if (process.env.LOGBOOK_TEST_ROLLBACK_PAUSE !== step) return;
  process.stderr.write(`paused at ${step}\n`);
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(resolve, Number(process.env.LOGBOOK_TEST_ROLLBACK_PAUSE_MS ?? 30_000));
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(signal.reason);
      },
      { once: true },
    );
  });
}

export interface SwapPlan {
  /** URL of the live database (its name is `live.name`). */
  url: string;
  live: DatabaseFacts;
  rights: SwapRights;
  restoring: string;
  retained: string;
}

/** A word for a POSIX shell: the procedure below is pasted into one, and names and paths are hostile. */
function shellWord(text: string): string {
  return `'${text.replace(/'/g, "'\\''")}'`;
}

/** What to do by hand when the tool may not: the same steps, run by someone who can. */
export function manualProcedure(live: string, archive: string): string {
  return [
    'as a role with CREATEDB that owns the database (or a superuser), with the app in maintenance:',
    `  createdb -T template0 NEW && pg_restore --exit-on-error -d NEW ${shellWord(archive)}   # then compare row counts with the backup's sidecar`,
    `  psql -d postgres -c ${shellWord(`ALTER DATABASE ${quoteIdent(live)} WITH ALLOW_CONNECTIONS false`)} -c ${shellWord(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = ${quoteLiteral(live)}`)}`,
    `  psql -d postgres -1 -c ${shellWord(`ALTER DATABASE ${quoteIdent(live)} RENAME TO OLD`)} -c ${shellWord(`ALTER DATABASE NEW RENAME TO ${quoteIdent(live)}`)}   # then copy owner, settings, grants and comment`,
  ].join('\n');
}

function refusal(message: string, hint: string, code = 'E_ROLLBACK_REFUSED'): LogbookError {
  return new LogbookError(`${message}; nothing was changed`, { code, outcome: 'stopped-before-change', hint });
}

function isLocalHost(url: string): boolean {
  const host = parseDatabaseTarget(url).host;
  return host === '' || host === 'localhost' || host === '127.0.0.1' || host === '::1' || host.startsWith('/');
}

/** Free bytes of the server's data directory, or why they cannot be known from here. */
async function freeBytesOfServer(url: string, rights: SwapRights, live: DatabaseFacts): Promise<{ bytes: number } | { unknown: string }> {
  // The copy goes to the live database's tablespace: its own folder, or data_directory for pg_default.
  if (live.tablespaceLocation) return statFree(url, live.tablespaceLocation);
  if (!rights.dataDirectory) return { unknown: `the role ${rights.role} cannot read data_directory (needs superuser or pg_read_all_settings)` };
  return statFree(url, rights.dataDirectory);
}

async function statFree(url: string, dir: string): Promise<{ bytes: number } | { unknown: string }> {
  if (!isLocalHost(url)) return { unknown: 'the server is not on this machine, so its disk cannot be measured from here' };
  try {
    const stats = await statfs(dir);
    return { bytes: stats.bavail * stats.bsize };
  } catch (error) {
    return { unknown: `cannot read the free space of ${dir} (${(error as Error).message})` };
  }
}

/**
 * Everything checked before anything changes: the role may create, rename and take over databases, and the
 * server has room for a second copy. Refusals exit 10 with the manual procedure.
 */
export async function planSwap(
  url: string,
  checked: CheckedArchive,
  options: { at: Date; spaceChecked?: boolean | undefined; swap?: boolean },
): Promise<SwapPlan> {
  const liveName = parseDatabaseTarget(url).database;
  if (!liveName) throw refusal('the database URL names no database', 'put the database name at the end of the URL', 'E_USAGE');
  return withMaintenanceClient(url, 'checking the server before restoring beside', async (client) => {
    const live = await readDatabaseFacts(client, liveName);
    if (!live) throw refusal(`database ${JSON.stringify(liveName)} does not exist on this server`, 'check the database name in the URL');
    const rights = await readSwapRights(client, liveName);
    const missing: string[] = [];
    if (!rights.superuser && !rights.createdb) missing.push('CREATEDB (to create the database the backup is restored into)');
    const swap = options.swap ?? true;
    if (swap && !rights.superuser && !rights.ownsLive) missing.push(`ownership of ${JSON.stringify(liveName)} (to rename it; it is owned by ${live.owner})`);
    if (swap && !rights.superuser && !rights.canTerminate) missing.push('pg_signal_backend (to end the sessions of the live database before the swap)');
    if (missing.length) {
      throw refusal(
        `the role ${rights.role} cannot restore beside and swap: it lacks ${missing.join(', ')}`,
        manualProcedure(liveName, checked.archivePath),
        'E_ROLLBACK_RIGHTS',
      );
    }
    const plan: SwapPlan = { url, live, rights, restoring: restoringDatabaseName(liveName, options.at), retained: retainedDatabaseName(liveName, options.at) };
    for (const name of [plan.restoring, plan.retained]) {
      if (await databaseExists(client, name))
        throw refusal(
          `a database named ${JSON.stringify(name)} already exists`,
          'another rollback may be running or was interrupted; look at it and drop it if it is left over',
        );
    }
    if (!options.spaceChecked) {
      // The restored copy is about as big as the database was at backup time; the live size is the best estimate here.
      const need = Math.ceil(live.bytes * 1.1);
      const free = await freeBytesOfServer(url, rights, live);
      if ('unknown' in free)
        throw refusal(
          `cannot tell whether the server has room for a second copy of ${JSON.stringify(liveName)} (${formatBytes(live.bytes)}): ${free.unknown}`,
          `check that the server's data directory has more than ${formatBytes(need)} free, then run again with --space-checked`,
          'E_ROLLBACK_SPACE',
        );
      if (free.bytes < need)
        throw refusal(
          `not enough disk on the server for a second copy of ${JSON.stringify(liveName)}: ${formatBytes(free.bytes)} free, about ${formatBytes(need)} needed`,
          'free space on the database server (e.g. drop a database kept by an earlier rollback with `logbook rollback --drop-retained NAME`)',
          'E_ROLLBACK_SPACE',
        );
    }
    return plan;
  });
}

export interface RestoredBeside {
  counts: BackupTableCount[];
  durationMs: number;
}

/** Create the new database, restore into it and verify it; on any failure it is dropped again and the live one was never touched. */
export async function restoreBeside(
  plan: SwapPlan,
  checked: CheckedArchive,
  options: { signal?: AbortSignal | undefined; onProgress: (line: string, update?: { transient: boolean }) => void; created?: boolean },
): Promise<RestoredBeside> {
  const started = performance.now();
  const restoredUrl = withDatabase(plan.url, plan.restoring);
  if (!options.created) await withMaintenanceClient(plan.url, `creating ${plan.restoring}`, (client) => createDatabaseLike(client, plan.restoring, plan.live));
  try {
    options.onProgress(`restoring ${checked.archivePath} into the new database ${plan.restoring}`);
    await restoreArchiveInto({
      archivePath: checked.archivePath,
      url: restoredUrl,
      args: [],
      signal: options.signal,
      onTable: (t) => options.onProgress(`restoring ${t}`, { transient: true }),
      doing: `restoring into the new database ${plan.restoring} (the live database was not touched)`,
    });
    options.onProgress(`verifying ${plan.restoring}: exact counts and objects`);
    const counts = await countDatabase(restoredUrl, { signal: options.signal, doing: `counting rows in ${plan.restoring}` });
    const { mismatches, extraTables } = compareTableCounts(checked.meta.tables, counts);
    const objects = await withClient(restoredUrl, { doing: `listing objects in ${plan.restoring}` }, objectCountsByCatalog);
    const expectedObjects = catalogCountsInListing(checked.listing);
    const missingKinds = [...expectedObjects]
      .filter(([classid, n]) => (objects.get(classid) ?? 0) < n)
      .map(([classid, n]) => `${n} of catalog ${classid} expected, ${objects.get(classid) ?? 0} found`);
    if (mismatches.length || extraTables.length || missingKinds.length) {
      throw new LogbookError(
        `the restored copy ${plan.restoring} does not match the backup (the live database was not touched):\n    ${[...mismatches.map(describeMismatch), ...extraTables.map((t) => `${t}: not in the backup`), ...missingKinds].join('\n    ')}`,
        { code: 'E_RESTORE_VERIFY', outcome: 'backup-failed', hint: 'the archive or its sidecar is inconsistent; restore another backup' },
      );
    }
    return { counts, durationMs: performance.now() - started };
  } catch (error) {
    const dropped = await dropWithRetries(plan.url, plan.restoring);
    if (dropped !== true && error instanceof LogbookError) {
      throw new LogbookError(
        `${error.message}\n    the half-restored copy ${plan.restoring} could not be dropped (${dropped}); drop it by hand once there is room: DROP DATABASE "${plan.restoring}"`,
        { code: error.code, outcome: error.outcome, hint: error.hint, cause: error.cause },
      );
    }
    throw error;
  }
}

/**
 * DROP DATABASE forces a checkpoint, which fails while the disk is full (the live database's own dirty pages
 * cannot be written either). Dropping the copy's tables releases their disk at commit, so that comes first.
 */
async function dropWithRetries(url: string, name: string, attempts = 3): Promise<true | string> {
  // First, while it still accepts connections (a failed DROP marks a database invalid): a full disk is the likely failure.
  await withClient(withDatabase(url, name), { doing: `emptying ${name} to free its disk` }, (client) => dropAllTables(client)).catch(() => {});
  let reason = '';
  for (let i = 0; i < attempts; i++) {
    try {
      await withMaintenanceClient(url, `dropping ${name}`, (client) => dropDatabase(client, name));
      return true;
    } catch (error) {
      reason = (error as Error).message;
      await new Promise((resolve) => setTimeout(resolve, 300 * (i + 1)));
    }
  }
  return reason;
}

/** ALLOW_CONNECTIONS false, end the sessions, swap in one transaction. Before the commit, a failure re-allows connections and leaves the live database as it was. */
export async function swapIn(plan: SwapPlan, hooks: { step?: (name: 'connections-closed' | 'before-swap') => Promise<void> } = {}): Promise<void> {
  await withMaintenanceClient(plan.url, `swapping ${plan.restoring} in`, async (client) => {
    let swapped = false;
    try {
      await setAllowConnections(client, plan.live.name, false);
      await hooks.step?.('connections-closed');
      await endOtherSessions(client, plan.live.name);
      await hooks.step?.('before-swap');
      await swapDatabases(client, { live: plan.live, restored: plan.restoring, retained: plan.retained });
      swapped = true;
    } finally {
      // Before the swap: the live database must take connections again. After: the replaced one stays closed,
      // so nobody writes to it believing it is live.
      if (!swapped && plan.live.allowConnections) await setAllowConnections(client, plan.live.name, true).catch(() => {});
    }
  });
}

/** What the server says of a swap's three databases: which exist, their oids, and whether the live name takes connections. */
export interface SwapState {
  liveOid: string | null;
  liveOpen: boolean | null;
  copyExists: boolean;
  retainedOid: string | null;
  /** The replaced name holds the database that was live: the swap's one transaction committed. */
  swapped: boolean;
}

export async function inspectSwap(url: string, names: { live: string; liveOid?: string | undefined; restoring: string; retained: string }): Promise<SwapState> {
  return withMaintenanceClient(url, 'looking at an interrupted restore beside', async (client) => {
    const { rows } = await client.query<{ datname: string; oid: string; datallowconn: boolean }>(
      'SELECT datname, oid::text, datallowconn FROM pg_database WHERE datname = ANY($1::text[])',
      [[names.live, names.restoring, names.retained]],
    );
    const of = (name: string) => rows.find((r) => r.datname === name);
    return {
      liveOid: of(names.live)?.oid ?? null,
      liveOpen: of(names.live)?.datallowconn ?? null,
      copyExists: of(names.restoring) !== undefined,
      retainedOid: of(names.retained)?.oid ?? null,
      // The retained name holds the very database that was live (its oid), not merely some database of that name.
      swapped: of(names.retained) !== undefined && (!names.liveOid || of(names.retained)!.oid === names.liveOid),
    };
  });
}

/**
 * Before the swap: the copy becomes what the live database will be, so it gets the run's lock row (an interrupted
 * run stays visible after the swap) and the ledger as it is now (the ledger never winds back), before it is swapped in.
 */
export async function prepareCopyForSwap(
  plan: SwapPlan,
  lockRow: { runId: string; environment: string; journal: unknown } | null,
  ledger: LedgerRow[],
): Promise<void> {
  if (!lockRow && !ledger.length) return;
  await withClient(withDatabase(plan.url, plan.restoring), { doing: `preparing ${plan.restoring} to be swapped in` }, async (client) => {
    if (lockRow) await writeLockRow(client, lockRow);
    if (ledger.length) await restoreLedgerRows(client, ledger);
  });
}

/**
 * Undo what an interrupted swap left before it committed, then check the server agrees: the live name is still
 * the database from before (same oid), takes connections as before, and the copy is gone. Returns that, verified.
 */
export async function undoBeforeSwap(
  url: string,
  journal: { live: string; liveOid?: string | undefined; allowConnections: boolean; restoring: string; retained: string },
): Promise<string> {
  await cleanUpBeforeSwap({ url, restoring: journal.restoring, liveName: journal.live, allowConnections: journal.allowConnections });
  const state = await inspectSwap(url, journal);
  const problems: string[] = [];
  if (state.swapped) problems.push(`${journal.retained} exists, so the swap did commit`);
  if (state.liveOid === null) problems.push(`no database is named ${journal.live}`);
  else if (journal.liveOid && state.liveOid !== journal.liveOid)
    problems.push(`${journal.live} is not the database the swap started from (oid ${state.liveOid}, was ${journal.liveOid})`);
  if (journal.allowConnections && state.liveOpen === false) problems.push(`${journal.live} still refuses connections`);
  if (state.copyExists) problems.push(`the copy ${journal.restoring} still exists`);
  if (problems.length) throw new Error(problems.join('; '));
  return `${journal.live} was never swapped: it is the same database as before${journal.liveOid ? ` (oid ${state.liveOid})` : ''}, ${journal.allowConnections ? 'takes connections again' : 'stays closed to connections as it was'}, and the half-restored copy ${journal.restoring} is dropped`;
}

/** Undo what an interrupted rollback left: connections re-allowed on the live database, the half-restored copy dropped. */
export async function cleanUpBeforeSwap(plan: Pick<SwapPlan, 'url' | 'restoring'> & { liveName: string; allowConnections: boolean }): Promise<void> {
  // The names come from a journal, perhaps the lock row's: only a copy of this database may be dropped.
  if (!isRestoringNameOf(plan.liveName, plan.restoring))
    throw new LogbookError(
      `the journal names ${JSON.stringify(plan.restoring)} as the copy of ${JSON.stringify(plan.liveName)}, but that is not a name a restore beside gives; nothing was dropped or changed`,
      {
        code: 'E_SWAP_JOURNAL',
        outcome: 'stopped-before-change',
        hint: 'the journal (here or in the lock row, SELECT journal FROM logbook.lock) was edited or belongs elsewhere: look at the databases on the server and clear the row by hand',
      },
    );
  await withMaintenanceClient(plan.url, 'cleaning up an interrupted rollback', async (client) => {
    if (plan.allowConnections) await setAllowConnections(client, plan.liveName, true);
  });
  const dropped = await dropWithRetries(plan.url, plan.restoring);
  if (dropped !== true) throw new Error(`could not drop ${plan.restoring}: ${dropped}`);
}

export type { CountMismatch };
