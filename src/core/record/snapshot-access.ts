// Pure: what consumers read from a record's snapshots, the same way for both forms (full, as older records
// carry it, and compact, as records filed now do). Nothing else should reach into `.tables` or `.indexes`.
import type { BackupTableCount } from '../../schemas/backup.ts';
import type { CompactSnapshot, RecordSnapshot, SnapshotFileRef } from '../../schemas/compact-snapshot.ts';
import type { MigrationRecord } from '../../schemas/record.ts';
import type { MigrationEntry } from '../../schemas/snapshot.ts';
import { type DiffOptions, diffCounts, diffSnapshots, type SnapshotDiff, type TableCount } from '../diff/diff-snapshots.ts';
import { displayName } from '../names.ts';

export function isCompactSnapshot(snapshot: RecordSnapshot): snapshot is CompactSnapshot {
  return 'full' in snapshot;
}

/** A table's count with its size in bytes (heap, indexes and TOAST) where the record carries it (null: records filed since #17 keep only totals). */
export interface TableCountWithBytes extends TableCount {
  bytes: number | null;
  /** For an estimate: when the statistics behind it were gathered, and why the exact count fell back. */
  lastAnalyzed?: string | null;
  countNote?: string;
}

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const tableKey = (t: { schema: string; name: string }) => JSON.stringify([t.schema, t.name]);

/** Counts as stored: every table (full snapshots, compact ones filed before #17's deltas), or only the differences. */
function storedCounts(snapshot: RecordSnapshot): TableCountWithBytes[] {
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
    tables.map(([name, rows, counted, fourth, countNote]) => ({
      schema,
      name,
      rows,
      counted,
      // Fourth is a size in records filed before #17's slimming, an estimate's last analyze time since.
      bytes: typeof fourth === 'number' ? fourth : null,
      ...(typeof fourth !== 'number' && fourth !== undefined ? { lastAnalyzed: fourth } : {}),
      ...(countNote ? { countNote } : {}),
    })),
  );
}

/** The base's counts without the tables gone, overridden and extended by the stored differences, sorted by (schema, name) as the full form is. */
function applyDifferences<T extends { schema: string; name: string }>(
  base: T[],
  differences: T[],
  gone: Array<{ schema: string; tables: string[] }> | undefined,
): T[] {
  const all = new Map(base.map((t) => [tableKey(t), t]));
  for (const group of gone ?? []) for (const name of group.tables) all.delete(tableKey({ schema: group.schema, name }));
  for (const t of differences) all.set(tableKey(t), t);
  return [...all.values()].sort((a, b) => byText(a.schema, b.schema) || byText(a.name, b.name));
}

/** A snapshot's counts in full: a snapshot stored as differences from pre (`countsFrom`) is resolved against the record's pre. */
function countsOf(snapshot: RecordSnapshot, pre: RecordSnapshot): TableCountWithBytes[] {
  if (!isCompactSnapshot(snapshot) || !snapshot.countsFrom) return storedCounts(snapshot);
  // pre is never filed as differences: a record whose pre says so fails the record schema (schemas/record.ts).
  return applyDifferences(storedCounts(pre), storedCounts(snapshot), snapshot.tablesGone);
}

/** Every table's count before the migration, as (schema, name) pairs. The pre snapshot is always stored in full. */
export function preTableCounts(record: Pick<MigrationRecord, 'pre'>): TableCountWithBytes[] {
  return storedCounts(record.pre);
}

/** Every table's count after the migration (derived from pre where the record stores only differences); null without a post snapshot. */
export function postTableCounts(record: Pick<MigrationRecord, 'pre' | 'post'>): TableCountWithBytes[] | null {
  return record.post ? countsOf(record.post, record.pre) : null;
}

/** Every table's count after a rollback's restore (derived from pre where stored as differences); null without a rollback. */
export function rollbackTableCounts(record: Pick<MigrationRecord, 'pre' | 'rollback'>): TableCountWithBytes[] | null {
  return record.rollback ? countsOf(record.rollback.after, record.pre) : null;
}

/** The newest state the record knows (after the rollback, else after the migration, else before it) and when it was captured. */
export function latestTableCounts(record: Pick<MigrationRecord, 'pre' | 'post' | 'rollback'>): { at: string; counts: TableCountWithBytes[] } {
  const state = record.rollback?.after ?? record.post ?? record.pre;
  return { at: state.capturedAt, counts: countsOf(state, record.pre) };
}

/** The backup's exact per-table counts as (schema, name) pairs, from any form (derived from pre where the record stores only differences). */
export function backupCounts(record: Pick<MigrationRecord, 'pre' | 'backup'>): BackupTableCount[] {
  const backup = record.backup;
  if (!backup) return [];
  const stored = backup.tables.flatMap((t) => ('tables' in t ? t.tables.map(([name, rows]) => ({ schema: t.schema, name, rows })) : [t]));
  if (!('countsFrom' in backup) || !backup.countsFrom) return stored;
  const pre = preTableCounts(record).map((t) => ({ schema: t.schema, name: t.name, rows: t.rows }));
  return applyDifferences(pre, stored, backup.tablesGone);
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
  const counts = diffCounts(preTableCounts(record), postTableCounts(record) ?? [], options);
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
