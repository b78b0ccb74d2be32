// `logbook restore` in place of a database: restore beside, verify, swap, each step journaled (here and in the
// lock row) so a restore killed at any point is finished or undone by `resume`, `abort` or the next restore.
import { acquireDatabaseLock, type HeldLock } from '../adapters/pg/environment-lock.ts';
import type { CheckedArchive } from '../adapters/pgdump/restore.ts';
import { runCommand } from '../adapters/process/run-command.ts';
import { LogbookError } from '../core/errors.ts';
import type { Output } from '../core/output.ts';
import { redactDeep } from '../core/redact.ts';
import type { LogbookConfig } from '../schemas/config.ts';
import { readLedgerBeforeRestore } from './anchor-rollback.ts';
import {
  inspectSwap,
  planSwap,
  prepareCopyForSwap,
  type RestoredBeside,
  restoreBeside,
  type SwapPlan,
  swapIn,
  testPause,
  undoBeforeSwap,
} from './restore-beside.ts';
import { listSwapJournals, plannedSwap, type RestoreJournal, removeSwapJournal, writeSwapJournal } from './rollback-journal.ts';
import type { CriticalSection } from './run-context.ts';
import { carryLedger, clearStaleLockRows, lockUrl } from './run-lock.ts';

export interface RestoreInPlaceOptions {
  url: string;
  checked: CheckedArchive;
  /** The configured environment (--env): its lock is held and its maintenance commands run around the swap. */
  environment?: string | undefined;
  dbEnv?: string | undefined;
  config: LogbookConfig;
  baseDir: string;
  stateDir: string;
  spaceChecked?: boolean | undefined;
  confirm: (plan: SwapPlan) => Promise<boolean>;
  onProgress: (line: string, update?: { transient: boolean }) => void;
  critical: CriticalSection;
  out: Output;
  signal: AbortSignal;
  /** `resume` already holds the lock of the run it continues. */
  lock?: HeldLock | null;
  runId?: string;
}

export interface RestoredInPlace {
  plan: SwapPlan;
  restored: RestoredBeside;
}

export async function runMaintenance(
  config: LogbookConfig,
  environment: string | undefined,
  which: 'enter' | 'leave',
  baseDir: string,
  out: Output,
): Promise<void> {
  const command = environment ? config.environments[environment]?.maintenance?.[which] : undefined;
  if (!command) return;
  out.info(`  maintenance ${which}: ${command}`);
  const result = await runCommand([command], { shell: true, cwd: baseDir, onLine: (line) => out.info(`    | ${line}`) });
  if (result.exitCode !== 0)
    throw new LogbookError(`the maintenance ${which} command failed (exit ${result.exitCode ?? result.signal}): ${command}`, {
      code: 'E_MAINTENANCE',
      outcome: which === 'enter' ? 'stopped-before-change' : 'maintenance-stuck',
      hint:
        which === 'enter'
          ? 'check the application and the maintenance commands in the config'
          : 'leave maintenance mode by hand NOW, then check the application',
    });
}

export function takeRestoreLock(
  options: Pick<RestoreInPlaceOptions, 'url' | 'environment' | 'config'>,
  runId: string,
  adopt = false,
): Promise<HeldLock> | null {
  // Without --env the database is still locked (the lock is the database's, not the environment's): a restore must not swap it under a run.
  const environment = options.environment ?? '';
  const envConfig = environment && Object.hasOwn(options.config.environments, environment) ? options.config.environments[environment] : undefined;
  return acquireDatabaseLock({ url: lockUrl(options.url, envConfig), runId, environment, adopt, maintenanceDatabase: envConfig?.maintenanceDatabase });
}

/**
 * An interrupted restore's swap committed: the database is the restored one. What is left is what the swap's
 * aftermath does (no stale lock row, the ledger carried), then the journal goes. Returns what was verified.
 */
export async function finishSwappedRestore(
  journal: RestoreJournal,
  url: string,
  options: Pick<RestoreInPlaceOptions, 'config' | 'baseDir' | 'stateDir' | 'out'>,
): Promise<string> {
  const { out } = options;
  if (journal.phase === 'swapping') await runMaintenance(options.config, journal.environment || undefined, 'leave', options.baseDir, out);
  await clearStaleLockRows(url, journal.runId, out);
  await carryLedger(url, journal.ledgerBefore ?? []);
  await removeSwapJournal(options.stateDir, journal);
  return `${journal.live} is the restored backup (${journal.archivePath}); the database it replaced is kept as ${journal.retained}`;
}

/**
 * Restores left behind on this machine for the same database, from an earlier restore killed mid-way: finished or
 * undone first, each under its own lock (taken over), so one still running elsewhere is refused, not undone.
 */
