// createBackup: pre-flight, pg_dump inside an exported snapshot with exact counts from that same snapshot,
// verification, then the final name and the sidecar. Any failure leaves neither a complete-looking archive nor a sidecar.
import { existsSync } from 'node:fs';
import { mkdir, rename } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { backupArchiveName, PARTIAL_SUFFIX, sidecarPathOf } from '../../core/backup/naming.ts';
import { dumpStatusLine } from '../../core/backup/progress.ts';
import { LogbookError } from '../../core/errors.ts';
import { formatBytes, formatDuration } from '../../core/format.ts';
import type { BackupFormat, BackupMeta, BackupTableCount, BackupVerification, VerifyLevel } from '../../schemas/backup.ts';
import { PRIVATE_DIR_MODE } from '../fs/atomic-write.ts';
import { connect } from '../pg/client.ts';
import { describePgError } from '../pg/errors.ts';
import { DEFAULT_LOGBOOK_SCHEMA } from '../pg/logbook-schema.ts';
import { readServerIdentity } from '../pg/server-identity.ts';
import { listUserTables } from '../pg/tables.ts';
import { type TargetInput, toTarget } from '../pg/target.ts';
import { type ArchiveDigest, fsyncPath, removeArchive } from './archive-files.ts';
import { countTables } from './exact-counts.ts';
import { checkFreeSpace, checkToolVersion } from './preflight.ts';
import { startPgDump } from './run-pg-dump.ts';
import { toolVersionText } from './run-tool.ts';
import { writeSidecar } from './sidecar.ts';

export interface CreateBackupOptions {
  /** The database backed up: a URL or a target parsed once by the caller. */
  url: TargetInput;
  dir: string;
  format: BackupFormat;
  jobs: number;
  verify: VerifyLevel;
  /** Where the scratch database of verify=restore is created; default: the source server. */
  scratchUrl?: TargetInput | undefined;
  /** Skip the free-space refusal. */
  force?: boolean | undefined;
  signal?: AbortSignal | undefined;
  /** Progress lines; `transient` ones are status updates a terminal may redraw in place. */
  onProgress?: ((line: string, update?: { transient: boolean }) => void) | undefined;
  /** How often a transient status line is sent while pg_dump runs (default 1000 ms). */
  progressIntervalMs?: number | undefined;
}

const SNAPSHOT_SQL = `
  SELECT (SELECT coalesce(sum(pg_table_size(c.oid)), 0)::bigint
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
           WHERE c.relkind IN ('r', 'm') AND n.nspname NOT IN ('pg_catalog', 'information_schema', $1)) AS table_bytes,
         pg_export_snapshot() AS snapshot_id`;

interface SourceState {
  table_bytes: string;
  snapshot_id: string;
}

/** What a filesystem error code means for the backup folder, in words. */
const FOLDER_PROBLEMS: Record<string, string> = {
  ENOTDIR: 'part of its path is a file, not a folder',
  EEXIST: 'a file of that name is in the way',
  ENOENT: 'it does not exist',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'the file system is read-only',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'the disk quota is exhausted',
};

/** A filesystem error on the backup folder (or a parent or file of it) as what it is, not as a PostgreSQL problem. */
function backupFolderError(error: unknown, dir: string): LogbookError | undefined {
  const err = error as NodeJS.ErrnoException;
  const problem = err.code === undefined ? undefined : FOLDER_PROBLEMS[err.code];
  if (!problem || typeof err.path !== 'string') return undefined;
  // Only paths on the way to the folder or inside it: an ENOENT from spawning a missing tool is someone else's.
  const within = (outer: string, inner: string) => {
    const rel = relative(outer, inner);
    return rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel);
  };
  const path = resolve(err.path);
  if (!within(dir, path) && !within(path, dir)) return undefined;
  const fix =
    err.code === 'ENOSPC' || err.code === 'EDQUOT'
      ? 'free some space there'
      : err.code === 'EACCES' || err.code === 'EPERM' || err.code === 'EROFS'
        ? 'make it writable for this user'
        : 'fix the path';
  return new LogbookError(`backup failed: the backup folder ${dir} cannot be used: ${problem}`, {
    code: 'E_BACKUP_DIR',
    outcome: 'backup-failed',
    hint: `${fix}, or choose another folder with --dir or paths.backups in the config`,
    cause: error,
  });
}

/** Wraps every failure as a backup failure, keeping the original code, why and hint; an interruption, a connection or a refused query stays one. */
function asBackupError(error: unknown, url: TargetInput, dir: string): LogbookError {
  const folderError = backupFolderError(error, dir);
  if (folderError) return folderError;
  const described = describePgError(error, url, 'backing up the database');
  if (described.outcome === 'interrupted' || described.outcome === 'backup-failed' || described.outcome === 'usage') return described;
  // Unreachable (3) and refused (4) keep their codes, as the exit-code table says; anything else is the backup's failure (5).
  const outcome = described.outcome === 'connection' || described.outcome === 'query-refused' ? described.outcome : 'backup-failed';
  return new LogbookError(`backup failed: ${described.message}`, { code: described.code, outcome, hint: described.hint, cause: described.cause });
}

