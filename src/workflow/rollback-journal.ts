// What a rollback in progress has set up on the server, written before each step that changes it, so a rollback
// killed at any point is recognised by the next one and either cleaned up (not swapped) or finished (swapped).
import { mkdir, readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomically } from '../adapters/fs/atomic-write.ts';
import type { LedgerRow } from '../adapters/pg/ledger.ts';

export interface RollbackJournal {
  recordId: string;
  environment: string;
  startedAt: string;
  /** The live database's name, and whether it took connections before the rollback closed it. */
  live: string;
  allowConnections: boolean;
  restoring: string;
  retained: string;
  systemIdentifier: string | null;
  /** restoring: only the new database may exist; swapping: maintenance entered and the swap may have committed. */
  phase: 'restoring' | 'swapping';
  /** Filled once the rollback passed the writes-since check with --accept-data-loss. */
  dataLossAccepted?: Array<{ schema: string; name: string; rowsAfterMigration: number; rowsBeforeRollback: number }>;
  targetMoved?: boolean;
  /** The ledger as it was just before the swap, put back into the swapped-in database (the replaced one stays closed). */
  ledgerBefore?: LedgerRow[];
}

function journalPath(stateDir: string, recordId: string): string {
  return join(stateDir, 'rollbacks', `${recordId}.json`);
}

export async function readRollbackJournal(stateDir: string, recordId: string): Promise<RollbackJournal | null> {
  try {
    return JSON.parse(await readFile(journalPath(stateDir, recordId), 'utf8')) as RollbackJournal;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

export async function writeRollbackJournal(stateDir: string, journal: RollbackJournal): Promise<void> {
  await mkdir(join(stateDir, 'rollbacks'), { recursive: true });
  await writeFileAtomically(journalPath(stateDir, journal.recordId), JSON.stringify(journal, null, 2), { overwrite: true });
}

export async function removeRollbackJournal(stateDir: string, recordId: string): Promise<void> {
  await unlink(journalPath(stateDir, recordId)).catch(() => {});
}
