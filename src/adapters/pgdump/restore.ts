// checkBeforeRestore + restoreBackup: sidecar, sha256 and listing first, then pg_restore in place (--clean --if-exists --single-transaction: all or nothing),
// then exact counts compared with the sidecar. Asking for confirmation is the command's job, not this one's.
import { LogbookError } from '../../core/errors.ts';
import { compareTableCounts, type CountMismatch } from '../../core/backup/compare-counts.ts';
import { archivePathOf } from '../../core/backup/naming.ts';
import { redactUrl } from '../../core/redact.ts';
import type { BackupMeta, BackupTableCount } from '../../schemas/backup.ts';
import { describePgError } from '../pg/errors.ts';
import { countDatabase } from './exact-counts.ts';
import { checkChecksum } from './verify-archive.ts';
import { listArchive, restoreArchiveInto } from './run-pg-restore.ts';
import { readBackupMeta } from './sidecar.ts';

export interface RestoreResult {
  meta: BackupMeta;
  counts: BackupTableCount[];
  mismatches: CountMismatch[];
  /** Tables in the database that the backup does not hold (--clean only drops what the archive contains). */
  extraTables: string[];
  durationMs: number;
}

export interface CheckedArchive {
  archivePath: string;
  meta: BackupMeta;
  /** `pg_restore --list` output: the archive's table of contents. */
  listing: string;
}

/**
 * Everything that can be known before touching the target: the sidecar is complete, the sha256 matches,
 * pg_restore can read the archive. Commands call this before asking for confirmation, and before any
 * other destructive step (rollback drops tables only once the backup is known good).
 */
export async function checkBeforeRestore(from: string, signal?: AbortSignal): Promise<CheckedArchive> {
  const archivePath = archivePathOf(from);
  const meta = await readBackupMeta(archivePath);
  const checksum = await checkChecksum(archivePath, meta, 'list');
  if (!checksum.ok) {
    throw new LogbookError(`refusing to restore: ${checksum.detail}`, {
      code: 'E_BACKUP_CHECKSUM',
      outcome: 'backup-failed',
      hint: 'restore another backup (see the backup folder), or investigate how this one changed; nothing was changed',
    });
  }
  const listing = await listArchive(archivePath, signal);
  if (!listing.ok) {
    throw new LogbookError(`refusing to restore: pg_restore cannot read ${archivePath}: ${listing.reason}`, {
      code: 'E_BACKUP_UNREADABLE',
      outcome: 'backup-failed',
      hint: 'check the pg_restore version (LOGBOOK_PG_BINDIR) or restore another backup; nothing was changed',
    });
  }
  return { archivePath, meta, listing: listing.listing };
}

export async function restoreBackup(options: {
  from: string;
  url: string;
  /** The result of checkBeforeRestore, when the caller already ran it. */
  checked?: CheckedArchive | undefined;
  signal?: AbortSignal | undefined;
  onProgress?: ((line: string, update?: { transient: boolean }) => void) | undefined;
}): Promise<RestoreResult> {
  const progress = options.onProgress ?? (() => {});
  if (!options.checked) progress(`checking ${options.from} (sidecar, sha256, listing)`);
  const { archivePath, meta } = options.checked ?? (await checkBeforeRestore(options.from, options.signal));
  const started = Date.now();
  progress(`restoring ${meta.database} (taken ${meta.startedAt}) into ${redactUrl(options.url)}`);
  try {
    await restoreArchiveInto({
      archivePath,
      url: options.url,
      // One transaction: a failure anywhere rolls everything back and the database stays as it was.
      args: ['--clean', '--if-exists', '--single-transaction'],
      signal: options.signal,
      onTable: (t) => progress(`restoring ${t}`, { transient: true }),
      doing: `restoring ${archivePath} (nothing was changed: the restore runs in one transaction)`,
    });
    const durationMs = Date.now() - started;
    progress('counting rows after the restore');
    const counts = await countDatabase(options.url, { signal: options.signal, doing: 'counting rows after the restore' });
    const { mismatches, extraTables } = compareTableCounts(meta.tables, counts);
    return { meta, counts, mismatches, extraTables, durationMs };
  } catch (error) {
    if (options.signal?.aborted && options.signal.reason instanceof LogbookError) throw options.signal.reason;
    throw describePgError(error, options.url, 'restoring the backup');
  }
}