export async function createBackup(options: CreateBackupOptions): Promise<BackupMeta> {
  const { url, format, signal } = options;
  const progress = options.onProgress ?? (() => {});
  const dir = resolve(options.dir);
  const database = toTarget(url);
  const target = database.libpq;
  let partialPath: string | undefined;
  let finalPath: string | undefined;
  let sidecarWritten = false;
  // The exported snapshot lives exactly as long as this transaction: until pg_dump (and its workers) and the counts are done.
  let client: Awaited<ReturnType<typeof connect>> | undefined;
  try {
    signal?.throwIfAborted();
    // Everything before pg_dump starts is wall time added to the dump, so the version probe overlaps the connection.
    const dumpVersionText = toolVersionText('pg_dump');
    dumpVersionText.catch(() => {});
    client = await connect(database, { doing: 'connecting for the backup' });
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const { rows } = await client.query<SourceState>(SNAPSHOT_SQL, [DEFAULT_LOGBOOK_SCHEMA]);
    const source = rows[0]!;
    const server = await readServerIdentity(client);
    const tables = await listUserTables(client);
    const pgDumpVersion = await checkToolVersion('pg_dump', { version: server.serverVersion, versionNum: server.serverVersionNum }, dumpVersionText);
    if (options.verify !== 'none') await checkToolVersion('pg_restore', { version: server.serverVersion, versionNum: server.serverVersionNum });

    await mkdir(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
    const tableBytes = Number(source.table_bytes);
    const spaceWarning = await checkFreeSpace(dir, tableBytes, options.force ?? false);
    if (spaceWarning) progress(`warning: ${spaceWarning}`);

    const started = new Date();
    let name = backupArchiveName(server.database, format, started);
    for (let attempt = 1; [name, `${name}${PARTIAL_SUFFIX}`, sidecarPathOf(name)].some((n) => existsSync(join(dir, n))); attempt++) {
      name = backupArchiveName(server.database, format, started, attempt);
    }
    finalPath = join(dir, name);
    partialPath = `${finalPath}${PARTIAL_SUFFIX}`;
    progress(`dumping ${server.database} (${tables.length} tables, table data ${formatBytes(tableBytes)}) to ${finalPath}`);

    let currentTable: string | null = null;
    const dump = startPgDump({ target, format, jobs: options.jobs, partialPath, snapshotId: source.snapshot_id, signal, onTable: (t) => (currentTable = t) });
    const ticker = setInterval(() => {
      void dump.bytesWritten().then((bytes) =>
        progress(dumpStatusLine({ verb: 'dumping', bytes, estimateBytes: tableBytes, elapsedMs: Date.now() - started.getTime(), table: currentTable }), {
          transient: true,
        }),
      );
    }, options.progressIntervalMs ?? 1000);
    let counts: BackupTableCount[];
    let digest: ArchiveDigest;
    try {
      // Counting runs beside pg_dump in the same snapshot, so it costs (almost) no wall time and agrees with the archive.
      const stopCounting = new AbortController();
      const countSignal = signal ? AbortSignal.any([signal, stopCounting.signal]) : stopCounting.signal;
      const counting = countTables(database, tables, { snapshotId: source.snapshot_id, signal: countSignal, doing: 'counting rows for the backup' }).catch(
        (error: unknown) => {
          dump.stop();
          throw error;
        },
      );
      const dumped = dump.done.catch((error: unknown) => {
        stopCounting.abort();
        throw error;
      });
      [digest, counts] = await Promise.all([dumped, counting]);
    } finally {
      clearInterval(ticker);
    }
    const finished = new Date();
    await client.query('COMMIT');
    await client.end();
    client = undefined;
    progress(`dumped ${formatBytes(digest.bytes)} in ${formatDuration(finished.getTime() - started.getTime())}; sha256 ${digest.sha256}`);

    let verification: BackupVerification | undefined;
    if (options.verify !== 'none') {
      progress(`verifying (${options.verify})`);
      // Loaded only when needed: a backup without verification should not pay for the restore machinery.
      const { checkListing, checkRestore } = await import('./verify-archive.ts');
      verification = await checkListing(partialPath, counts, signal);
      if (verification.ok && options.verify === 'restore') {
        verification = await checkRestore(partialPath, counts, options.scratchUrl ?? database, {
          jobs: options.jobs,
          signal,
          onTable: (t) => progress(`verifying: restoring ${t}`, { transient: true }),
        });
      }
      if (!verification.ok) {
        throw new LogbookError(`the new backup failed verification (${verification.level}): ${verification.detail}`, {
          code: 'E_BACKUP_VERIFY',
          outcome: 'backup-failed',
          hint: 'the archive was removed; check the disk and the PostgreSQL logs, then run the backup again',
        });
      }
    }

    // Only now does the archive get its real name, and only after that (and an fsync of the folder) its sidecar.
    await rename(partialPath, finalPath);
    partialPath = undefined;
    await fsyncPath(dir);
    const meta: BackupMeta = {
      schemaVersion: 1,
      path: finalPath,
      format,
      bytes: digest.bytes,
      sha256: digest.sha256,
      ...(digest.manifest ? { manifest: digest.manifest } : {}),
      pgDumpVersion,
      serverVersion: server.serverVersion,
      database: server.database,
      startedAt: started.toISOString(),
      finishedAt: finished.toISOString(),
      durationMs: finished.getTime() - started.getTime(),
      // pg_dump's default for custom and directory archives: gzip at zlib's default level.
      compression: 'gzip (pg_dump default level)',
      tables: counts,
      ...(verification ? { verification } : {}),
    };
    await writeSidecar(finalPath, meta);
    sidecarWritten = true;
    return meta;
  } catch (error) {
    // Leave nothing that could be mistaken for a backup.
    if (partialPath) await removeArchive(partialPath).catch(() => {});
    if (finalPath && !sidecarWritten) await removeArchive(finalPath).catch(() => {});
    if (signal?.aborted && signal.reason instanceof LogbookError) throw signal.reason;
    throw asBackupError(error, database, dir);
  } finally {
    if (client) await client.end().catch(() => {});
  }
}
