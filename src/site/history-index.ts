// The history's compact filter index (/history-index.json) and the filter both the page script and tests apply:
// one short array per record, repeated strings (environments, people, tables) stored once in dictionaries.
import type { RecordStatus } from '../schemas/record.ts';
import type { LintCounts } from './findings-view.ts';
import type { HistoryRow } from './history.ts';

export const HISTORY_INDEX_VERSION = 1;
/** Rows per static history page: a page stays small (~150 kB) and needs no JavaScript. */
export const HISTORY_PAGE_SIZE = 250;

/** [id, startedAt, env, status, migrations, durationMs, downtimeMs, performer, summary, [error, warning, info], tables] */
export type IndexRow = [string, string, number, number, string[], number, number, number, string, [number, number, number], number[]];

export interface HistoryIndex {
  version: number;
  environments: string[];
  statuses: RecordStatus[];
  people: string[];
  tables: string[];
  /** Newest first. Durations are -1 when unknown. */
  rows: IndexRow[];
}

export interface HistoryFilter {
  env?: string | undefined;
  status?: string | undefined;
  year?: string | undefined;
  /** Inclusive dates, YYYY-MM-DD (UTC). */
  from?: string | undefined;
  to?: string | undefined;
  /** A table, schema.name, that the run touched. */
  table?: string | undefined;
  sort?: string | undefined;
}

/** Rows newest first; `tablesOf` names the tables each record touched. */
export function buildHistoryIndex(rows: HistoryRow[], tablesOf: (id: string) => string[]): HistoryIndex {
  const dictionary = () => {
    const values: string[] = [];
    const at = new Map<string, number>();
    const id = (v: string): number => {
      const known = at.get(v);
      if (known !== undefined) return known;
      at.set(v, values.length);
      return values.push(v) - 1;
    };
    return { values, id };
  };
  const environments = dictionary();
  const statuses = dictionary();
  const people = dictionary();
  const tables = dictionary();
  const out: IndexRow[] = rows.map((r) => [
    r.id,
    r.startedAt,
    environments.id(r.environment),
    statuses.id(r.status),
    r.migrations,
    r.durationMs ?? -1,
    r.downtimeMs ?? -1,
    people.id(r.performer),
    r.summary,
    [r.lint.error, r.lint.warning, r.lint.info],
    tablesOf(r.id).map(tables.id),
  ]);
  return {
    version: HISTORY_INDEX_VERSION,
    environments: environments.values,
    statuses: statuses.values as RecordStatus[],
    people: people.values,
    tables: tables.values,
    rows: out,
  };
}

/** An index row back as a history row (for rendering). */
export function indexRowToHistoryRow(index: HistoryIndex, row: IndexRow): HistoryRow {
  const [id, startedAt, env, status, migrations, durationMs, downtimeMs, performer, summary, lint] = row;
  const counts: LintCounts = { error: lint[0], warning: lint[1], info: lint[2] };
  return {
    id,
    startedAt,
    year: startedAt.slice(0, 4),
    migrations,
    environment: index.environments[env]!,
    status: index.statuses[status]!,
    durationMs: durationMs < 0 ? null : durationMs,
    downtimeMs: downtimeMs < 0 ? null : downtimeMs,
    performer: index.people[performer]!,
    summary,
    lint: counts,
  };
}

/** The rows a filter keeps, in the order it asks for. */
export function filterHistoryIndex(index: HistoryIndex, filter: HistoryFilter): IndexRow[] {
  const env = filter.env ? index.environments.indexOf(filter.env) : null;
  const status = filter.status ? index.statuses.indexOf(filter.status as RecordStatus) : null;
  const table = filter.table ? index.tables.indexOf(filter.table) : null;
  const to = filter.to ? `${filter.to}\uffff` : null;
  const kept = index.rows.filter(
    (r) =>
      (env === null || r[2] === env) &&
      (status === null || r[3] === status) &&
      (!filter.year || r[1].startsWith(filter.year)) &&
      (!filter.from || r[1] >= filter.from) &&
      (to === null || r[1] <= to) &&
      (table === null || r[10].includes(table)),
  );
  switch (filter.sort) {
    case 'oldest':
      return kept.reverse();
    case 'duration':
      return kept.sort((a, b) => b[5] - a[5]);
    case 'downtime':
      return kept.sort((a, b) => b[6] - a[6]);
    default:
      return kept;
  }
}

/** Page n (1-based) of the static history and the links around it. */
export function historyPages<T>(rows: T[], size = HISTORY_PAGE_SIZE): Array<{ number: number; rows: T[]; total: number; pages: number }> {
  const pages = Math.max(1, Math.ceil(rows.length / size));
  return Array.from({ length: pages }, (_, i) => ({ number: i + 1, rows: rows.slice(i * size, (i + 1) * size), total: rows.length, pages }));
}

export const historyPagePath = (base: string, n: number) => (n === 1 ? `${base}history/` : `${base}history/${n}/`);
