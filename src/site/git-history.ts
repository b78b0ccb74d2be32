// The record files' own git history for the site: who filed each record and every later edit, from one `git log`
// over the records folder (through the git adapter), by record id, so records in dated sub-folders, or moved into
// them, keep their whole history.
import { basename } from 'node:path';
import { type LoggedCommit, readFolderHistory } from '../adapters/git/folder-history.ts';

export interface FileCommit {
  hash: string;
  author: string;
  email: string;
  date: string;
  subject: string;
  /** A added, M modified, D deleted, R moved to another folder. */
  change: string;
}

/**
 * Commits per record id (the file name without `.mdx`, wherever the file sits), oldest first. A commit that deletes
 * a record at one path and adds it at another (a move) is one `R` entry.
 */
export function recordHistories(commits: LoggedCommit[]): Map<string, FileCommit[]> {
  const byId = new Map<string, FileCommit[]>();
  for (const commit of [...commits].reverse()) {
    const changes = new Map<string, Set<string>>();
    for (const { change, path } of commit.files) {
      if (!path.endsWith('.mdx')) continue;
      const id = basename(path, '.mdx');
      changes.set(id, (changes.get(id) ?? new Set()).add(change));
    }
    for (const [id, kinds] of changes) {
      const change = kinds.size === 1 ? [...kinds][0]! : kinds.has('A') && kinds.has('D') ? 'R' : 'M';
      const list = byId.get(id) ?? [];
      list.push({ hash: commit.hash, author: commit.author, email: commit.email, date: commit.date, subject: commit.subject, change });
      byId.set(id, list);
    }
  }
  return byId;
}

export interface RecordsGitHistory {
  /** Commits touching a record's file, oldest first; empty when it was never committed. */
  forRecord(id: string): FileCommit[];
  available: boolean;
}

/** Reads the history of the repo holding `dir`, if any; never fails the build (a logbook outside git just shows nothing). */
export async function readRecordsGitHistory(dir: string): Promise<RecordsGitHistory> {
  const history = await readFolderHistory(dir);
  if (!history) return { available: false, forRecord: () => [] };
  const byId = recordHistories(history.commits);
  return { available: true, forRecord: (id) => byId.get(id) ?? [] };
}
