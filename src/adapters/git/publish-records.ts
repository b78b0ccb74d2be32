// Records travel through a git remote: checks that a commit can be made before anything runs, and pushes
// filed records with a rebase on top of what other machines pushed (record files are new files, so they never conflict).
import { relative } from 'node:path';
import { type SimpleGit, simpleGit } from 'simple-git';
import { LogbookError } from '../../core/errors.ts';
import { redactText } from '../../core/redact.ts';

async function repoOf(dir: string): Promise<{ git: SimpleGit; top: string }> {
  const top = (
    await simpleGit(dir)
      .revparse(['--show-toplevel'])
      .catch(() => '')
  ).trim();
  if (!top) {
    throw new LogbookError(`${dir} is not inside a git repository, so records cannot be committed`, {
      code: 'E_GIT_NO_REPO',
      outcome: 'stopped-before-change',
      hint: 'run `git init` (or clone the records repository) in the folder that holds the records, or set "commit": false',
    });
  }
  return { git: simpleGit(top), top };
}

/**
 * Pre-flight: git has an identity and the records folder holds no uncommitted edits, so the record this run
 * files can be committed. Checked before anything touches the database.
 */
export async function checkCanCommit(recordsDir: string): Promise<void> {
  const { git, top } = await repoOf(recordsDir);
  // useConfigOnly: git must not guess an identity from the host name; a record's commit names a real person or bot.
  const ident = await git.raw(['-c', 'user.useConfigOnly=true', 'var', 'GIT_COMMITTER_IDENT']).catch((error: Error) => error);
  if (ident instanceof Error) {
    throw new LogbookError('git has no identity here, so the record could not be committed', {
      code: 'E_GIT_IDENTITY',
      outcome: 'stopped-before-change',
      hint: 'set one: git config user.name "Your Name" && git config user.email you@example.com (in CI: the bot identity); nothing was changed',
    });
  }
  const status = await git.status(['--', relative(top, recordsDir) || '.']);
  // Untracked files count too: a record filed earlier but never committed would otherwise never be published.
  // An untracked snapshot file is the orphan a crash between it and its record can leave: harmless, not in the way.
  const dirty = status.files.filter((f) => !(f.index === '?' && /(^|\/)_snapshots\//.test(f.path))).map((f) => f.path);
  if (dirty.length) {
    throw new LogbookError(`the records folder has uncommitted changes: ${dirty.slice(0, 5).join(', ')}${dirty.length > 5 ? ', …' : ''}`, {
      code: 'E_GIT_RECORDS_DIRTY',
      outcome: 'stopped-before-change',
      hint: 'commit or restore them first (`git status`), so this run commits only its own record; nothing was changed',
    });
  }
}

export interface PushOptions {
  remote?: string | undefined;
  /** Tries in all: each rejected push pulls with rebase and tries again. */
  attempts?: number | undefined;
}

/** Push the current branch; on a rejection, rebase onto the remote and retry. Throws (exit 15) when it cannot. */
export async function pushRecords(recordsDir: string, options: PushOptions = {}): Promise<{ remote: string; branch: string; attempts: number }> {
  const { git } = await repoOf(recordsDir);
  const remote = options.remote ?? 'origin';
  const attempts = Math.max(1, options.attempts ?? 4);
  const branch = (await git.revparse(['--abbrev-ref', 'HEAD'])).trim();
  let lastError = '';
  for (let attempt = 1; attempt <= attempts; attempt++) {
    try {
      await git.push(remote, `HEAD:${branch}`);
      return { remote, branch, attempts: attempt };
    } catch (error) {
      lastError = redactText((error as Error).message.trim().split('\n').slice(-3).join(' '));
    }
    // Another machine pushed first (or the remote is briefly away): take its commits under ours and retry.
    try {
      await git.pull(remote, branch, { '--rebase': null });
    } catch (error) {
      await git.rebase(['--abort']).catch(() => {});
      lastError = redactText((error as Error).message.trim().split('\n').slice(-3).join(' '));
    }
    if (attempt < attempts) await new Promise((r) => setTimeout(r, 250 * 2 ** (attempt - 1)));
  }
  throw new LogbookError(`the record is committed locally but could not be pushed to ${remote}/${branch}: ${lastError}`, {
    code: 'E_GIT_PUSH',
    outcome: 'not-committed',
    hint: 'the record is safe in this clone; push it later with `logbook sync` (it rebases onto the remote and pushes)',
  });
}
