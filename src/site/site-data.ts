// The records as every page needs them, computed once per build (pages share this module): summaries newest
// first, chain-checked, per-table histories, the runbooks they followed, and the full record for one page.

import { type CollectionEntry, getCollection } from 'astro:content';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { type ChainProblem, checkChains } from '../core/record/digest.ts';
import type { MigrationRecord } from '../schemas/record.ts';
import { recordsDir, sideFactsFile, sideRecordFile, sideSummaryFile } from './content-dirs.ts';
import { type RecordsGitHistory, readRecordsGitHistory } from './git-history.ts';
import { type HistoryRow, historyRow, newestFirst } from './history.ts';
import type { SideRecord } from './record-loader.ts';
import { type RecordSummary, type RecordTableFacts, summariseRecord, tableFacts } from './record-summary.ts';
import { loadRunbooks, type SiteRunbook } from './runbooks.ts';
import { type TableHistory, type TableRecord, tableHistories } from './tables.ts';

export interface SiteRecord {
  entry: CollectionEntry<'records'>;
  summary: RecordSummary;
  /** The whole record and its body HTML, read when its page renders (from the loader's side cache); a null html
   * means the body is Astro-rendered (the benchmark baseline): use render(entry). */
  full(): { record: MigrationRecord; html: string | null };
  /** Absolute path of the record file, for its git history. */
  sourceFile: string;
  /** What the table pages need (from the side cache; computed for the baseline). */
  facts(): RecordTableFacts;
}

export interface SiteData {
  /** Newest first. */
  records: SiteRecord[];
  summaries: RecordSummary[];
  rows: HistoryRow[];
  chainProblems: ChainProblem[];
  runbooks: SiteRunbook[];
  tables: () => Map<string, TableHistory>;
}

/** Our loader keeps everything but the entry in its side cache; the benchmark's glob-md baseline stores whole records (summarised here). */
function siteRecord(entry: CollectionEntry<'records'>): SiteRecord {
  const data = entry.data as unknown as Partial<MigrationRecord>;
  const sourceFile = resolve(entry.filePath ?? '');
  if ('pre' in data) {
    const record = data as MigrationRecord;
    return { entry, summary: summariseRecord(record), full: () => ({ record, html: null }), facts: () => tableFacts(record), sourceFile };
  }
  const digest = String(entry.digest);
  return {
    entry,
    summary: JSON.parse(readFileSync(sideSummaryFile(entry.id, digest), 'utf8')) as RecordSummary,
    sourceFile,
    full: () => JSON.parse(readFileSync(sideRecordFile(entry.id, digest), 'utf8')) as SideRecord,
    facts: () => JSON.parse(readFileSync(sideFactsFile(entry.id, digest), 'utf8')) as RecordTableFacts,
  };
}

/** checkChains reads only id, environment, startedAt and the integrity position and digests, all of which a summary carries. */
type ChainFields = Pick<MigrationRecord, 'id' | 'environment' | 'startedAt'> & {
  integrity: Pick<MigrationRecord['integrity'], 'digest' | 'previous' | 'seq' | 'unanchored' | 'rollbackEvent'>;
};
const chainProblemsOf = (summaries: ChainFields[]) => checkChains(summaries as unknown as MigrationRecord[]);

/** Records (given newest first) oldest first with their table facts, read one at a time from the side cache. */
function* oldestFirst(records: SiteRecord[]): Generator<TableRecord> {
  for (let k = records.length - 1; k >= 0; k--) yield { ...records[k]!.summary, ...records[k]!.facts() };
}

let cached: Promise<SiteData> | undefined;

export function siteData(): Promise<SiteData> {
  cached ??= (async () => {
    const all = (await getCollection('records')).map(siteRecord);
    const records = newestFirst(all.map((r) => ({ r, id: r.summary.id, startedAt: r.summary.startedAt }))).map((x) => x.r);
    const summaries = records.map((r) => r.summary);
    let tables: Map<string, TableHistory> | undefined;
    return {
      records,
      summaries,
      rows: summaries.map(historyRow),
      chainProblems: chainProblemsOf(summaries),
      runbooks: await loadRunbooks(),
      tables: () => (tables ??= tableHistories(oldestFirst(records), { chronological: true })),
    };
  })();
  return cached;
}

export function siteBase(): string {
  return import.meta.env.BASE_URL.replace(/\/?$/, '/');
}

let git: Promise<RecordsGitHistory> | undefined;

/** Git history of the records directory, read once per build. */
export function recordsGitHistory(): Promise<RecordsGitHistory> {
  git ??= readRecordsGitHistory(recordsDir());
  return git;
}
