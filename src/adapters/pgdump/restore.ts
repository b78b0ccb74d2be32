// restoreBackup: sha256 first, then pg_restore in place (--clean --if-exists --single-transaction: all or nothing),
// then exact counts compared with the sidecar. Asking for confirmation is the command's job, not this one's.
import { EXIT, LogbookError } from '../../cli/errors.ts';
import { compareTableCounts, type CountMismatch } from '../../core/backup/compare-counts.ts';
import { archivePathOf } from '../../core/backup/naming.ts';
import { redactUrl } from '../../core/redact.ts';
import type { BackupMeta, BackupTableCount } from '../../schemas/backup.ts';
import { describePgError } from '../pg/errors.ts';
import { countDatabase } from './exact-counts.ts';
import { checkChecksum } from './verify-archive.ts';
import { restoreArchiveInto } from './run-pg-restore.ts';
import { readBackupMeta } from './sidecar.ts';

export interface RestoreResult {
  meta: BackupMeta;
  counts: BackupTableCount[];
  mismatches: CountMismatch[];
  /** Tables in the database that the backup does not hold (--clean only drops what the archive contains). */
  extraTables: string[];
  durationMs: number;
}

export async function restoreBackup(options: {
  from: string;
  url: string;
  signal?: AbortSignal | undefined;
  onProgress?: ((line: string, update?: { transient: boolean }) => void) | undefined;
}): Promise<RestoreResult> {
  const progress = options.onProgress ?? (() => {});
  const archivePath = archivePathOf(options.from);
  const meta = await readBackupMeta(archivePath);
  progress(`checking sha256 of ${archivePath}`);
  const checksum = await checkChecksum(archivePath, meta, 'list');
  if (!checksum.ok) {
    throw new LogbookError(`refusing to restore: ${checksum.detail}`, {
      code: 'E_BACKUP_CHECKSUM',
      exitCode: EXIT.backup,
      hint: 'restore another backup (see the backup folder), or investigate how this one changed',
    });
  }
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
