// The one way this tool starts a program: in its own process group, its output read whole or line by line
// (lines redacted), and stopped as a group (SIGTERM, then SIGKILL after one grace period) when the caller's
// signal fires, so a grandchild (npx → prisma → engine, pg_dump's workers) can neither keep working nor hang us.
import { spawn } from 'node:child_process';
import type { Readable } from 'node:stream';
import { OutputTail } from '../../core/output-tail.ts';
import { signalGroup } from './process-group.ts';

/** Between SIGTERM and SIGKILL, for every program the tool starts (config `process.stopGraceMs` overrides it). */
export const DEFAULT_STOP_GRACE_MS = 10_000;

/** How long output may stay open after the program exited (held by something it left behind) before what remains of its group is killed. */
const LINGER_MS = 2_000;

/**
 * - `text`: kept whole and returned as is (a JSON answer, a listing, a signature); the caller parses it.
 * - `lines`: split into lines, each redacted, passed to `onLine` and kept in the result's `tail`.
 * - `stream`: handed to the caller as bytes (`run.stdout`), e.g. an archive piped to a file.
 * - `ignore`: /dev/null.
 */
export type OutputMode = 'text' | 'lines' | 'stream' | 'ignore';

export interface ProcessOptions {
  cwd?: string | undefined;
  env?: NodeJS.ProcessEnv | undefined;
  /** Written to stdin, which is then closed; without it stdin is /dev/null. */
  input?: string | undefined;
  stdout?: OutputMode;
  stderr?: Exclude<OutputMode, 'stream'>;
  /** Each complete line of a `lines` stream, already redacted. */
  onLine?: ((line: string) => void) | undefined;
  /** Lines kept in `tail` (default 60, within 16 kB). */
  tailLines?: number;
  signal?: AbortSignal | undefined;
  /** Between SIGTERM and SIGKILL once `signal` fires (default DEFAULT_STOP_GRACE_MS). */
  stopGraceMs?: number | undefined;
  /** Called once the program runs, with its process group id (= its pid), before any output: journal it. */
  onStart?: ((pgid: number) => void | Promise<void>) | undefined;
}

/** How every program run ends, whatever it was: the one shape callers turn into their own errors. */
export interface ProcessResult {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  /** The program could not be started at all (`ENOENT`: not found; `EACCES`: not executable). */
  spawnError: NodeJS.ErrnoException | null;
  /** `text` output, verbatim. */
  stdout: string;
  stderr: string;
  /** The last lines of the `lines` streams, redacted. */
  tail: string;
  startedAt: string;
  finishedAt: string;
  durationMs: number;
}

export interface ProcessRun {
  /** Also the process group id; undefined when the program could not be started. */
  pid: number | undefined;
  /** The program's stdout when `stdout: 'stream'`. */
  stdout: Readable | null;
  /** Resolves once the program has exited and its output is read; never rejects (see `spawnError`). */
  done: Promise<ProcessResult>;
}

/** Groups still running; if this process is made to exit (a fourth Ctrl-C, process.exit), they would live on unseen. */
const liveGroups = new Set<number>();
let exitHookInstalled = false;
function trackGroup(pgid: number): void {
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.on('exit', () => {
      for (const group of liveGroups) signalGroup(group, 'SIGKILL');
    });
  }
  liveGroups.add(pgid);
}

