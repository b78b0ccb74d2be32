// One run at a time per environment. The lock file names the run that holds it, the process working on
// it and what the run waits for; a lock whose process is gone is reported with what to do, never ignored.
import { mkdir, readFile, unlink } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { writeFileAtomically } from '../adapters/fs/atomic-write.ts';
import { LogbookError } from '../core/errors.ts';
import { environmentNameSchema } from '../schemas/config.ts';

export interface LockInfo {
  runId: string;
  environment: string;
  /** The process working on the run; null while it waits for a person. */
  pid: number | null;
  host: string;
  since: string;
  /** What a run without a live process waits for: `finish` after `start`, `resume` after an interruption. */
  awaiting?: 'finish' | 'resume' | undefined;
}

export function lockPath(stateDir: string, environment: string): string {
  // Checked where the name becomes a path too: no caller can put a lock outside the locks folder.
  if (!environmentNameSchema.safeParse(environment).success) {
    throw new LogbookError(`"${environment}" is not an environment name`, { code: 'E_USAGE', outcome: 'usage', hint: 'e.g. --env production' });
  }
  return join(stateDir, 'locks', `${environment}.lock`);
}

export function processAlive(pid: number | null): boolean {
  if (!pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export async function readLock(stateDir: string, environment: string): Promise<LockInfo | null> {
  const path = lockPath(stateDir, environment);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  try {
    return JSON.parse(text) as LockInfo;
  } catch {
    throw new LogbookError(`the lock of ${environment} is unreadable (${path})`, {
      code: 'E_LOCK_UNREADABLE',
      outcome: 'locked',
      hint: `make sure no migration is running on ${environment} (see \`ls ${join(stateDir, 'runs')}\`), then delete ${path}`,
    });
  }
}

function heldError(lock: LockInfo): LogbookError {
  const alive = processAlive(lock.pid) && lock.host === hostname();
  if (alive) {
    return new LogbookError(`another run (${lock.runId}) is in progress on ${lock.environment}, process ${lock.pid} since ${lock.since}`, {
      code: 'E_LOCKED',
      outcome: 'locked',
      hint: 'wait for it to finish; only one migration may run on an environment at a time',
    });
  }
  const awaitsFinish = lock.awaiting === 'finish';
  const why = awaitsFinish ? 'was started step by step and awaits `logbook finish`' : `was interrupted (process ${lock.pid ?? '?'} on ${lock.host} is gone)`;
  return new LogbookError(`run ${lock.runId} on ${lock.environment} ${why}`, {
    code: 'E_STALE_LOCK',
    outcome: 'locked',
    hint: awaitsFinish
      ? `finish it with \`logbook finish --run ${lock.runId}\`, or close it with \`logbook abort --run ${lock.runId}\``
      : `continue it with \`logbook resume --run ${lock.runId}\`, or close it with \`logbook abort --run ${lock.runId}\``,
  });
}

/** Take the environment's lock for a new run; refuses when any run holds it. */
export async function acquireLock(stateDir: string, environment: string, runId: string): Promise<void> {
  await mkdir(join(stateDir, 'locks'), { recursive: true });
  const info: LockInfo = { runId, environment, pid: process.pid, host: hostname(), since: new Date().toISOString() };
  try {
    // Written whole, then linked into place: two runs cannot both win, and nobody reads half a lock.
    await writeFileAtomically(lockPath(stateDir, environment), JSON.stringify(info), { overwrite: false });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    const held = await readLock(stateDir, environment);
    if (!held) return acquireLock(stateDir, environment, runId);
    throw heldError(held);
  }
}

/** Continue a run that holds the lock (resume/finish/abort): refuses if a live process still works on it. */
export async function adoptLock(stateDir: string, environment: string, runId: string, pid: number | null = process.pid, awaiting?: LockInfo['awaiting']): Promise<void> {
  const held = await readLock(stateDir, environment);
  if (held && held.runId !== runId) throw heldError(held);
  if (held && held.pid !== process.pid && processAlive(held.pid) && held.host === hostname()) throw heldError(held);
  const info: LockInfo = { runId, environment, pid, host: hostname(), since: held?.since ?? new Date().toISOString(), ...(pid === null && awaiting ? { awaiting } : {}) };
  await writeFileAtomically(lockPath(stateDir, environment), JSON.stringify(info), { overwrite: true });
}

export async function releaseLock(stateDir: string, environment: string, runId: string): Promise<void> {
  const held = await readLock(stateDir, environment).catch(() => null);
  if (held?.runId === runId) await unlink(lockPath(stateDir, environment)).catch(() => {});
}

