// Runs a migration (or maintenance) command in its own process group: output streamed line by line
// and its tail kept, timings taken. When the run is interrupted the whole group gets SIGTERM, then
// SIGKILL after a grace period, so a grandchild (npx → prisma → engine) cannot keep working or hang it.
import { spawn } from 'node:child_process';
import { OutputTail } from '../../core/output-tail.ts';
import { signalGroup } from './process-group.ts';

export interface CommandResult {
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  exitCode: number | null;
  signal: string | null;
  outputTail: string;
  /** The command could not be started at all (not found, not executable). */
  spawnError: string | null;
}

export const DEFAULT_STOP_GRACE_MS = 10_000;

/** How long the output may stay open after the command exited before what is left of its group is stopped. */
const LINGER_MS = 2_000;

export interface RunCommandOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Run through `sh -c` (config maintenance commands are shell strings). */
  shell?: boolean;
  onLine?: (line: string) => void;
  signal?: AbortSignal;
  /** How long the group has between SIGTERM and SIGKILL (default 10 s). */
  stopGraceMs?: number;
  /** Called once the command runs, with its process group id, before any output: journal it. */
  onStart?: (pgid: number) => void | Promise<void>;
}

export async function runCommand(argv: string[], options: RunCommandOptions = {}): Promise<CommandResult> {
  const [file, ...args] = options.shell ? ['sh', '-c', argv.join(' ')] : argv;
  const tail = new OutputTail();
  const started = performance.now();
  const startedAt = new Date().toISOString();
  const grace = options.stopGraceMs ?? DEFAULT_STOP_GRACE_MS;
  const emit = (lines: string[]) => {
    for (const line of lines) options.onLine?.(line);
  };

  return new Promise((resolve) => {
    // detached: the command leads a new process group, so the group (not just the child) can be stopped.
    const child = spawn(file!, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    const pgid = child.pid;
    let spawnError: string | null = null;
    let exited: { code: number | null; signal: NodeJS.Signals | null } | null = null;
    let settled = false;
    if (pgid !== undefined) void options.onStart?.(pgid);
    // If this process is made to exit (a fourth Ctrl-C), the detached group would live on unseen: take it along.
    const onExit = () => pgid !== undefined && signalGroup(pgid, 'SIGKILL');
    process.once('exit', onExit);
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => emit(tail.push(chunk)));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => emit(tail.push(chunk)));
    child.on('error', (error) => {
      spawnError = error.message;
      finish(null, null);
    });
    let killTimer: NodeJS.Timeout | undefined;
    let lingerTimer: NodeJS.Timeout | undefined;
    const onAbort = () => {
      if (pgid === undefined) return;
      signalGroup(pgid, 'SIGTERM');
      killTimer = setTimeout(() => signalGroup(pgid, 'SIGKILL'), grace);
      killTimer.unref();
    };
    options.signal?.addEventListener('abort', onAbort, { once: true });
    if (options.signal?.aborted) onAbort();

    const finish = (code: number | null, signal: NodeJS.Signals | null) => {
      if (settled) return;
      settled = true;
      process.off('exit', onExit);
      clearTimeout(killTimer);
      clearTimeout(lingerTimer);
      options.signal?.removeEventListener('abort', onAbort);
      emit(tail.end());
      resolve({
        startedAt,
        finishedAt: new Date().toISOString(),
        durationMs: performance.now() - started,
        exitCode: spawnError ? null : code,
        signal,
        outputTail: spawnError ? `could not start ${file}: ${spawnError}` : tail.toString(),
        spawnError,
      });
    };
    child.on('exit', (code, signal) => {
      exited = { code, signal };
      // A process the command left behind that still holds its output would keep 'close' from ever
      // firing: the command is over, so what remains of its group is stopped.
      lingerTimer = setTimeout(() => {
        if (pgid !== undefined) signalGroup(pgid, 'SIGKILL');
        finish(code, signal);
      }, LINGER_MS);
    });
    child.on('close', (code, signal) => finish(exited?.code ?? code, exited?.signal ?? signal));
  });
}
