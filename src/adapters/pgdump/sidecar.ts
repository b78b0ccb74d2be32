// The sidecar `<archive>.meta.json`: written atomically, only for a complete archive; read back and validated.
import { readFile } from 'node:fs/promises';
import { LogbookError } from '../../core/errors.ts';
import { archivePathOf, sidecarPathOf } from '../../core/backup/naming.ts';
import { formatProblem, problemsFromZod } from '../../core/problems.ts';
import { redactDeep } from '../../core/redact.ts';
import { backupMetaSchema, type BackupMeta } from '../../schemas/backup.ts';
import { writeFileAtomically } from '../fs/atomic-write.ts';

/** Atomic (temp file, fsync, rename, fsync folder): a reader sees no sidecar or a whole one, never half of one. */
export async function writeSidecar(archivePath: string, meta: BackupMeta): Promise<void> {
  const path = sidecarPathOf(archivePath);
  // Validating here means a sidecar that would not read back is never written.
  const data = backupMetaSchema.parse(redactDeep(meta));
  try {
    await writeFileAtomically(path, `${JSON.stringify(data, null, 2)}\n`, { overwrite: true, private: true });
  } catch (error) {
    throw new LogbookError(`could not write the backup sidecar ${path}`, {
      code: 'E_BACKUP_WRITE',
      outcome: 'backup-failed',
      cause: error,
      hint: 'check the backup folder is writable and has space',
    });
  }
}

/** The metadata of a stored backup (archive or sidecar path); an archive without a complete sidecar is not a backup. */
export async function readBackupMeta(archivePath: string): Promise<BackupMeta> {
  const path = sidecarPathOf(archivePathOf(archivePath));
  let raw: string;
  try {
    raw = await readFile(path, 'utf8');
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
    throw new LogbookError(
      missing ? `${archivePathOf(archivePath)} is not a complete backup: its sidecar ${path} is missing` : `cannot read the backup sidecar ${path}`,
      {
        code: 'E_BACKUP_INCOMPLETE',
        outcome: 'backup-failed',
        cause: error,
        hint: missing ? 'an archive without a sidecar may be partial; take a new backup with `logbook backup`' : 'check the path and its permissions',
      },
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (error) {
    throw new LogbookError(`the backup sidecar ${path} is not valid JSON (incomplete or damaged)`, {
      code: 'E_BACKUP_INCOMPLETE',
      outcome: 'backup-failed',
      cause: error,
      hint: 'take a new backup with `logbook backup`',
    });
  }
  const parsed = backupMetaSchema.safeParse(json);
  if (!parsed.success) {
    const lines = problemsFromZod(parsed.error, path).map(formatProblem);
    throw new LogbookError(`the backup sidecar is incomplete or invalid:\n  ${lines.join('\n  ')}`, {
      code: 'E_BACKUP_INCOMPLETE',
      outcome: 'backup-failed',
      hint: 'take a new backup with `logbook backup`',
    });
  }
  return parsed.data;
}
