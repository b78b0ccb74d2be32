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

/** When and by which run a row count was captured; one per record, shared by every table's counts. */
export interface CountStamp {
  at: string;
  id: string;
}

/**
 * One environment's row counts of a table, one per run that captured the table, in the order the runs were read.
 * Compact (12 bytes a count, the run's time and id shared through `stamps`) because there are a table count per
 * record per table: at 10,000 records of 320 tables, 3.2 million of them, which as chart point objects took
 * ~60 bytes each. chartSeries() makes points for the one page that draws them.
 */
export interface TableCounts {
  label: string;
  stamps: readonly CountStamp[];
  /** Index into `stamps` of each count's run. */
  runs: Uint32Array;
  rows: Float64Array;
}

export interface TableHistory {
  table: string;
  /** Row counts of the last state each run captured, one series per environment (see chartSeries). */
  counts: TableCounts[];
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
  const stamps: CountStamp[] = [];
  type Growing = { runs: number[]; rows: number[] };
  const out = new Map<string, { history: TableHistory; byEnv: Map<string, Growing> }>();
  const get = (table: string) => {
    let item = out.get(table);
    if (!item) {
      item = { history: { table, counts: [], touches: [], latest: [] }, byEnv: new Map() };
      out.set(table, item);
    }
    return item;
  };
  // Facts are parsed from JSON one record at a time: the same reason text would otherwise be a new string per touch.
  const reasonTexts = new Map<string, string>();
  const intern = (text: string) => {
    const known = reasonTexts.get(text);
    if (known !== undefined) return known;
    reasonTexts.set(text, text);
    return text;
  };
  for (const record of ordered) {
    const run = stamps.push({ at: record.state.at, id: record.id }) - 1;
    for (const [table, rows] of record.state.tables) {
      const { byEnv } = get(table);
      let counts = byEnv.get(record.environment);
      if (!counts) {
        counts = { runs: [], rows: [] };
        byEnv.set(record.environment, counts);
      }
      counts.runs.push(run);
      counts.rows.push(rows);
    }
    for (const touch of record.touches) {
      get(touch.table).history.touches.push({
        id: record.id,
        startedAt: record.startedAt,
        environment: record.environment,
        status: record.status,
        migrations: record.migrations,
        reasons: touch.reasons.map(intern),
        before: touch.before,
        after: touch.after,
      });
    }
  }
  const result = new Map<string, TableHistory>();
  for (const [table, { history, byEnv }] of [...out].sort(([a], [b]) => a.localeCompare(b))) {
    history.counts = [...byEnv]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([label, c]) => ({ label, stamps, runs: Uint32Array.from(c.runs), rows: Float64Array.from(c.rows) }));
    history.latest = history.counts.map((c) => {
      const last = c.runs.length - 1;
      return { environment: c.label, rows: c.rows[last]!, at: stamps[c.runs[last]!]!.at };
    });
    history.touches.reverse();
    result.set(table, history);
  }
  return result;
}

/** A table's counts as chart series (one point object per count: made for the page that draws them, then dropped). */
export function chartSeries(history: Pick<TableHistory, 'counts'>): ChartSeries[] {
  return history.counts.map((c) => ({
    label: c.label,
    points: Array.from(c.runs, (run, k) => ({ at: c.stamps[run]!.at, value: c.rows[k]!, id: c.stamps[run]!.id })),
  }));
}
