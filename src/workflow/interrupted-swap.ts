// A rollback or restore that was interrupted (kill -9, a lost machine) and is ended by `logbook resume` or
// `logbook abort`: found from this machine's journal or the database's lock row, undone (verified) when its
// swap never committed, and never swapped back silently when it did.
import { withClient, withDatabase } from '../adapters/pg/client.ts';
import { quoteIdent } from '../adapters/pg/database-swap.ts';
import { acquireDatabaseLock, type HeldLock } from '../adapters/pg/environment-lock.ts';
import { advisoryLockKey, readDatabaseIdentity } from '../adapters/pg/server-identity.ts';
import { checkBeforeRestore } from '../adapters/pgdump/restore.ts';
import { restoringPrefix } from '../core/backup/database-names.ts';
import { LogbookError } from '../core/errors.ts';
import type { Output } from '../core/output.ts';
import type { EnvironmentConfig, LogbookConfig } from '../schemas/config.ts';
import { inspectSwap, undoBeforeSwap } from './restore-beside.ts';
import { finishSwappedRestore, type RestoredInPlace, type RestoreInPlaceOptions, restoreInPlace, runMaintenance } from './restore-in-place.ts';
import {
  type AnySwapJournal,
  listSwapJournals,
  type RestoreJournal,
  removeSwapJournal,
  runIdOf,
  swapJournalOfLockRow,
  writeSwapJournal,
} from './rollback-journal.ts';
import { lockUrl, readDatabaseHolder } from './run-lock.ts';

export interface SwapTarget {
  url: string;
  envConfig: EnvironmentConfig | undefined;
}

const SWAP_RUN = /^(rollback|restore)-/;

function describeKind(journal: AnySwapJournal): string {
  return journal.kind === 'restore' ? `restore ${journal.runId} (${journal.archivePath})` : `rollback of ${journal.recordId}`;
}

/**
 * The live database closed to connections beside a `_restoring_` copy is a swap interrupted between closing it
 * and renaming (nothing else closes it): re-allow connections so its lock row can be read, unless the run that
 * closed it still holds the advisory lock (it is alive, mid-swap). Returns whether it reopened.
 */
export async function reopenClosedBySwap(url: string, maintenanceDatabase: string | undefined, out: Output): Promise<boolean> {
  const live = decodeURIComponent(new URL(url).pathname.slice(1));
  return withClient(withDatabase(url, maintenanceDatabase ?? 'postgres'), { doing: 'looking for a swap interrupted before it committed' }, async (client) => {
    const { rows } = await client.query<{ datallowconn: boolean; copies: string[] }>(
      `SELECT d.datallowconn, ARRAY(SELECT c.datname::text FROM pg_database c WHERE c.datname ~ '_restoring_\\d{8}T\\d{6}$'
                                     AND regexp_replace(c.datname, '_restoring_\\d{8}T\\d{6}$', '') = $2) AS copies
         FROM pg_database d WHERE d.datname = $1`,
      [live, restoringPrefix(live)],
    );
    const row = rows[0];
    if (!row || row.datallowconn || row.copies.length === 0) return false;
    const identity = await readDatabaseIdentity(client);
    const key = advisoryLockKey({ systemIdentifier: identity.systemIdentifier, database: live });
    const { rows: got } = await client.query<{ free: boolean }>('SELECT pg_try_advisory_lock($1::bigint) AS free', [key]);
    if (!got[0]?.free)
      throw new LogbookError(`${live} is closed to connections by a rollback or restore that is still running`, {
        code: 'E_LOCKED',
        outcome: 'locked',
        hint: 'wait for it to end; it reopens the database itself',
      });
    await client.query('SELECT pg_advisory_unlock($1::bigint)', [key]);
    await client.query(`ALTER DATABASE ${quoteIdent(live)} WITH ALLOW_CONNECTIONS true`);
    out.info(`${live} was left closed to connections beside ${row.copies.join(', ')} by an interrupted swap: it takes connections again`);
    return true;
  });
}

/**
 * The interrupted rollback or restore `resume` / `abort` mean, or null when they mean an ordinary run: --run
 * names it, or it is the only one journaled here, or the database's lock row holds one.
 */
export async function findInterruptedSwap(options: {
  stateDir: string;
  runId?: string | undefined;
  environment?: string | undefined;
  target: () => SwapTarget | null;
  out: Output;
}): Promise<AnySwapJournal | null> {
  const { runId, environment } = options;
  if (runId && !SWAP_RUN.test(runId)) return null;
  const local = (await listSwapJournals(options.stateDir)).filter(
    (j) => (!runId || runIdOf(j) === runId) && (!environment || j.environment === environment || j.environment === ''),
  );
  if (local.length === 1) return local[0]!;
  if (local.length > 1)
    throw new LogbookError(`${local.length} interrupted rollbacks or restores: say which with --run`, {
      code: 'E_NO_RUN',
      outcome: 'usage',
      hint: local.map((j) => `${runIdOf(j)} (${j.environment || 'no environment'}, started ${j.startedAt})`).join('; '),
    });
  let target: SwapTarget | null;
  try {
    target = options.target();
  } catch {
    return null;
  }
  if (!target) return null;
  const read = () => readDatabaseHolder(target.url, target.envConfig);
  let holder = await read().catch(() => undefined);
  if (holder === undefined) {
    // A database closed mid-swap refuses the connection the lock row is read through.
    if (!(await reopenClosedBySwap(lockUrl(target.url, target.envConfig), target.envConfig?.maintenanceDatabase, options.out).catch(() => false))) return null;
    holder = await read().catch(() => null);
  }
  const journal = swapJournalOfLockRow(holder ?? null);
  if (!journal || (runId && holder!.runId !== runId)) return null;
  // From here on this machine carries the journal, as for a run taken over from another machine.
  await writeSwapJournal(options.stateDir, journal);
  return journal;
}

