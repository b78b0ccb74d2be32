// One table's story across every record: its row count over time per environment, and the runs that touched it.
import type { RecordStatus } from '../schemas/record.ts';
import type { ChartSeries } from './chart.ts';
import type { RecordSummary, RecordTableFacts } from './record-summary.ts';

/** One record as the table pages see it. */
export type TableRecord = Pick<RecordSummary, 'id' | 'startedAt' | 'environment' | 'status' | 'migrations'> & RecordTableFacts;

export interface TableTouch {
  id: string;
  startedAt: string;
  environment: string;
  status: RecordStatus;
  migrations: string[];
  /** Why this run counts as touching the table. */
  reasons: string[];
  before: number | null;
  after: number | null;
}

export interface TableHistory {
  table: string;
  /** Row counts of the last state each run captured, one series per environment. */
  series: ChartSeries[];
  /** Newest first. */
  touches: TableTouch[];
  latest: Array<{ environment: string; rows: number; at: string }>;
}

/**
 * Every table seen in any record, with its history; records in any order, or oldest first as an iterable with
 * `chronological` (each record's facts are then dropped as soon as they are read: at 10,000 records of 320 tables,
 * holding them all at once is millions of small arrays).
 */
export function tableHistories(records: Iterable<TableRecord>, options: { chronological?: boolean } = {}): Map<string, TableHistory> {
  const ordered = options.chronological ? records : [...records].sort((a, b) => (a.startedAt < b.startedAt ? -1 : a.startedAt > b.startedAt ? 1 : 0));
  const out = new Map<string, { history: TableHistory; byEnv: Map<string, ChartSeries> }>();
  const get = (table: string) => {
    let item = out.get(table);
    if (!item) {
      item = { history: { table, series: [], touches: [], latest: [] }, byEnv: new Map() };
      out.set(table, item);
    }
    return item;
  };
  for (const record of ordered) {
    for (const [table, rows] of record.state.tables) {
      const { byEnv } = get(table);
      let series = byEnv.get(record.environment);
      if (!series) {
        series = { label: record.environment, points: [] };
        byEnv.set(record.environment, series);
      }
      series.points.push({ at: record.state.at, value: rows, id: record.id });
    }
    for (const touch of record.touches) {
      get(touch.table).history.touches.push({
        id: record.id,
        startedAt: record.startedAt,
        environment: record.environment,
        status: record.status,
        migrations: record.migrations,
        reasons: touch.reasons,
        before: touch.before,
        after: touch.after,
      });
    }
  }
  const result = new Map<string, TableHistory>();
  for (const [table, { history, byEnv }] of [...out].sort(([a], [b]) => a.localeCompare(b))) {
    history.series = [...byEnv.values()].sort((a, b) => a.label.localeCompare(b.label));
    history.latest = history.series.map((s) => ({ environment: s.label, rows: s.points.at(-1)!.value, at: s.points.at(-1)!.at }));
    history.touches.reverse();
    result.set(table, history);
  }
  return result;
}
