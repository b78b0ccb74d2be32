// Runs pg_dump into `<archive>.partial`: custom format streamed through sha256 to the file as it is written,
// directory format with parallel jobs (then each file hashed into a manifest). Never leaves a partial behind on failure.
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { failureLines, tableFromVerboseLine } from '../../core/backup/pg-tool-output.ts';
import { LogbookError } from '../../core/errors.ts';
import type { BackupFormat } from '../../schemas/backup.ts';
import { PRIVATE_FILE_MODE } from '../fs/atomic-write.ts';
import { DEFAULT_LOGBOOK_SCHEMA } from '../pg/logbook-schema.ts';
import type { LibpqTarget } from '../pg/target.ts';
import { type ArchiveDigest, archiveBytes, digestArchive, fsyncPath, removeArchive } from './archive-files.ts';
import { startTool } from './run-tool.ts';

/** How long pg_dump waits for a table's ACCESS SHARE lock before giving up. */
export const LOCK_WAIT_TIMEOUT_MS = 60_000;

export interface PgDumpOptions {
  target: LibpqTarget;
  format: BackupFormat;
  jobs: number;
  /** Where pg_dump writes; the caller renames it once it is complete and verified. */
  partialPath: string;
  /** From pg_export_snapshot(): the dump shows exactly the state the row counts saw. */
  snapshotId: string;
  signal?: AbortSignal | undefined;
  /** Each table pg_dump starts dumping (from --verbose). */
  onTable?: (table: string) => void;
}

export interface PgDumpRun {
  /** Bytes written so far, for progress. */
  bytesWritten(): Promise<number>;
  /** Resolves with the archive's digest once it is complete and fsynced; rejects (partial removed) otherwise. */
  done: Promise<ArchiveDigest>;
  /** Stops pg_dump (used when the row counts fail). */
  stop(): void;
}

/**
 * A pg_dump name pattern that matches exactly this name: double quotes turn off the pattern characters.
 * The tool's own schema stays out of backups, so restoring one never brings back an old lock or ledger.
 */
function literalPattern(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

export function startPgDump(options: PgDumpOptions): PgDumpRun {
  const { target, format, partialPath } = options;
  const stopper = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, stopper.signal]) : stopper.signal;
  // A table held by DDL must fail the backup after a while, not hang it (and the run) forever.
  const args = [
    '--verbose',
    `--snapshot=${options.snapshotId}`,
    `--lock-wait-timeout=${LOCK_WAIT_TIMEOUT_MS}`,
    `--exclude-schema=${literalPattern(DEFAULT_LOGBOOK_SCHEMA)}`,
    `--dbname=${target.dbname}`,
  ];
  if (format === 'custom') args.unshift('--format=custom');
  else args.unshift('--format=directory', `--jobs=${options.jobs}`, `--file=${partialPath}`);
  const onStderrLine = (line: string) => {
    const table = tableFromVerboseLine(line);
    if (table) options.onTable?.(table);
  };
  // pg_dump creates a directory archive's files with the umask it inherits (0644 as a rule): it is spawned
  // under 0077 so they are private too; spawning is synchronous, so the tool's own umask returns at once.
  const umask = process.umask(0o077);
  let run: ReturnType<typeof startTool>;
  try {
    run = startTool('pg_dump', args, { env: target.env, signal, onStderrLine, stdout: format === 'custom' ? 'stream' : 'ignore' });
  } finally {
    process.umask(umask);
  }

  let streamed = 0;
  const hash = createHash('sha256');
  // Custom format goes to stdout and through the hash on its way to disk: the archive is read exactly once.
  const written =
    format === 'custom'
      ? pipeline(
          run.stdout!,
          new Transform({
            transform(chunk: Buffer, _encoding, callback) {
              hash.update(chunk);
              streamed += chunk.length;
              callback(null, chunk);
            },
          }),
          // flush: fsync before close, so "complete" means on disk.
          createWriteStream(partialPath, { flush: true, highWaterMark: 1 << 20, mode: PRIVATE_FILE_MODE }),
        )
      : Promise.resolve();

  const done = (async (): Promise<ArchiveDigest> => {
    try {
      const [result] = await Promise.all([
        run.done,
        // A write error (disk full) must stop pg_dump, or it would block on a full pipe forever.
        written.catch((error: unknown) => {
          stopper.abort();
          throw error;
        }),
      ]);
      signal.throwIfAborted();
      if (result.code !== 0) {
        const how = result.signal ? `was killed (${result.signal})` : `exited with code ${result.code}`;
        throw new LogbookError(`pg_dump ${how}:\n    ${failureLines(result.stderr).join('\n    ')}`, {
          code: 'E_PG_DUMP',
          outcome: 'backup-failed',
          hint: 'fix the cause above and run the backup again; nothing was kept from this attempt',
        });
      }
      if (format === 'custom') return { bytes: streamed, sha256: hash.digest('hex') };
      // pg_dump syncs the files of a directory archive itself; the folder entry is ours to sync.
      const digest = await digestArchive(partialPath, 'directory');
      await fsyncPath(partialPath);
      return digest;
    } catch (error) {
      stopper.abort();
      await run.done.catch(() => {});
      await removeArchive(partialPath);
      if (error instanceof LogbookError) throw error;
      if (signal.aborted && options.signal?.aborted) throw options.signal.reason;
      const err = error as NodeJS.ErrnoException;
      if (err.code === 'ENOSPC' || err.code === 'EDQUOT') {
        throw new LogbookError(`the backup folder ran out of space while pg_dump was writing`, {
          code: 'E_BACKUP_DISK_FULL',
          outcome: 'backup-failed',
          cause: error,
          hint: 'free space in the backup folder (or choose another with --dir) and run the backup again; the partial archive was removed',
        });
      }
      throw new LogbookError(`writing the archive failed`, {
        code: 'E_BACKUP_WRITE',
        outcome: 'backup-failed',
        cause: error,
        hint: 'check the backup folder is writable and has space',
      });
    }
  })();

  return {
    bytesWritten: () => (format === 'custom' ? Promise.resolve(streamed) : archiveBytes(partialPath, format)),
    done,
    stop: () => stopper.abort(),
  };
}
