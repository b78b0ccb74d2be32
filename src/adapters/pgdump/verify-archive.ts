// Verifying an archive: its sha256 against the sidecar, `pg_restore --list` with a data entry per table,
// and (level restore) a restore into a scratch database whose exact counts must equal the sidecar's.

import { compareTableCounts, describeMismatch } from '../../core/backup/compare-counts.ts';
import { archivePathOf } from '../../core/backup/naming.ts';
import { entryIsTable, tableDataEntries } from '../../core/backup/pg-tool-output.ts';
import { LogbookError } from '../../core/errors.ts';
import { displayName } from '../../core/names.ts';
import type { BackupMeta, BackupTableCount, BackupVerification } from '../../schemas/backup.ts';
import type { TargetInput } from '../pg/target.ts';
import { digestArchive } from './archive-files.ts';
import { countDatabase } from './exact-counts.ts';
import { listArchive, restoreArchiveInto } from './run-pg-restore.ts';
import { withScratchDatabase } from './scratch-database.ts';
import { readBackupMeta } from './sidecar.ts';

const now = () => new Date().toISOString();

/** pg_restore can read the archive, and every table has its data in it. */
export async function checkListing(archivePath: string, tables: BackupTableCount[], signal?: AbortSignal): Promise<BackupVerification> {
  const listed = await listArchive(archivePath, signal);
  if (!listed.ok) return { level: 'list', ok: false, checkedAt: now(), detail: listed.reason };
  const entries = tableDataEntries(listed.listing);
  // A partitioned parent holds no data of its own: its rows are in its partitions' entries (attached via TABLE ATTACH).
  const hasPartitions = /^\d+;\s+\d+\s+\d+\s+TABLE ATTACH /m.test(listed.listing);
  const isListedTable = (t: BackupTableCount) =>
    new RegExp(`^\\d+;\\s+\\d+\\s+\\d+\\s+TABLE ${escapeRegExp(t.schema)} ${escapeRegExp(t.name)} `, 'm').test(listed.listing);
  const missing = tables.filter((t) => !entries.some((e) => entryIsTable(e, t)) && !(hasPartitions && isListedTable(t)));
  if (missing.length) {
    return {
      level: 'list',
      ok: false,
      checkedAt: now(),
      detail: `pg_restore --list has no data for ${missing.length} table(s): ${missing.map((t) => displayName(t)).join(', ')}`,
    };
  }
  return {
    level: 'list',
    ok: true,
    checkedAt: now(),
    detail: `pg_restore --list read the archive: ${entries.length} data entries cover all ${tables.length} tables`,
  };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Restores into a scratch database (created and dropped here) and compares its exact counts with `tables`. */
export async function checkRestore(
  archivePath: string,
  tables: BackupTableCount[],
  server: TargetInput,
  options: { jobs: number; signal?: AbortSignal | undefined; onTable?: (table: string) => void },
): Promise<BackupVerification> {
  return withScratchDatabase(server, async (scratch, name) => {
    // No owners or grants: the scratch server may lack the roles, and only the data is being checked.
    await restoreArchiveInto({
      archivePath,
      url: scratch,
      args: ['--no-owner', '--no-privileges', `--jobs=${options.jobs}`],
      signal: options.signal,
      onTable: options.onTable,
      doing: `restoring into scratch database ${name}`,
    });
    const restored = await countDatabase(scratch, { signal: options.signal, doing: `counting rows in scratch database ${name}` });
    const { mismatches } = compareTableCounts(tables, restored);
    if (mismatches.length) {
      return {
        level: 'restore',
        ok: false,
        checkedAt: now(),
        detail: `restored into a scratch database, but ${mismatches.length} table(s) differ: ${mismatches.map(describeMismatch).join('; ')}`,
      };
    }
    const rows = tables.reduce((sum, t) => sum + t.rows, 0);
    return {
      level: 'restore',
      ok: true,
      checkedAt: now(),
      detail: `restored into a scratch database (dropped after): all ${tables.length} tables have the sidecar's exact counts (${rows} rows)`,
    };
  });
}

/** Checks the archive still has the sha256 its sidecar recorded; for a directory archive, names the files that changed. */
export async function checkChecksum(archivePath: string, meta: BackupMeta, level: BackupVerification['level']): Promise<BackupVerification> {
  const digest = await digestArchive(archivePath, meta.format);
  if (digest.sha256 === meta.sha256) return { level, ok: true, checkedAt: now(), detail: `sha256 matches (${meta.sha256})` };
  const changed = meta.manifest ? meta.manifest.filter((e) => digest.manifest?.find((d) => d.file === e.file)?.sha256 !== e.sha256).map((e) => e.file) : [];
  const files = changed.length ? ` (changed or missing: ${changed.join(', ')})` : '';
  return {
    level,
    ok: false,
    checkedAt: now(),
    detail: `sha256 mismatch: the sidecar records ${meta.sha256} but the archive now hashes to ${digest.sha256}${files}; the archive was modified or damaged after it was written`,
  };
}

/** Re-checks a stored backup: sha256, then the listing, then (level restore) a scratch restore on the server of `url`. */
export async function verifyStoredBackup(
  archivePath: string,
  options: { level: 'list' | 'restore'; url?: TargetInput | undefined; jobs?: number; signal?: AbortSignal; onTable?: (table: string) => void },
): Promise<BackupVerification> {
  const path = archivePathOf(archivePath);
  const meta = await readBackupMeta(path);
  const checksum = await checkChecksum(path, meta, options.level);
  if (!checksum.ok) return checksum;
  const listing = await checkListing(path, meta.tables, options.signal);
  if (!listing.ok || options.level === 'list') return { ...listing, level: options.level, detail: `${checksum.detail}; ${listing.detail}` };
  if (!options.url) {
    throw new LogbookError('verifying by restore needs a server to create the scratch database on', {
      code: 'E_USAGE',
      outcome: 'usage',
      hint: 'pass --db URL (or set DATABASE_URL) for a server where the role may CREATE DATABASE',
    });
  }
  const restored = await checkRestore(path, meta.tables, options.url, { jobs: options.jobs ?? 2, signal: options.signal, onTable: options.onTable });
  return { ...restored, detail: `${checksum.detail}; ${listing.detail}; ${restored.detail}` };
}
