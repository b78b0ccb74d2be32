// Records git remembers but the working tree no longer has: the evidence that the newest record (which no
// later record links to) was deleted, when the ledger in the database cannot be asked.
import { existsSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { simpleGit } from 'simple-git';

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
  // One pass over the folder's history: every record file any commit added, and the commit that last held it.
  const log = await repo.raw(['log', '--format=%x00%H', '--name-only', '--diff-filter=AM', '--', folder]).catch(() => '');
  const lastHeld = new Map<string, string>();
  let commit = '';
  for (const line of log.split('\n')) {
    if (line.startsWith('\0')) commit = line.slice(1);
    else if (line.endsWith('.mdx') && !lastHeld.has(line)) lastHeld.set(line, commit);
  }
  const deleted: DeletedRecord[] = [];
  for (const [path, held] of lastHeld) {
    if (!existsSync(join(top, path))) deleted.push({ id: basename(path, '.mdx'), commit: held });
  }
  return deleted.sort((a, b) => (a.id < b.id ? -1 : 1));
}
