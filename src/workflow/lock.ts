// One run at a time per environment. The lock file names the run that holds it and the process
// working on it; a lock whose process is gone is reported as stale (with what to do), never ignored.
import { mkdir, open, readFile, unlink, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { EXIT, LogbookError } from '../cli/errors.ts';

export interface LockInfo {
  runId: string;
  environment: string;
  pid: number | null;
  host: string;
  since: string;
}

export function lockPath(stateDir: string, environment: string): string {
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
  try {
    return JSON.parse(await readFile(lockPath(stateDir, environment), 'utf8')) as LockInfo;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

function heldError(lock: LockInfo): LogbookError {
  const alive = processAlive(lock.pid) && lock.host === hostname();
  if (alive) {
    return new LogbookError(`another run (${lock.runId}) is in progress on ${lock.environment}, process ${lock.pid} since ${lock.since}`, {
      code: 'E_LOCKED',
      exitCode: EXIT.locked,
      hint: 'wait for it to finish; only one migration may run on an environment at a time',
    });
  }
  const why = lock.pid === null ? 'was started step by step and awaits `logbook finish`' : `was interrupted (process ${lock.pid} on ${lock.host} is gone)`;
  return new LogbookError(`run ${lock.runId} on ${lock.environment} ${why}`, {
    code: 'E_STALE_LOCK',
    exitCode: EXIT.locked,
    hint: lock.pid === null
      ? `finish it with \`logbook finish --run ${lock.runId}\`, or close it with \`logbook abort --run ${lock.runId}\``
      : `continue it with \`logbook resume --run ${lock.runId}\`, or close it with \`logbook abort --run ${lock.runId}\``,
  });
}

/** Take the environment's lock for a new run; refuses when any run holds it. */
export async function acquireLock(stateDir: string, environment: string, runId: string): Promise<void> {
  const path = lockPath(stateDir, environment);
  await mkdir(join(stateDir, 'locks'), { recursive: true });
  const info: LockInfo = { runId, environment, pid: process.pid, host: hostname(), since: new Date().toISOString() };
  try {
    const handle = await open(path, 'wx');
    await handle.writeFile(JSON.stringify(info));
    await handle.sync();
    await handle.close();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    const held = await readLock(stateDir, environment);
    if (!held) return acquireLock(stateDir, environment, runId);
    throw heldError(held);
  }
}

/** Continue a run that holds the lock (resume/finish/abort): refuses if a live process still works on it. */
export async function adoptLock(stateDir: string, environment: string, runId: string, pid: number | null = process.pid): Promise<void> {
  const held = await readLock(stateDir, environment);
  if (held && held.runId !== runId) throw heldError(held);
  if (held && held.pid !== process.pid && processAlive(held.pid) && held.host === hostname()) throw heldError(held);
  await writeFile(lockPath(stateDir, environment), JSON.stringify({ runId, environment, pid, host: hostname(), since: held?.since ?? new Date().toISOString() }));
}

export async function releaseLock(stateDir: string, environment: string, runId: string): Promise<void> {
  const held = await readLock(stateDir, environment);
  if (held?.runId === runId) await unlink(lockPath(stateDir, environment)).catch(() => {});
}
