// Pure: what changed between two snapshots. Row-count deltas are never stored; they are derived when shown or checked.
import type { IndexSnapshot, Snapshot, TableSnapshot } from '../../schemas/snapshot.ts';
import { displayName, tableKey } from '../names.ts';

export interface TableDelta {
  table: string;
  before: number | null;
  after: number | null;
  /** after - before; null when the table exists on one side only. */
  delta: number | null;
  /** delta / before as a fraction (0.25 = +25 %); null when before is 0 or missing. */
  share: number | null;
  /** Whether either count is an estimate, so a small delta may be noise. */
  estimated: boolean;
  change: 'added' | 'dropped' | 'changed' | 'unchanged';
}

export interface IndexChange {
  table: string;
  name: string;
  before: string | null;
  after: string | null;
}

export type AnomalyKind = 'row-loss' | 'dropped-with-rows' | 'emptied';

export interface Anomaly {
  kind: AnomalyKind;
  table: string;
  message: string;
}

export interface SnapshotDiff {
  tables: TableDelta[];
  tablesAdded: string[];
  tablesDropped: string[];
  indexesAdded: IndexChange[];
  indexesDropped: IndexChange[];
  /** Same name, different definition (or validity). */
  indexesChanged: IndexChange[];
  migrationsApplied: string[];
  anomalies: Anomaly[];
  totals: { before: number; after: number; delta: number };
}

export interface DiffOptions {
  /** A table losing more than this share of its rows is an anomaly (0.1 = 10 %). */
  maxRowLossShare: number;
}

// Display names quote what needs quoting, so they are as unambiguous as (schema, name) pairs.
const tableName = (t: { schema: string; name: string }) => displayName(t);
const indexName = (i: IndexSnapshot) => tableKey(i);

/** A table's count as both snapshot forms give it. */
export interface TableCount {
  schema: string;
  name: string;
  rows: number;
  counted: TableSnapshot['counted'];
}

export interface CountDiff {
  tables: TableDelta[];
  tablesAdded: string[];
  tablesDropped: string[];
  anomalies: Anomaly[];
  totals: { before: number; after: number; delta: number };
}

/** The row-count part of a diff: per-table deltas, anomalies and totals, from the two count lists. */
export function diffCounts(pre: TableCount[], post: TableCount[], options: DiffOptions = { maxRowLossShare: 0.1 }): CountDiff {
  const before = new Map<string, TableCount>(pre.map((t) => [tableName(t), t]));
  const after = new Map<string, TableCount>(post.map((t) => [tableName(t), t]));
  const names = [...new Set([...before.keys(), ...after.keys()])].sort();
  const tables: TableDelta[] = names.map((name) => {
    const b = before.get(name);
    const a = after.get(name);
    const delta = a && b ? a.rows - b.rows : null;
    return {
      table: name,
      before: b?.rows ?? null,
      after: a?.rows ?? null,
      delta,
      share: delta !== null && b && b.rows > 0 ? delta / b.rows : null,
      estimated: b?.counted === 'estimate' || a?.counted === 'estimate',
      change: !b ? 'added' : !a ? 'dropped' : delta === 0 ? 'unchanged' : 'changed',
    };
  });

  const anomalies: Anomaly[] = [];
  for (const t of tables) {
    if (t.change === 'dropped' && (t.before ?? 0) > 0) {
      anomalies.push({ kind: 'dropped-with-rows', table: t.table, message: `${t.table} was dropped while it held ${t.before} rows` });
    } else if (t.before && t.after === 0 && t.before > 0) {
      anomalies.push({ kind: 'emptied', table: t.table, message: `${t.table} went from ${t.before} rows to 0` });
    } else if (t.share !== null && t.share < -options.maxRowLossShare) {
      anomalies.push({
        kind: 'row-loss',
        table: t.table,
        message: `${t.table} lost ${-(t.delta ?? 0)} rows (${(t.share * 100).toFixed(1)} %), more than the ${(options.maxRowLossShare * 100).toFixed(0)} % allowed`,
      });
    }
  }

  const sum = (list: TableCount[]) => list.reduce((n, t) => n + t.rows, 0);
  return {
    tables,
    tablesAdded: tables.filter((t) => t.change === 'added').map((t) => t.table),
    tablesDropped: tables.filter((t) => t.change === 'dropped').map((t) => t.table),
    anomalies,
    totals: { before: sum(pre), after: sum(post), delta: sum(post) - sum(pre) },
  };
}

export function diffSnapshots(pre: Snapshot, post: Snapshot, options: DiffOptions = { maxRowLossShare: 0.1 }): SnapshotDiff {
  const counts = diffCounts(pre.tables, post.tables, options);
  const preIndexes = new Map(pre.indexes.map((i) => [indexName(i), i]));
  const postIndexes = new Map(post.indexes.map((i) => [indexName(i), i]));
  const change = (i: IndexSnapshot | undefined, j: IndexSnapshot | undefined): IndexChange => ({
    table: tableName({ schema: (i ?? j)!.schema, name: (i ?? j)!.table }),
    name: (i ?? j)!.name,
    before: i?.definition ?? null,
    after: j?.definition ?? null,
  });
  const indexesAdded = [...postIndexes].filter(([k]) => !preIndexes.has(k)).map(([, j]) => change(undefined, j));
  const indexesDropped = [...preIndexes].filter(([k]) => !postIndexes.has(k)).map(([, i]) => change(i, undefined));
  const indexesChanged = [...postIndexes]
    .filter(([k, j]) => {
      const i = preIndexes.get(k);
      return i && (i.definition !== j.definition || i.valid !== j.valid);
    })
    .map(([k, j]) => change(preIndexes.get(k), j));

  const appliedBefore = new Set(pre.migrations.migrations.filter((m) => m.status === 'applied').map((m) => m.name));
  const migrationsApplied = post.migrations.migrations.filter((m) => m.status === 'applied' && !appliedBefore.has(m.name)).map((m) => m.name);

  return { ...counts, indexesAdded, indexesDropped, indexesChanged, migrationsApplied };
}

/** "players +120 (+1.2 %), matches −3" — the one-line summary history rows show. */
/** Migration tools' own bookkeeping tables: a row per migration there is not news. */
const BOOKKEEPING = /(^|\.)_prisma_migrations$/;

export function summariseDiff(diff: SnapshotDiff, limit = 3): string {
  const moved = diff.tables
    .filter((t) => t.change !== 'unchanged' && !BOOKKEEPING.test(t.table))
    .sort((a, b) => Math.abs(b.delta ?? b.after ?? b.before ?? 0) - Math.abs(a.delta ?? a.after ?? a.before ?? 0));
  if (moved.length === 0) return 'no row-count changes';
  const parts = moved.slice(0, limit).map((t) => {
    if (t.change === 'added') return `${t.table} added`;
    if (t.change === 'dropped') return `${t.table} dropped`;
    const sign = (t.delta ?? 0) > 0 ? '+' : '−';
    const pct = t.share === null ? '' : ` (${sign}${Math.abs(t.share * 100).toFixed(1)} %)`;
    return `${t.table} ${sign}${Math.abs(t.delta ?? 0)}${pct}`;
  });
  return moved.length > limit ? `${parts.join(', ')}, +${moved.length - limit} more` : parts.join(', ');
}