export function startProcess(file: string, args: readonly string[], options: ProcessOptions = {}): ProcessRun {
  const stdoutMode = options.stdout ?? 'ignore';
  const stderrMode = options.stderr ?? 'ignore';
  const tail = new OutputTail(options.tailLines ?? 60, Math.max(16_384, (options.tailLines ?? 60) * 256));
  const started = performance.now();
  const startedAt = new Date().toISOString();
  const grace = options.stopGraceMs ?? DEFAULT_STOP_GRACE_MS;
  const pipeOrIgnore = (mode: OutputMode) => (mode === 'ignore' ? 'ignore' : 'pipe');
  // detached: the program leads a new process group (and session, so it can never stop on a terminal prompt).
  const child = spawn(file, [...args], {
    cwd: options.cwd,
    env: options.env ?? process.env,
    stdio: [options.input === undefined ? 'ignore' : 'pipe', pipeOrIgnore(stdoutMode), pipeOrIgnore(stderrMode)],
    detached: true,
  });
  const pgid = child.pid;
  if (pgid !== undefined) {
    trackGroup(pgid);
    void options.onStart?.(pgid);
  }

  let stdout = '';
  let stderr = '';
  const emit = (lines: string[]) => {
    for (const line of lines) options.onLine?.(line);
  };
  const read = (stream: Readable | null, mode: OutputMode, append: (text: string) => void) => {
    if (!stream || mode === 'stream' || mode === 'ignore') return;
    stream.setEncoding('utf8').on('data', (chunk: string) => (mode === 'lines' ? emit(tail.push(chunk)) : append(chunk)));
  };
  read(child.stdout, stdoutMode, (text) => (stdout += text));
  read(child.stderr, stderrMode, (text) => (stderr += text));
  if (options.input !== undefined && child.stdin) {
    // The program may exit before it reads its input: EPIPE then, and its exit code tells.
    child.stdin.on('error', () => {});
    child.stdin.end(options.input);
  }

  let killTimer: NodeJS.Timeout | undefined;
  const stop = () => {
    if (pgid === undefined || killTimer) return;
    signalGroup(pgid, 'SIGTERM');
    killTimer = setTimeout(() => {
      signalGroup(pgid, 'SIGKILL');
      liveGroups.delete(pgid);
    }, grace);
  };
  options.signal?.addEventListener('abort', stop, { once: true });
  if (options.signal?.aborted) stop();

  const done = new Promise<ProcessResult>((resolve) => {
    let spawnError: NodeJS.ErrnoException | null = null;
    let exited: { code: number | null; signal: NodeJS.Signals | null } | null = null;
    let lingerTimer: NodeJS.Timeout | undefined;
    let settled = false;
    const finish = (code: number | null, signal: NodeJS.Signals | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(lingerTimer);
      // Once stopping, a member that ignores SIGTERM and outlived the leader still gets its SIGKILL on time.
      if (killTimer) killTimer.unref();
      else if (pgid !== undefined) liveGroups.delete(pgid);
      options.signal?.removeEventListener('abort', stop);
      emit(tail.end());
      resolve({
        exitCode: spawnError ? null : code,
        signal,
        spawnError,
        stdout,
        stderr,
        tail: tail.toString(),
        startedAt,
        finishedAt: new Date().toISOString(),
        durationMs: performance.now() - started,
      });
    };
    child.on('error', (error) => {
      spawnError = error as NodeJS.ErrnoException;
      finish(null, null);
    });
    child.on('exit', (code, signal) => {
      exited = { code, signal };
      // Something the program left behind that still holds its output would keep 'close' from ever firing:
      // the program is over, so what remains of its group is stopped.
      lingerTimer = setTimeout(() => {
        if (pgid !== undefined) signalGroup(pgid, 'SIGKILL');
        finish(code, signal);
      }, LINGER_MS);
    });
    child.on('close', (code, signal) => finish(exited?.code ?? code, exited?.signal ?? signal));
  });
  return { pid: pgid, stdout: stdoutMode === 'stream' ? child.stdout : null, done };
}

/** Starts a program and waits for it. */
export function runProcess(file: string, args: readonly string[], options: ProcessOptions = {}): Promise<ProcessResult> {
  return startProcess(file, args, options).done;
}

/** "exited with code 2", "was killed (SIGKILL)", "could not be started (ENOENT)": for error messages. */
export function describeEnd(result: Pick<ProcessResult, 'exitCode' | 'signal' | 'spawnError'>): string {
  if (result.spawnError) return `could not be started (${result.spawnError.code ?? result.spawnError.message})`;
  return result.signal ? `was killed (${result.signal})` : `exited with code ${result.exitCode}`;
}
