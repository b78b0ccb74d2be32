// Rolling a migration back: restore the backup its record names, capture the state, and append the
// rollback to that record (status rolled-back), keeping the record's filed digest and people's prose.
import { commitRecord } from '../adapters/git/commit-record.ts';
import { resolvePerformer } from '../adapters/git/provenance.ts';
import { rewriteRecord, type StoredRecord } from '../adapters/fs/record-store.ts';
import { takeSnapshot } from '../adapters/pg/snapshot.ts';
import { objectsNotInArchive } from '../adapters/pg/objects-not-in-archive.ts';
import { restoreBackup, type CheckedArchive } from '../adapters/pgdump/restore.ts';
import { EXIT, LogbookError } from '../cli/errors.ts';
import type { Output } from '../cli/output.ts';
import { catalogObjectsInListing, describeObject, type NamedObject } from '../core/backup/archive-listing.ts';
import { formatDuration } from '../core/format.ts';
import { computeIntegrity } from '../core/record/digest.ts';
import { tableKey } from '../core/names.ts';
import { renderRollbackSection } from '../core/record/render-record.ts';
import { updateRecordSource } from '../core/record/update-record.ts';
import type { LogbookConfig } from '../schemas/config.ts';
import { migrationRecordSchema, type MigrationRecord } from '../schemas/record.ts';

export interface RollbackOptions {
  stored: StoredRecord;
  /** The record's backup, already checked (sidecar, sha256, listing): nothing is dropped before that. */
  checked: CheckedArchive;
  url: string;
  config: LogbookConfig;
  by?: string | undefined;
  commit: boolean;
  out: Output;
  signal: AbortSignal;
}

/** Why a record cannot be rolled back, or null. */
export function rollbackRefusal(record: MigrationRecord): string | null {
  if (record.rollback) return `it was already rolled back at ${record.rollback.finishedAt}`;
  if (record.status === 'aborted') return 'the migration never ran (the record is aborted)';
  if (!record.backup) return 'it names no backup';
  return null;
}

function createdObjectsRefusal(id: string, created: NamedObject[]): LogbookError {
  const shown = created.slice(0, 20).map(describeObject);
  if (created.length > shown.length) shown.push(`… and ${created.length - shown.length} more`);
  return new LogbookError(
    `cannot roll back ${id}: the live database holds ${created.length} object(s) the backup does not contain, which a restore in place would leave behind or could only remove by dropping them one by one:\n    ${shown.join('\n    ')}\nNothing was changed.`,
    {
      code: 'E_ROLLBACK_NEW_OBJECTS',
      exitCode: EXIT.aborted,
      hint: 'roll back by hand: restore the backup into a new database (createdb NEW; pg_restore -d NEW ARCHIVE), check it, then swap the names with ALTER DATABASE ... RENAME from the postgres database while the app is in maintenance',
    },
  );
}

export async function rollbackRecord(options: RollbackOptions): Promise<{ record: MigrationRecord; matches: boolean }> {
  const { stored, out, signal } = options;
  const record = stored.record;
  const refusal = rollbackRefusal(record);
  if (refusal) throw new LogbookError(`cannot roll back ${record.id}: ${refusal}`, { code: 'E_ROLLBACK', exitCode: EXIT.usage });
  const backup = record.backup!;
  const startedAt = new Date().toISOString();
  const started = performance.now();

  // Objects the migration created are not in the backup, so pg_restore --clean would leave them behind, and
  // dropping them one by one is what once left production half rolled back: refuse instead.
  const created = await objectsNotInArchive(options.url, catalogObjectsInListing(options.checked.listing));
  if (created.length) throw createdObjectsRefusal(record.id, created);

  out.info(`restoring ${backup.path}`);
  const restored = await restoreBackup({ from: backup.path, url: options.url, checked: options.checked, signal, onProgress: (line, update) => (!update?.transient ? out.info(`  ${line}`) : undefined) });
  // restoreBackup has just counted every table exactly; the snapshot only adds sizes, indexes and
  // migration state, so it does not count them all a second time.
  const catalog = await takeSnapshot(options.url, { mode: 'estimate', capture: options.config.capture, migrationsDir: record.pre.migrations.folder, signal });
  const exact = new Map(restored.counts.map((c) => [tableKey(c), c.rows]));
  const after = {
    ...catalog,
    tables: catalog.tables.map((t) => {
      const rows = exact.get(tableKey(t));
      if (rows === undefined) return t;
      const { countNote: _estimateNote, ...table } = t;
      return { ...table, rows, counted: 'exact' as const };
    }),
  };
  const matches = restored.mismatches.length === 0;
  const finishedAt = new Date().toISOString();

  const { integrity, ...facts } = record;
  const updatedFacts = {
    ...facts,
    status: 'rolled-back' as const,
    rollback: {
      statusBefore: record.status as 'success' | 'failed',
      startedAt,
      finishedAt,
      durationMs: performance.now() - started,
      backupPath: backup.path,
      backupSha256: backup.sha256,
      performedBy: await resolvePerformer(options.by, null),
      after,
      matchesBackup: matches,
    },
  };
  const updated = migrationRecordSchema.parse({ ...updatedFacts, integrity: computeIntegrity(updatedFacts, integrity.previous) });
  await rewriteRecord(stored.file, updateRecordSource(stored.source, updated, renderRollbackSection(updated)));
  out.info(`✓ rolled back in ${formatDuration(performance.now() - started)}; counts ${matches ? 'match the backup' : 'DO NOT match the backup'}`);
  for (const m of restored.mismatches) out.info(`  mismatch: ${m.table} expected ${m.expected}, found ${m.actual}`);
  if (options.commit) out.info(`✓ committed ${await commitRecord(stored.file, `logbook: ${record.environment} ${record.title} — rolled back\n\nRecord ${record.id}.`)}`);
  return { record: updated, matches };
}
