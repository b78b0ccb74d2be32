// Rolling a migration back: restore the backup its record names, capture the state, and append the
// rollback to that record (status rolled-back), keeping the record's filed digest and people's prose.
import { commitRecord } from '../adapters/git/commit-record.ts';
import { resolvePerformer } from '../adapters/git/provenance.ts';
import { rewriteRecord, type StoredRecord } from '../adapters/fs/record-store.ts';
import { withClient } from '../adapters/pg/client.ts';
import { takeSnapshot } from '../adapters/pg/snapshot.ts';
import { qualifiedName } from '../adapters/pg/tables.ts';
import { restoreBackup, type CheckedArchive } from '../adapters/pgdump/restore.ts';
import { EXIT, LogbookError } from '../cli/errors.ts';
import type { Output } from '../cli/output.ts';
import { diffSnapshots } from '../core/diff/diff-snapshots.ts';
import { formatDuration } from '../core/format.ts';
import { renderRollbackSection } from '../core/record/render-record.ts';
import { updateRecordSource } from '../core/record/update-record.ts';
import type { LogbookConfig } from '../schemas/config.ts';
import { migrationRecordSchema, type MigrationRecord } from '../schemas/record.ts';
import { readLedgerBeforeRestore, rollbackIntegrity } from './anchor-rollback.ts';

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

export async function rollbackRecord(options: RollbackOptions): Promise<{ record: MigrationRecord; matches: boolean }> {
  const { stored, out, signal } = options;
  const record = stored.record;
  const refusal = rollbackRefusal(record);
  if (refusal) throw new LogbookError(`cannot roll back ${record.id}: ${refusal}`, { code: 'E_ROLLBACK', exitCode: EXIT.usage });
  const backup = record.backup!;
  const startedAt = new Date().toISOString();
  const started = performance.now();

  // Tables the migration created are not in the backup, so pg_restore --clean would leave them behind.
  const added = record.post && record.pre ? diffSnapshots(record.pre, record.post).tablesAdded : [];
  if (added.length) {
    out.info(`dropping ${added.length} table(s) the migration created: ${added.join(', ')}`);
    await withClient(options.url, { doing: 'dropping tables the migration created' }, async (client) => {
      await client.query('BEGIN');
      for (const name of added) {
        const [schema, table] = name.split('.') as [string, string];
        await client.query(`DROP TABLE IF EXISTS ${qualifiedName({ schema, name: table })} CASCADE`);
      }
      await client.query('COMMIT');
    });
  }

  const ledgerBefore = await readLedgerBeforeRestore(options.url);
  out.info(`restoring ${backup.path}`);
  const restored = await restoreBackup({ from: backup.path, url: options.url, checked: options.checked, signal, onProgress: (line, update) => (!update?.transient ? out.info(`  ${line}`) : undefined) });
  // restoreBackup has just counted every table exactly; the snapshot only adds sizes, indexes and
  // migration state, so it does not count them all a second time.
  const catalog = await takeSnapshot(options.url, { mode: 'estimate', capture: options.config.capture, migrationsDir: record.pre.migrations.folder, signal });
  const exact = new Map(restored.counts.map((c) => [`${c.schema}.${c.name}`, c.rows]));
  const after = {
    ...catalog,
    tables: catalog.tables.map((t) => {
      const rows = exact.get(`${t.schema}.${t.name}`);
      if (rows === undefined) return t;
      const { countNote: _estimateNote, ...table } = t;
      return { ...table, rows, counted: 'exact' as const };
    }),
  };
  const matches = restored.mismatches.length === 0;
  const finishedAt = new Date().toISOString();

  const { integrity: _filed, ...facts } = record;
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
  const updated = migrationRecordSchema.parse({ ...updatedFacts, integrity: await rollbackIntegrity(options.url, record, updatedFacts, ledgerBefore, out) });
  await rewriteRecord(stored.file, updateRecordSource(stored.source, updated, renderRollbackSection(updated)));
  out.info(`✓ rolled back in ${formatDuration(performance.now() - started)}; counts ${matches ? 'match the backup' : 'DO NOT match the backup'}`);
  for (const m of restored.mismatches) out.info(`  mismatch: ${m.table} expected ${m.expected}, found ${m.actual}`);
  if (options.commit) out.info(`✓ committed ${await commitRecord(stored.file, `logbook: ${record.environment} ${record.title} — rolled back\n\nRecord ${record.id}.`)}`);
  return { record: updated, matches };
}