async function recoverEarlierRestores(options: RestoreInPlaceOptions, live: string): Promise<void> {
  const { reopenClosedBySwap, takeSwapLock } = await import('./interrupted-swap.ts');
  const earlier = (await listSwapJournals(options.stateDir)).filter(
    (j): j is RestoreJournal => j.kind === 'restore' && j.live === live && j.runId !== options.runId,
  );
  for (const journal of earlier) {
    const envConfig =
      journal.environment && Object.hasOwn(options.config.environments, journal.environment) ? options.config.environments[journal.environment] : undefined;
    const before = await inspectSwap(options.url, journal);
    // Closed mid-swap, it refuses the connection its lock is taken through.
    if (!before.swapped && before.liveOpen === false) await reopenClosedBySwap(lockUrl(options.url, envConfig), envConfig?.maintenanceDatabase, options.out);
    const lock = await takeSwapLock(journal, { url: options.url, envConfig });
    try {
      const state = await inspectSwap(options.url, journal);
      if (state.swapped) {
        options.out.info(
          `an interrupted restore (${journal.runId}, started ${journal.startedAt}) had already swapped: ${await finishSwappedRestore(journal, options.url, options)}`,
        );
      } else {
        if (journal.phase === 'swapping') await runMaintenance(options.config, journal.environment || undefined, 'leave', options.baseDir, options.out);
        options.out.info(
          `an interrupted restore (${journal.runId}, started ${journal.startedAt}) never swapped: ${await undoBeforeSwap(options.url, journal)}`,
        );
        await removeSwapJournal(options.stateDir, journal);
      }
    } catch (error) {
      await lock.detach('resume', journal).catch(() => {});
      throw error;
    }
    await lock.release();
  }
}

export async function restoreInPlace(options: RestoreInPlaceOptions): Promise<RestoredInPlace | null> {
  const { out, signal, checked } = options;
  const runId = options.runId ?? `restore-${Date.now().toString(36)}`;
  // Earlier restores killed on this machine hold the database (their lock rows): finished or undone before this one locks it.
  if (options.lock === undefined) await recoverEarlierRestores(options, decodeURIComponent(new URL(options.url).pathname.slice(1)));
  const lock = options.lock !== undefined ? options.lock : await takeRestoreLock(options, runId);
  let journal: RestoreJournal | null = null;
  let swapped = false;
  const save = async (next: RestoreJournal) => {
    journal = next;
    await writeSwapJournal(options.stateDir, next);
    await lock
      ?.update({ journal: redactDeep(next) })
      .catch((error: Error) => out.warn(`could not copy the restore's journal into the lock row: ${error.message.split('\n')[0]}`));
  };
  try {
    // The restored database must not wind the ledger back: its rows are carried into the swapped-in database.
    const ledger = await readLedgerBeforeRestore(options.url);
    const startedAt = new Date();
    const plan = await planSwap(options.url, checked, { at: startedAt, spaceChecked: options.spaceChecked });
    if (!(await options.confirm(plan))) return null;
    await save({
      kind: 'restore',
      runId,
      environment: options.environment ?? '',
      startedAt: startedAt.toISOString(),
      ...plannedSwap(plan),
      archivePath: checked.archivePath,
      ...(options.dbEnv ? { dbEnv: options.dbEnv } : {}),
    });
    await testPause('restore', signal);
    const restored = await restoreBeside(plan, checked, { signal, onProgress: options.onProgress });
    const swapping: RestoreJournal = { ...journal!, phase: 'swapping', ledgerBefore: ledger };
    await save(swapping);
    // With the lock held, the copy carries its row: the moment the swap commits, the live database says which run owns it.
    await prepareCopyForSwap(plan, lock ? { runId, environment: options.environment ?? '', journal: redactDeep(swapping) } : null, ledger);
    await options.critical(async () => {
      await runMaintenance(options.config, options.environment, 'enter', options.baseDir, out);
      try {
        await swapIn(plan, { step: (name) => testPause(name, signal) });
        swapped = true;
      } finally {
        await runMaintenance(options.config, options.environment, 'leave', options.baseDir, out);
      }
      await testPause('after-swap');
      await clearStaleLockRows(options.url, runId, out);
      await carryLedger(options.url, ledger).catch((error: Error) =>
        out.warn(`the ledger could not be carried into the restored database: ${error.message.split('\n')[0]}`),
      );
      await removeSwapJournal(options.stateDir, swapping);
    });
    return { plan, restored };
  } catch (error) {
    const left: RestoreJournal | null = journal;
    if (left && !swapped) await undoAfterFailure(options, left);
    throw error;
  } finally {
    await lock?.release().catch((error: Error) => out.warn(`the environment lock could not be released: ${error.message.split('\n')[0]}`));
  }
}

/** A failure before the swap was seen to commit: look at the server, undo (verified) or say what to do. */
async function undoAfterFailure(options: RestoreInPlaceOptions, journal: RestoreJournal): Promise<void> {
  const { out } = options;
  try {
    const state = await inspectSwap(options.url, journal);
    if (state.swapped) {
      out.info(
        `the swap did commit (${journal.retained} exists) but the restore stopped before it was tidied up: run \`logbook resume --run ${journal.runId}\` to finish it`,
      );
      return;
    }
    out.info(`the live database was not swapped: ${await undoBeforeSwap(options.url, journal)}`);
    await removeSwapJournal(options.stateDir, journal);
  } catch (error) {
    out.info(
      `could not check the server after the failure (${(error as Error).message.split('\n')[0]}): run \`logbook abort --run ${journal.runId}\` (undo) or \`logbook resume --run ${journal.runId}\` (finish) once it is reachable`,
    );
  }
}
