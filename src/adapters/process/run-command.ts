// Runs a migration (or maintenance) command: output streamed line by line and its tail kept,
// timings taken, stopped with SIGTERM (then SIGKILL) when the run is interrupted.
import { spawn } from 'node:child_process';
import { OutputTail } from '../../core/output-tail.ts';

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

export interface RunCommandOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Run through `sh -c` (config maintenance commands are shell strings). */
  shell?: boolean;
  onLine?: (line: string) => void;
  signal?: AbortSignal;
}

export async function runCommand(argv: string[], options: RunCommandOptions = {}): Promise<CommandResult> {
  const [file, ...args] = options.shell ? ['sh', '-c', argv.join(' ')] : argv;
  const tail = new OutputTail();
  const started = performance.now();
  const startedAt = new Date().toISOString();
  const emit = (lines: string[]) => lines.forEach((line) => options.onLine?.(line));

  return new Promise((resolve) => {
    const child = spawn(file!, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let spawnError: string | null = null;
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => emit(tail.push(chunk)));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => emit(tail.push(chunk)));
    child.on('error', (error) => {
      spawnError = error.message;
    });
    let killTimer: NodeJS.Timeout | undefined;
    const onAbort = () => {
      child.kill('SIGTERM');
      killTimer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    };
    options.signal?.addEventListener('abort', onAbort, { once: true });
    child.on('close', (code, signal) => {
      clearTimeout(killTimer);
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
    });
  });
}
