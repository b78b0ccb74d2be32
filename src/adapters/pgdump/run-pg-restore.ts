// Runs pg_restore (into a database, or --list) and turns its failure into a clear error.

import { failureLines, tableFromVerboseLine } from '../../core/backup/pg-tool-output.ts';
import { LogbookError } from '../../core/errors.ts';
import { type TargetInput, toTarget } from '../pg/target.ts';
import { startTool } from './run-tool.ts';

/** `pg_restore --list`: the archive's table of contents, which pg_restore can only print if it can read the archive. */
export async function listArchive(archivePath: string, signal?: AbortSignal): Promise<{ ok: true; listing: string } | { ok: false; reason: string }> {
  const run = startTool('pg_restore', ['--list', archivePath], { env: process.env, signal, stdout: 'text' });
  const result = await run.done;
  signal?.throwIfAborted();
  if (result.code !== 0) return { ok: false, reason: `pg_restore --list failed: ${failureLines(result.stderr, 3).join('; ')}` };
  return { ok: true, listing: result.stdout };
}

export interface RestoreIntoOptions {
  archivePath: string;
  /** The database restored into. */
  url: TargetInput;
  /** pg_restore options besides the connection and the archive. */
  args: string[];
  signal?: AbortSignal | undefined;
  onTable?: (table: string) => void;
  /** Words for the error message: "restoring into the scratch database". */
  doing: string;
}

export async function restoreArchiveInto(options: RestoreIntoOptions): Promise<void> {
  const target = toTarget(options.url).libpq;
  const onStderrLine = (line: string) => {
    const table = tableFromVerboseLine(line);
    if (table) options.onTable?.(table);
  };
  const run = startTool('pg_restore', ['--verbose', '--exit-on-error', ...options.args, `--dbname=${target.dbname}`, options.archivePath], {
    env: target.env,
    signal: options.signal,
    onStderrLine,
  });
  const result = await run.done;
  options.signal?.throwIfAborted();
  if (result.code !== 0) {
    const how = result.signal ? `was killed (${result.signal})` : `exited with code ${result.code}`;
    throw new LogbookError(`${options.doing}: pg_restore ${how}:\n    ${failureLines(result.stderr).join('\n    ')}`, {
      code: 'E_PG_RESTORE',
      outcome: 'backup-failed',
      hint: 'see the pg_restore messages above',
    });
  }
}
