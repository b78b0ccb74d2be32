// The record files' own git history: who filed each record and every later edit, from one `git log` over the directory.
import { execFileSync } from 'node:child_process';
import { relative, resolve } from 'node:path';

export interface FileCommit {
  hash: string;
  author: string;
  email: string;
  date: string;
  subject: string;
  /** A added, M modified, D deleted. */
  change: string;
}

const RS = '\x1e';
const US = '\x1f';
export const gitLogFormat = `${RS}%H${US}%an${US}%ae${US}%aI${US}%s`;

/**
 * Parses `git log --name-status --no-renames --format=<gitLogFormat>` output into commits per file
 * (paths as git prints them, relative to the top level), oldest first.
 */
export function parseGitLog(output: string): Map<string, FileCommit[]> {
  const byFile = new Map<string, FileCommit[]>();
  for (const chunk of output.split(RS)) {
    if (!chunk.trim()) continue;
    const [header = '', ...lines] = chunk.split('\n');
    const [hash = '', author = '', email = '', date = '', subject = ''] = header.split(US);
    for (const line of lines) {
      const [change, path] = line.split('\t');
      if (!change || !path) continue;
      const list = byFile.get(path) ?? [];
      list.push({ hash, author, email, date, subject, change: change[0] ?? change });
      byFile.set(path, list);
    }
  }
  for (const list of byFile.values()) list.reverse();
  return byFile;
}

export interface RecordsGitHistory {
  /** Commits touching a record file, oldest first; empty when the file was never committed. */
  forFile(absolutePath: string): FileCommit[];
  available: boolean;
}

/** Reads the history of the repo holding `dir`, if any; never fails the build (a logbook outside git just shows nothing). */
export function readRecordsGitHistory(dir: string): RecordsGitHistory {
  const absolute = resolve(dir);
  try {
    const top = execFileSync('git', ['-C', absolute, 'rev-parse', '--show-toplevel'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const output = execFileSync('git', ['-C', top, 'log', '--name-status', '--no-renames', `--format=${gitLogFormat}`, '--', relative(top, absolute) || '.'], {
      encoding: 'utf8',
      maxBuffer: 1024 * 1024 * 512,
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    const byFile = parseGitLog(output);
    return { available: true, forFile: (path) => byFile.get(relative(top, resolve(path)).split('\\').join('/')) ?? [] };
  } catch {
    return { available: false, forFile: () => [] };
  }
}
