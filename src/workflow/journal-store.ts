// Journals on disk (.logbook/runs/<id>.json), rewritten atomically after every phase, so a crash,
// Ctrl-C or SIGKILL loses nothing that was already captured.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomically } from '../adapters/fs/atomic-write.ts';
import { LogbookError } from '../core/errors.ts';
import { redactDeep } from '../core/redact.ts';
import type { RunJournal } from '../core/run/journal.ts';

export function journalDir(stateDir: string): string {
  return join(stateDir, 'runs');
}

/** Run ids are `<environment>-<stamp>-<hex>`: anything else (`../x`, a slash) never becomes a path. */
const RUN_ID = /^[a-z][a-z0-9-]{0,120}$/;

export function journalPath(stateDir: string, runId: string): string {
  if (!RUN_ID.test(runId)) {
    throw new LogbookError(`"${runId}" is not a run id`, {
      code: 'E_USAGE',
      outcome: 'usage',
      hint: `run ids are the file names in ${journalDir(stateDir)}, e.g. production-20260101120000-ab12`,
    });
  }
  return join(journalDir(stateDir), `${runId}.json`);
}

export async function saveJournal(stateDir: string, journal: RunJournal): Promise<void> {
  journal.updatedAt = new Date().toISOString();
  await writeFileAtomically(journalPath(stateDir, journal.runId), `${JSON.stringify(redactDeep(journal), null, 2)}\n`, { overwrite: true, private: true });
}

export async function loadJournal(stateDir: string, runId: string): Promise<RunJournal> {
  const path = journalPath(stateDir, runId);
  try {
    return JSON.parse(await readFile(path, 'utf8')) as RunJournal;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new LogbookError(`no run "${runId}"`, { code: 'E_NO_RUN', outcome: 'usage', hint: `run ids are the file names in ${journalDir(stateDir)}` });
    }
    throw new LogbookError(`the journal of run ${runId} is unreadable`, {
      code: 'E_JOURNAL',
      outcome: 'attention',
      cause: error,
      hint: `inspect ${journalPath(stateDir, runId)}`,
    });
  }
}

export async function listJournals(stateDir: string): Promise<RunJournal[]> {
  let names: string[];
  try {
    names = (await readdir(journalDir(stateDir))).filter((name) => name.endsWith('.json'));
  } catch {
    return [];
  }
  const journals = await Promise.all(names.map((name) => loadJournal(stateDir, name.replace(/\.json$/, '')).catch(() => null)));
  return journals.filter((j): j is RunJournal => j !== null).sort((a, b) => (a.createdAt < b.createdAt ? -1 : 1));
}
