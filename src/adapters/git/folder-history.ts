// A folder's git history in one `git log` (simple-git, like every other git call of the tool): each commit with
// the files it added, modified or deleted under that folder, newest first.
import { relative, resolve } from 'node:path';
import { simpleGit } from 'simple-git';

export interface LoggedCommit {
  hash: string;
  author: string;
  email: string;
  date: string;
  subject: string;
  /** Paths relative to the repository's top level, as git prints them; change is A added, M modified, D deleted. */
  files: { change: string; path: string }[];
}

const RS = '\x1e';
const US = '\x1f';
export const gitLogFormat = `${RS}%H${US}%an${US}%ae${US}%aI${US}%s`;

/** Parses `git log --name-status --no-renames --format=<gitLogFormat>` output, keeping git's order (newest first). */
export function parseGitLog(output: string): LoggedCommit[] {
  const commits: LoggedCommit[] = [];
  for (const chunk of output.split(RS)) {
    if (!chunk.trim()) continue;
    const [header = '', ...lines] = chunk.split('\n');
    const [hash = '', author = '', email = '', date = '', subject = ''] = header.split(US);
    const files: LoggedCommit['files'] = [];
    for (const line of lines) {
      const [change, path] = line.split('\t');
      if (change && path) files.push({ change: change[0] ?? change, path });
    }
    commits.push({ hash, author, email, date, subject, files });
  }
  return commits;
}

/** The history of `dir` (paths relative to the top level `top`), or null when `dir` is in no git repository. */
export async function readFolderHistory(dir: string): Promise<{ top: string; commits: LoggedCommit[] } | null> {
  const absolute = resolve(dir);
  try {
    const top = (await simpleGit(absolute).revparse(['--show-toplevel'])).trim();
    if (!top) return null;
    // Renames off: a moved file shows as deleted at its old path and added at its new one, in the same commit.
    const output = await simpleGit(top).raw(['log', '--name-status', '--no-renames', `--format=${gitLogFormat}`, '--', relative(top, absolute) || '.']);
    return { top, commits: parseGitLog(output) };
  } catch {
    return null;
  }
}
