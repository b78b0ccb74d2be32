// Runs one PostgreSQL client program (pg_dump, pg_restore) through the one process runner: stderr read line by
// line (redacted), the program's group stopped when the signal fires.
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { LogbookError } from '../../core/errors.ts';
import { describeEnd, runProcess, startProcess } from '../process/run-process.ts';

export type PgTool = 'pg_dump' | 'pg_restore';

/** LOGBOOK_PG_BINDIR picks a specific client version (e.g. /usr/lib/postgresql/16/bin); else PATH. */
export function pgToolPath(tool: PgTool): string {
  const dir = process.env.LOGBOOK_PG_BINDIR;
  return dir ? join(dir, tool) : tool;
}

export interface ToolRun {
  /** The program's stdout when asked for as a stream. */
  stdout: Readable | null;
  /** Resolves when the program has exited and its output is drained; stderr holds its last lines, redacted. */
  done: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string; stdout: string }>;
}

export function missingToolError(tool: PgTool, cause: unknown): LogbookError {
  return new LogbookError(`${tool} not found (${pgToolPath(tool)})`, {
    code: 'E_PG_TOOL_MISSING',
    outcome: 'backup-failed',
    cause,
    hint: `install the PostgreSQL client matching your server (e.g. apt-get install postgresql-client-16), or set LOGBOOK_PG_BINDIR to its bin folder`,
  });
}

export function startTool(
  tool: PgTool,
  args: string[],
  options: { env: NodeJS.ProcessEnv; signal?: AbortSignal | undefined; onStderrLine?: (line: string) => void; stdout?: 'stream' | 'text' | 'ignore' },
): ToolRun {
  // Verbose output is long; only the end matters for an error message.
  const run = startProcess(pgToolPath(tool), args, {
    env: options.env,
    signal: options.signal,
    stdout: options.stdout ?? 'ignore',
    stderr: 'lines',
    onLine: options.onStderrLine,
    tailLines: 200,
  });
  const done = run.done.then((result) => {
    if (result.spawnError) throw result.spawnError.code === 'ENOENT' ? missingToolError(tool, result.spawnError) : result.spawnError;
    return { code: result.exitCode, signal: result.signal, stderr: result.tail, stdout: result.stdout };
  });
  return { stdout: run.stdout, done };
}

/** Runs `<tool> --version` and returns its first line. */
export async function toolVersionText(tool: PgTool): Promise<string> {
  const result = await runProcess(pgToolPath(tool), ['--version'], { stdout: 'text' });
  if (result.spawnError?.code === 'ENOENT') throw missingToolError(tool, result.spawnError);
  if (result.exitCode !== 0) throw missingToolError(tool, result.spawnError ?? new Error(`${tool} --version ${describeEnd(result)}`));
  return result.stdout.trim();
}
