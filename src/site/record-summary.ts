// What the collection keeps per record: a small summary every listing page needs (history, dashboard, tables,
// feeds, chain check). The full record stays out of memory; a record page reads it from the side cache.
import { summariseDiff } from '../core/diff/diff-snapshots.ts';
import { displayName, parseDisplayName } from '../core/names.ts';
import { checkRecordDigest, type RecordTamper } from '../core/record/digest.ts';
import { latestTableCounts, postTableCounts, preTableCounts, recordDiff } from '../core/record/snapshot-access.ts';
import type { MigrationRecord, RecordStatus } from '../schemas/record.ts';
import { type LintCounts, lintCounts } from './findings-view.ts';

export interface TableTouchSummary {
  table: string;
  reasons: string[];
  before: number | null;
  after: number | null;
}

export interface RecordSummary {
  id: string;
  title: string;
  migrations: string[];
  environment: string;
  status: RecordStatus;
  performedBy: string;
  startedAt: string;
  finishedAt: string;
  durationMs: number | null;
  downtimeMs: number | null;
  /** One line: the row-count change, or why nothing ran. */
  summary: string;
  commit: string | null;
  backup: { path: string; bytes: number; sha256: string; verified: boolean | null } | null;
  integrity: Pick<MigrationRecord['integrity'], 'digest' | 'previous' | 'seq' | 'unanchored' | 'rollbackEvent'>;
  /** checkRecordDigest's verdict, computed once while the full record is in hand. */
  tamper: RecordTamper | null;
  /** Lint findings by severity (absent in summaries cached before it existed). */
  lint?: LintCounts;
}

/** What the table pages need from a record; kept beside the record, not in the store every page build loads. */
export interface RecordTableFacts {
  /** Row counts of the last state captured (after the restore, after the run, or before it). */
  state: { at: string; tables: Array<[table: string, rows: number]> };
  /** Tables this run changed structurally, named, or flagged. */
  touches: TableTouchSummary[];
}

const words = (name: string) =>
  name
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);

/** Whether a migration's name mentions the table (Prisma names say what they change: `add_players_email`). */
export function namesTable(migrations: string[], table: string): boolean {
  const name = (parseDisplayName(table)?.name ?? table).toLowerCase();
  return migrations.some((m) => words(m).includes(name) || m.toLowerCase().includes(`_${name}`));
}

/** Prisma's own bookkeeping table: its rows are the migrations, listed as such, not a table people watch. */
const isBookkeeping = (t: { name: string }) => t.name === '_prisma_migrations';

/**
 * The snapshot's `schema.name` for a table a lint finding names. The linter reads SQL, where `"Document"` has no
 * schema: it is the one table of that name in the snapshot, else it is not a table we know (no phantom entry).
 */
export function qualifyTable(table: string, known: string[]): string | null {
  if (known.includes(table)) return table;
  // Known names are display names (`public."Document"`): compare (schema, name) pairs, never strings.
  const wanted = parseDisplayName(table) ?? { schema: undefined, name: table.replace(/^"(.*)"$/s, '$1').replace(/""/g, '"') };
  const matches = known.filter((k) => {
    const pair = parseDisplayName(k);
    return pair !== null && pair.name === wanted.name && (wanted.schema === undefined || pair.schema === wanted.schema);
  });
  return matches.length === 1 ? matches[0]! : null;
}

export function rowSummary(record: MigrationRecord): string {
  if (record.status === 'aborted') return `not run: ${record.outcome.abortReason ?? 'aborted before the migration'}`;
  const diff = recordDiff(record);
  return diff ? summariseDiff(diff) : 'no state captured after the run';
}

export function summariseRecord(record: MigrationRecord): RecordSummary {
  const diff = recordDiff(record);
  return {
    id: record.id,
    title: record.title,
    migrations: record.migrations,
    environment: record.environment,
    status: record.status,
    performedBy: record.performedBy.name,
    startedAt: record.startedAt,
    finishedAt: record.finishedAt,
    durationMs: record.execution?.durationMs ?? null,
    downtimeMs: record.execution?.downtimeMs ?? null,
    summary: diff ? summariseDiff(diff) : rowSummary(record),
    commit: record.code?.commit ?? null,
    backup: record.backup
      ? { path: record.backup.path, bytes: record.backup.bytes, sha256: record.backup.sha256, verified: record.backup.verification?.ok ?? null }
      : null,
    integrity: {
      digest: record.integrity.digest,
      previous: record.integrity.previous,
      ...(record.integrity.seq === undefined ? {} : { seq: record.integrity.seq }),
      ...(record.integrity.unanchored ? { unanchored: true as const } : {}),
      ...(record.integrity.rollbackEvent ? { rollbackEvent: record.integrity.rollbackEvent } : {}),
    },
    tamper: checkRecordDigest(record),
    lint: lintCounts(record.lint),
  };
}

export function tableFacts(record: MigrationRecord): RecordTableFacts {
  const diff = recordDiff(record);
  const reasons = new Map<string, Set<string>>();
  const add = (table: string, reason: string) => {
    if (!reasons.has(table)) reasons.set(table, new Set());
    reasons.get(table)!.add(reason);
  };
  for (const t of diff?.tables ?? preTableCounts(record).map((t) => ({ table: displayName(t), change: 'unchanged' }))) {
    if (t.change === 'added') add(t.table, 'table created');
    if (t.change === 'dropped') add(t.table, 'table dropped');
    if (namesTable(record.migrations, t.table)) add(t.table, 'named by the migration');
  }
  for (const i of diff?.indexesAdded ?? []) add(i.table, `index ${i.name} added`);
  for (const i of diff?.indexesDropped ?? []) add(i.table, `index ${i.name} dropped`);
  for (const i of diff?.indexesChanged ?? []) add(i.table, `index ${i.name} changed`);
  for (const a of diff?.anomalies ?? []) add(a.table, a.message);
  const state = latestTableCounts(record);
  const known = [...new Set([...preTableCounts(record), ...(postTableCounts(record) ?? [])].map((t) => displayName(t)))];
  for (const f of record.lint) {
    const table = f.table && qualifyTable(f.table, known);
    if (table) add(table, `lint: ${f.rule}`);
  }
  const deltas = new Map((diff?.tables ?? []).map((t) => [t.table, t]));
  return {
    state: {
      at: state.at,
      tables: state.counts.filter((t) => !isBookkeeping(t)).map((t) => [displayName(t), t.rows]),
    },
    touches: [...reasons]
      .filter(([table]) => !isBookkeeping(parseDisplayName(table) ?? { name: table }))
      .map(([table, why]) => ({ table, reasons: [...why], before: deltas.get(table)?.before ?? null, after: deltas.get(table)?.after ?? null })),
  };
}
