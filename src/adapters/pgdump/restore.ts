// checkBeforeRestore: everything that can be known about an archive before any database is touched (sidecar,
// sha256, listing). Restores go beside the live database (workflow/restore-beside.ts); asking is the command's job.
import { LogbookError } from '../../core/errors.ts';
import { archivePathOf } from '../../core/backup/naming.ts';
import type { BackupMeta } from '../../schemas/backup.ts';
import { checkChecksum } from './verify-archive.ts';
import { listArchive } from './run-pg-restore.ts';
import { readBackupMeta } from './sidecar.ts';

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
