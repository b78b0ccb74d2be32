// What a rollback or a restore in progress has set up on the server, written before each step that changes it
// (here, and mirrored into the lock row), so one killed at any point is recognised by `resume`, `abort` or the
// next rollback or restore, and either cleaned up (not swapped) or finished (swapped), never left in between.
import { mkdir, readdir, readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomically } from '../adapters/fs/atomic-write.ts';
import type { LedgerRow } from '../adapters/pg/ledger.ts';
import type { TableWrite } from '../core/record/rollback-preconditions.ts';
import type { SwapPlan } from './restore-beside.ts';

/** What a restore beside and swap journals, whether a rollback or a plain restore runs it. */
export interface SwapJournal {
  /** Journals written before restores had one carry no kind: they are rollbacks. */
  kind?: 'rollback' | 'restore';
  /** The lock row's run id (`rollback-<record>` or `restore-<stamp>`). */
  runId?: string;
  environment: string;
  startedAt: string;
  /** The live database's name, its oid (to tell it was never swapped), and whether it took connections before the swap closed it. */
  live: string;
  liveOid?: string;
  allowConnections: boolean;
  restoring: string;
  retained: string;
  systemIdentifier: string | null;
  /** restoring: only the new database may exist; swapping: maintenance may have been entered and the swap may have committed. */
  phase: 'restoring' | 'swapping';
  /** The ledger as it was just before the swap, put back into the swapped-in database (the replaced one stays closed). */
  ledgerBefore?: LedgerRow[];
}

export interface RollbackJournal extends SwapJournal {
  kind?: 'rollback';
  recordId: string;
  /** Filled once the rollback passed the writes-since check with --accept-data-loss. */
  dataLossAccepted?: TableWrite[];
  targetMoved?: boolean;
}

export interface RestoreJournal extends SwapJournal {
  kind: 'restore';
  runId: string;
  archivePath: string;
  /** How the database was named on the command line, so `resume` reaches it again without storing its URL. */
  dbEnv?: string;
}

export type AnySwapJournal = RollbackJournal | RestoreJournal;

/** What a swap plan puts in a journal, the same for a rollback and a restore: the first step it is written at. */
export function plannedSwap(
  plan: SwapPlan,
): Pick<SwapJournal, 'live' | 'liveOid' | 'allowConnections' | 'restoring' | 'retained' | 'systemIdentifier' | 'phase'> {
  return {
    live: plan.live.name,
    liveOid: plan.live.oid,
    allowConnections: plan.live.allowConnections,
    restoring: plan.restoring,
    retained: plan.retained,
    systemIdentifier: plan.rights.systemIdentifier,
    phase: 'restoring',
  };
}

export const rollbackRunId = (recordId: string) => `rollback-${recordId}`;

export function runIdOf(journal: AnySwapJournal): string {
  return journal.kind === 'restore' ? journal.runId : (journal.runId ?? rollbackRunId(journal.recordId));
}

function journalPath(stateDir: string, journal: AnySwapJournal): string {
  return journal.kind === 'restore' ? join(stateDir, 'restores', `${journal.runId}.json`) : join(stateDir, 'rollbacks', `${journal.recordId}.json`);
}

async function readJson<T>(file: string): Promise<T | null> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as T;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

export function readRollbackJournal(stateDir: string, recordId: string): Promise<RollbackJournal | null> {
  return readJson<RollbackJournal>(join(stateDir, 'rollbacks', `${recordId}.json`));
}

/** Every rollback and restore journal kept on this machine (each is an interrupted one: a finished one removes its file). */
export async function listSwapJournals(stateDir: string): Promise<AnySwapJournal[]> {
  const found: AnySwapJournal[] = [];
  for (const folder of ['rollbacks', 'restores']) {
    const names = await readdir(join(stateDir, folder)).catch(() => [] as string[]);
    for (const name of names.filter((n) => n.endsWith('.json')).sort()) {
      const journal = await readJson<AnySwapJournal>(join(stateDir, folder, name)).catch(() => null);
      if (journal) found.push(journal);
    }
  }
  return found;
}

export async function writeSwapJournal(stateDir: string, journal: AnySwapJournal): Promise<void> {
  const file = journalPath(stateDir, journal);
  await mkdir(join(file, '..'), { recursive: true });
  await writeFileAtomically(file, JSON.stringify(journal, null, 2), { overwrite: true });
}

export async function removeSwapJournal(stateDir: string, journal: AnySwapJournal): Promise<void> {
  await unlink(journalPath(stateDir, journal)).catch(() => {});
}

export const writeRollbackJournal = writeSwapJournal;

export async function removeRollbackJournal(stateDir: string, recordId: string): Promise<void> {
  await unlink(join(stateDir, 'rollbacks', `${recordId}.json`)).catch(() => {});
}

/** A lock row's journal that belongs to a rollback or a restore (run ids say which), or null. */
export function swapJournalOfLockRow(holder: { runId: string; journal: unknown } | null): AnySwapJournal | null {
  if (!holder?.journal || typeof holder.journal !== 'object') return null;
  const journal = holder.journal as AnySwapJournal;
  // The ids become file names here (the journal is copied to this machine): data from the database, never a path.
  const fileName = journal.kind === 'restore' ? journal.runId : (journal as RollbackJournal).recordId;
  if (typeof fileName !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(fileName)) return null;
  if (holder.runId.startsWith('restore-') && journal.kind === 'restore') return journal;
  if (holder.runId.startsWith('rollback-') && (journal as RollbackJournal).recordId) return journal;
  return null;
}