export function takeSwapLock(journal: AnySwapJournal, target: SwapTarget): Promise<HeldLock> {
  return acquireDatabaseLock({
    url: lockUrl(target.url, target.envConfig),
    runId: runIdOf(journal),
    environment: journal.environment,
    adopt: true,
    maintenanceDatabase: target.envConfig?.maintenanceDatabase,
  });
}

/**
 * `logbook abort` of a rollback or restore: before its swap committed, the copy is dropped and the live database
 * reopened, and the server is checked to agree; after, nothing is swapped back: the state is said, and the
 * way to finish it.
 */
export async function abortInterruptedSwap(
  journal: AnySwapJournal,
  target: SwapTarget,
  options: { config: LogbookConfig; baseDir: string; stateDir: string; out: Output },
): Promise<'stopped-before-change'> {
  const { out } = options;
  const runId = runIdOf(journal);
  const state = await inspectSwap(target.url, journal);
  if (!state.swapped && state.liveOpen === false) await reopenClosedBySwap(target.url, target.envConfig?.maintenanceDatabase, out);
  const lock = await takeSwapLock(journal, target);
  try {
    const now = await inspectSwap(target.url, journal);
    if (now.swapped) {
      await lock?.detach('resume', journal);
      const what = journal.kind === 'restore' ? 'the restore is done' : 'the database IS rolled back, but its record does not say so yet';
      throw new LogbookError(
        `cannot abort the ${describeKind(journal)}: its swap already committed, so ${what}: ${journal.live} is the restored backup and the database it replaced is kept, closed to connections, as ${journal.retained}. abort never swaps back`,
        {
          code: 'E_SWAP_COMMITTED',
          outcome: 'usage',
          hint: `finish it with \`logbook resume --run ${runId}\`${journal.kind === 'restore' ? '' : ' (the record then says rolled back)'}; to return to the replaced database afterwards, back it up (ALTER DATABASE ${quoteIdent(journal.retained)} WITH ALLOW_CONNECTIONS true first) and \`logbook restore --from\` that backup`,
        },
      );
    }
    if (journal.phase === 'swapping') await runMaintenance(options.config, journal.environment || undefined, 'leave', options.baseDir, out);
    const undone = await undoBeforeSwap(target.url, journal);
    await removeSwapJournal(options.stateDir, journal);
    await lock?.release();
    out.info(
      `aborted the ${describeKind(journal)} (started ${journal.startedAt}): ${undone}${journal.kind === 'restore' ? '' : `; the record ${journal.recordId} is unchanged`}`,
    );
    return 'stopped-before-change';
  } catch (error) {
    // Anything left is still journaled: the row stays so the next `resume` / `abort` finds it.
    await lock?.detach('resume', journal).catch(() => {});
    throw error;
  }
}

/**
 * `logbook resume` of a restore: a committed swap is tidied up (stale lock rows, the ledger); one that never
 * committed is undone (verified) and the restore runs again from the same archive, checked again first.
 */
export async function resumeInterruptedRestore(
  journal: RestoreJournal,
  target: SwapTarget,
  options: Omit<RestoreInPlaceOptions, 'url' | 'checked' | 'confirm' | 'lock' | 'runId' | 'environment' | 'dbEnv'>,
): Promise<{ finished: string } | { restored: RestoredInPlace }> {
  const { out } = options;
  const state = await inspectSwap(target.url, journal);
  if (!state.swapped && state.liveOpen === false) await reopenClosedBySwap(target.url, target.envConfig?.maintenanceDatabase, out);
  const lock = await takeSwapLock(journal, target);
  let handedOver = false;
  try {
    if ((await inspectSwap(target.url, journal)).swapped) {
      const finished = await finishSwappedRestore(journal, target.url, options);
      out.info(`the interrupted restore ${journal.runId} had already swapped: ${finished}`);
      return { finished };
    }
    if (journal.phase === 'swapping') await runMaintenance(options.config, journal.environment || undefined, 'leave', options.baseDir, out);
    const undone = await undoBeforeSwap(target.url, journal);
    await removeSwapJournal(options.stateDir, journal);
    out.info(`the interrupted restore ${journal.runId} never swapped: ${undone}; restoring ${journal.archivePath} again`);
    // The archive is checked again (sidecar, sha256, listing): it may have changed since.
    const checked = await checkBeforeRestore(journal.archivePath, options.signal);
    handedOver = true;
    const restored = await restoreInPlace({
      ...options,
      url: target.url,
      checked,
      environment: journal.environment || undefined,
      dbEnv: journal.dbEnv,
      confirm: async () => true,
      lock,
      runId: journal.runId,
    });
    return { restored: restored! };
  } finally {
    if (!handedOver) await lock?.release().catch((error: Error) => out.warn(`the environment lock could not be released: ${error.message.split('\n')[0]}`));
  }
}
