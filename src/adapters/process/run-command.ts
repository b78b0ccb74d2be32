// Runs a migration (or maintenance) command through the one process runner: output streamed line by line
// (redacted) and its tail kept, timings taken, the whole group stopped when the run is interrupted.
import { runProcess } from './run-process.ts';

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
  /** How long the group has between SIGTERM and SIGKILL (default DEFAULT_STOP_GRACE_MS). */
  stopGraceMs?: number;
  /** Called once the command runs, with its process group id, before any output: journal it. */
  onStart?: (pgid: number) => void | Promise<void>;
}

export async function runCommand(argv: string[], options: RunCommandOptions = {}): Promise<CommandResult> {
  const [file, ...args] = options.shell ? ['sh', '-c', argv.join(' ')] : argv;
  const result = await runProcess(file!, args, {
    cwd: options.cwd,
    env: options.env,
    stdout: 'lines',
    stderr: 'lines',
    onLine: options.onLine,
    signal: options.signal,
    stopGraceMs: options.stopGraceMs,
    onStart: options.onStart,
  });
  const spawnError = result.spawnError?.message ?? null;
  return {
    startedAt: result.startedAt,
    finishedAt: result.finishedAt,
    durationMs: result.durationMs,
    exitCode: result.exitCode,
    signal: result.signal,
    outputTail: spawnError ? `could not start ${file}: ${spawnError}` : result.tail,
    spawnError,
  };
}
