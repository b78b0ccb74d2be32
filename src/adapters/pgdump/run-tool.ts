// Runs one PostgreSQL client program (pg_dump, pg_restore): stderr read line by line, stopped when the signal fires.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { LogbookError } from '../../core/errors.ts';
import { redactText } from '../../core/redact.ts';

export type PgTool = 'pg_dump' | 'pg_restore';

/** LOGBOOK_PG_BINDIR picks a specific client version (e.g. /usr/lib/postgresql/16/bin); else PATH. */
export function pgToolPath(tool: PgTool): string {
  const dir = process.env.LOGBOOK_PG_BINDIR;
  return dir ? join(dir, tool) : tool;
}

export interface ToolRun {
  child: ChildProcess;
  /** Resolves when the program has exited and its output is drained. */
  done: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>;
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
  options: { env: NodeJS.ProcessEnv; signal?: AbortSignal | undefined; onStderrLine?: (line: string) => void; stdout?: 'pipe' | 'ignore' },
): ToolRun {
  const child = spawn(pgToolPath(tool), args, { env: options.env, stdio: ['ignore', options.stdout ?? 'ignore', 'pipe'] });
  const tail: string[] = [];
  const lines = createInterface({ input: child.stderr! });
  lines.on('line', (raw) => {
    const line = redactText(raw);
    tail.push(line);
    // Verbose output is long; only the end matters for an error message.
    if (tail.length > 200) tail.shift();
    options.onStderrLine?.(line);
  });
  const linesClosed = new Promise<void>((resolve) => lines.once('close', resolve));

  let killTimer: NodeJS.Timeout | undefined;
  const stop = () => {
    child.kill('SIGTERM');
    // pg_dump waits for its parallel workers; a stuck one still must not outlive us.
    killTimer = setTimeout(() => child.kill('SIGKILL'), 5000);
    killTimer.unref();
  };
  if (options.signal?.aborted) stop();
  else options.signal?.addEventListener('abort', stop, { once: true });

  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((resolve, reject) => {
    child.once('error', (error) => {
      options.signal?.removeEventListener('abort', stop);
      reject((error as NodeJS.ErrnoException).code === 'ENOENT' ? missingToolError(tool, error) : error);
    });
    child.once('close', (code, signal) => {
      options.signal?.removeEventListener('abort', stop);
      if (killTimer) clearTimeout(killTimer);
      void linesClosed.then(() => resolve({ code, signal, stderr: tail.join('\n') }));
    });
  });
  return { child, done };
}

/** Runs `<tool> --version` and returns its first line. */
export async function toolVersionText(tool: PgTool): Promise<string> {
  const child = spawn(pgToolPath(tool), ['--version'], { stdio: ['ignore', 'pipe', 'ignore'] });
  let text = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
  return new Promise((resolve, reject) => {
    child.once('error', (error) => reject((error as NodeJS.ErrnoException).code === 'ENOENT' ? missingToolError(tool, error) : error));
    child.once('close', (code) => (code === 0 ? resolve(text.trim()) : reject(missingToolError(tool, new Error(`${tool} --version exited ${code}`)))));
  });
}
