// Where a migration came from (the app repo's commit, branch, dirty flag, remote) and who ran it.
import { simpleGit } from 'simple-git';
import type { CodeProvenance } from '../../schemas/record.ts';

/** A remote URL without credentials: https://token@host/x.git → https://host/x.git. */
export function stripCredentials(remote: string): string {
  try {
    const url = new URL(remote);
    url.username = '';
    url.password = '';
    return url.toString();
  } catch {
    return remote; // scp-like git@host:org/repo.git carries no secret
  }
}

export async function readProvenance(repoDir: string): Promise<CodeProvenance | null> {
  const git = simpleGit(repoDir);
  if (!(await git.checkIsRepo().catch(() => false))) return null;
  const commit = (await git.revparse(['HEAD']).catch(() => '')).trim();
  if (!commit) return null;
  const branch = (await git.revparse(['--abbrev-ref', 'HEAD']).catch(() => 'HEAD')).trim();
  const status = await git.status();
  const remotes = await git.getRemotes(true);
  const origin = remotes.find((r) => r.name === 'origin') ?? remotes[0];
  return {
    commit,
    branch: branch === 'HEAD' ? null : branch,
    dirty: !status.isClean(),
    remote: origin?.refs.fetch ? stripCredentials(origin.refs.fetch) : null,
  };
}

/** `--by` wins; else git's user.name/user.email (of the app repo, else global); else the OS user. */
export async function resolvePerformer(by: string | undefined, repoDir: string | null): Promise<{ name: string; email?: string }> {
  if (by) {
    const match = /^(.*?)\s*<([^>]+)>$/.exec(by);
    return match ? { name: match[1]!, email: match[2]! } : { name: by };
  }
  // In CI the git identity is the bot that commits; the person who started the job is the performer.
  const actor = process.env.CI && process.env.GITHUB_ACTOR;
  if (actor) return { name: actor };
  const identity = await gitIdentity(repoDir);
  if (identity) return identity;
  return { name: process.env.USER ?? process.env.LOGNAME ?? 'unknown' };
}

/** git's configured user.name / user.email in a folder, or null when none is set. */
export async function gitIdentity(dir: string | null): Promise<{ name: string; email?: string } | null> {
  const git = simpleGit(dir ?? process.cwd());
  const name = (await git.raw(['config', 'user.name']).catch(() => '')).trim();
  const email = (await git.raw(['config', 'user.email']).catch(() => '')).trim();
  if (!name) return null;
  return email ? { name, email } : { name };
}
