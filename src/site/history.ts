// The history table's rows and filter choices: one flat, precomputed row per record, newest first.
import type { RecordStatus } from '../schemas/record.ts';
import type { LintCounts } from './findings-view.ts';
import type { RecordSummary } from './record-summary.ts';
import { recordStatuses } from './status.ts';

export interface HistoryRow {
  id: string;
  startedAt: string;
  year: string;
  migrations: string[];
  environment: string;
  status: RecordStatus;
  durationMs: number | null;
  downtimeMs: number | null;
  performer: string;
  /** One line: the row-count change, or why nothing ran. */
  summary: string;
  lint: LintCounts;
}

export function historyRow(record: RecordSummary): HistoryRow {
  return {
    id: record.id,
    startedAt: record.startedAt,
    year: record.startedAt.slice(0, 4),
    migrations: record.migrations,
    environment: record.environment,
    status: record.status,
    durationMs: record.durationMs,
    downtimeMs: record.downtimeMs,
    performer: record.performedBy,
    summary: record.summary,
    lint: record.lint ?? { error: 0, warning: 0, info: 0 },
  };
}

/** Newest first; ties broken by id so the order never depends on file-system order. */
export function newestFirst<T extends { startedAt: string; id: string }>(items: T[]): T[] {
  return [...items].sort((a, b) => (a.startedAt === b.startedAt ? (a.id < b.id ? 1 : -1) : a.startedAt < b.startedAt ? 1 : -1));
}

export interface HistoryFilterOptions {
  environments: string[];
  statuses: RecordStatus[];
  years: string[];
}

export function filterOptions(rows: HistoryRow[]): HistoryFilterOptions {
  const present = new Set(rows.map((r) => r.status));
  return {
    environments: [...new Set(rows.map((r) => r.environment))].sort(),
    statuses: recordStatuses.filter((s) => present.has(s)),
    years: [...new Set(rows.map((r) => r.year))].sort().reverse(),
  };
}

export interface HistoryQuery {
  env?: string | undefined;
  status?: string | undefined;
  year?: string | undefined;
  sort?: 'newest' | 'oldest' | 'duration' | 'downtime' | undefined;
}

/** Filters rows in memory by environment, status and year (the page script filters the whole history through
 * history-index.ts instead). */
export function applyHistoryQuery(rows: HistoryRow[], query: HistoryQuery): HistoryRow[] {
  const kept = rows.filter(
    (r) => (!query.env || r.environment === query.env) && (!query.status || r.status === query.status) && (!query.year || r.year === query.year),
  );
  switch (query.sort) {
    case 'oldest':
      return [...kept].reverse();
    case 'duration':
      return [...kept].sort((a, b) => (b.durationMs ?? -1) - (a.durationMs ?? -1));
    case 'downtime':
      return [...kept].sort((a, b) => (b.downtimeMs ?? -1) - (a.downtimeMs ?? -1));
    default:
      return kept;
  }
}
