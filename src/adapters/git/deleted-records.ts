// Records git remembers but the working tree no longer has: the evidence that the newest record (which no
// later record links to) was deleted, when the ledger in the database cannot be asked.
import { existsSync } from 'node:fs';
import { relative } from 'node:path';
import { simpleGit } from 'simple-git';
import { recordIdOfPath } from '../../core/record/record-layout.ts';
import { recordIds } from '../fs/list-records.ts';

export interface DeletedRecord {
  id: string;
  /** The newest commit that held the file. */
  commit: string;
}

/** Null when the folder is not in a git repository (nothing to compare with). */
export async function findDeletedRecords(recordsDir: string): Promise<DeletedRecord[] | null> {
  if (!existsSync(recordsDir)) return null;
  const git = simpleGit(recordsDir);
  const top = (await git.revparse(['--show-toplevel']).catch(() => '')).trim();
  if (!top) return null;
  const repo = simpleGit(top);
  const folder = relative(top, recordsDir) || '.';
  // One pass over the folder's history: every record any commit added (by id, wherever it was filed), and the
  // commit that last held it. git prints paths from the top level; the layout rule reads them from the folder.
  const log = await repo.raw(['log', '--format=%x00%H', '--name-only', '--diff-filter=AM', '--', folder]).catch(() => '');
  const prefix = folder === '.' ? '' : `${folder.split('\\').join('/')}/`;
  const lastHeld = new Map<string, string>();
  let commit = '';
  for (const line of log.split('\n')) {
    if (line.startsWith('\0')) commit = line.slice(1);
    else if (line.startsWith(prefix)) {
      const id = recordIdOfPath(line.slice(prefix.length));
      if (id !== null && !lastHeld.has(id)) lastHeld.set(id, commit);
    }
  }
  const present = recordIds(recordsDir);
  const deleted: DeletedRecord[] = [];
  for (const [id, held] of lastHeld) if (!present.has(id)) deleted.push({ id, commit: held });
  return deleted.sort((a, b) => (a.id < b.id ? -1 : 1));
}
