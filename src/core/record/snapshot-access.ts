// Pure: what consumers read from a record's snapshots, the same way for both forms (full, as older records
// carry it, and compact, as records filed now do). Nothing else should reach into `.tables` or `.indexes`.
import type { BackupTableCount } from '../../schemas/backup.ts';
import type { CompactSnapshot, RecordBackup, RecordSnapshot, SnapshotFileRef } from '../../schemas/compact-snapshot.ts';
import type { MigrationRecord } from '../../schemas/record.ts';
import type { MigrationEntry } from '../../schemas/snapshot.ts';
import { type DiffOptions, diffCounts, diffSnapshots, type SnapshotDiff, type TableCount } from '../diff/diff-snapshots.ts';
import { displayName } from '../names.ts';

export function isCompactSnapshot(snapshot: RecordSnapshot): snapshot is CompactSnapshot {
  return 'full' in snapshot;
}

/** A table's count with its size in bytes (heap, indexes and TOAST). */
export interface TableCountWithBytes extends TableCount {
  bytes: number;
  /** For an estimate: when the statistics behind it were gathered, and why the exact count fell back. */
  lastAnalyzed?: string | null;
  countNote?: string;
}

/** Every table's count, as (schema, name) pairs. */
export function tableCounts(snapshot: RecordSnapshot): TableCountWithBytes[] {
  if (!isCompactSnapshot(snapshot)) {
    return snapshot.tables.map((t) => ({
      schema: t.schema,
      name: t.name,
      rows: t.rows,
      counted: t.counted,
      bytes: t.tableBytes + t.indexBytes + t.toastBytes,
      ...(t.counted === 'estimate' ? { lastAnalyzed: t.lastAnalyzed } : {}),
      ...(t.countNote ? { countNote: t.countNote } : {}),
    }));
  }
  return snapshot.tables.flatMap(({ schema, tables }) =>
    tables.map(([name, rows, counted, bytes, lastAnalyzed, countNote]) => ({
      schema,
      name,
      rows,
      counted,
      bytes,
      ...(lastAnalyzed !== undefined ? { lastAnalyzed } : {}),
      ...(countNote ? { countNote } : {}),
    })),
  );
}

/** The backup's exact per-table counts as (schema, name) pairs, from either form. */
export function backupCounts(backup: RecordBackup | null | undefined): BackupTableCount[] {
  if (!backup) return [];
  return backup.tables.flatMap((t) => ('tables' in t ? t.tables.map(([name, rows]) => ({ schema: t.schema, name, rows })) : [t]));
}

export interface SnapshotTotals {
  tables: number;
  rows: number;
  indexes: number;
  databaseBytes: number;
}

export function snapshotTotals(snapshot: RecordSnapshot): SnapshotTotals {
  if (isCompactSnapshot(snapshot)) {
    const { tables, rows, indexes } = snapshot.totals;
    return { tables, rows, indexes, databaseBytes: snapshot.databaseBytes };
  }
  return {
    tables: snapshot.tables.length,
    rows: snapshot.tables.reduce((n, t) => n + t.rows, 0),
    indexes: snapshot.indexes.length,
    databaseBytes: snapshot.databaseBytes,
  };
}

/** Migrations whose status is not `applied` (pending, failed, rolled back), oldest first. */
export function migrationsNotApplied(snapshot: RecordSnapshot): MigrationEntry[] {
  const entries = isCompactSnapshot(snapshot) ? snapshot.migrations.exceptions : snapshot.migrations.migrations;
  return entries.filter((m) => m.status !== 'applied');
}

/** Names of the applied migrations; null for a compact snapshot, whose full list is in its snapshot file. */
export function appliedMigrationNames(snapshot: RecordSnapshot): string[] | null {
  if (isCompactSnapshot(snapshot)) return null;
  return snapshot.migrations.migrations.filter((m) => m.status === 'applied').map((m) => m.name);
}

export function migrationsFolder(snapshot: RecordSnapshot): string | null {
  return snapshot.migrations.folder;
}

/** The snapshot files a record references (pre, post, and the rollback's after), with where each is used. */
export function snapshotFileRefs(record: Pick<MigrationRecord, 'pre' | 'post' | 'rollback'>): { field: string; ref: SnapshotFileRef }[] {
  const refs: { field: string; ref: SnapshotFileRef }[] = [];
  const add = (field: string, snapshot: RecordSnapshot | null | undefined) => {
    if (snapshot && isCompactSnapshot(snapshot)) refs.push({ field, ref: snapshot.full });
  };
  add('pre', record.pre);
  add('post', record.post);
  add('rollback.after', record.rollback?.after);
  return refs;
}

/**
 * What changed between a record's pre and post: derived from two full snapshots (older records), or from the
 * compact counts plus the schema changes the record stores once. Null when the record has no post snapshot.
 */
export function recordDiff(record: Pick<MigrationRecord, 'pre' | 'post' | 'changes'>, options?: DiffOptions): SnapshotDiff | null {
  const { pre, post } = record;
  if (!post) return null;
  if (!isCompactSnapshot(pre) && !isCompactSnapshot(post)) return diffSnapshots(pre, post, options);
  const counts = diffCounts(tableCounts(pre), tableCounts(post), options);
  const changes = record.changes;
  const on = (i: { schema: string; table: string }) => displayName({ schema: i.schema, name: i.table });
  return {
    ...counts,
    indexesAdded: (changes?.indexes.added ?? []).map((i) => ({ table: on(i), name: i.name, before: null, after: i.definition })),
    indexesDropped: (changes?.indexes.dropped ?? []).map((i) => ({ table: on(i), name: i.name, before: i.definition, after: null })),
    indexesChanged: (changes?.indexes.changed ?? []).map((i) => ({ table: on(i), name: i.name, before: i.before.definition, after: i.after.definition })),
    migrationsApplied: changes?.migrationsApplied ?? [],
  };
}
