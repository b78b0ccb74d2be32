// Where a backup lives on disk: `backup_<YYYYMMDD_HHMMSS>_<database>` (like the seed), its sidecar and its in-progress name.
import type { BackupFormat } from '../../schemas/backup.ts';

/** The sidecar next to an archive; an archive without one is never treated as a backup. */
export const SIDECAR_SUFFIX = '.meta.json';
/** pg_dump writes here first; only a complete, fsynced (and verified) archive gets its final name. */
export const PARTIAL_SUFFIX = '.partial';

function stamp(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getUTCFullYear()}${pad(date.getUTCMonth() + 1)}${pad(date.getUTCDate())}_${pad(date.getUTCHours())}${pad(date.getUTCMinutes())}${pad(date.getUTCSeconds())}`;
}

/** File name of a new archive (UTC time). A directory archive is a folder without extension; custom gets `.dump`. */
export function backupArchiveName(database: string, format: BackupFormat, date: Date, attempt = 0): string {
  // Database names may hold anything; a file name must not gain slashes or shell-hostile characters.
  const safe = database.replace(/[^A-Za-z0-9_.-]/g, '_') || 'database';
  const base = `backup_${stamp(date)}_${safe}${attempt > 0 ? `_${attempt + 1}` : ''}`;
  return format === 'custom' ? `${base}.dump` : base;
}

export function sidecarPathOf(archivePath: string): string {
  return `${archivePath}${SIDECAR_SUFFIX}`;
}

/** Accepts the archive or its sidecar and returns the archive path. */
export function archivePathOf(path: string): string {
  const trimmed = path.replace(/\/+$/, '');
  return trimmed.endsWith(SIDECAR_SUFFIX) ? trimmed.slice(0, -SIDECAR_SUFFIX.length) : trimmed;
}

/** The record's name for a durable copy: `{file}`, `{environment}` and `{runId}` in the configured location filled in. */
export function copyLocation(template: string, values: { file: string; environment: string; runId: string }): string {
  return template.replace(/\{(file|environment|runId)\}/g, (_, key: keyof typeof values) => values[key]);
}
