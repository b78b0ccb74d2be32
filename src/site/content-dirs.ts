// Where the site reads content from (env overrides for tests, benchmarks and demos, else content/), and where
// the records loader's side cache lives.
import { dirname, join, resolve } from 'node:path';

const contentRoot = process.env.LOGBOOK_CONTENT_DIR ?? './content';

/** Record files (`<id>.mdx`); LOGBOOK_RECORDS_DIR, default content/records. */
export function recordsDir(): string {
  return process.env.LOGBOOK_RECORDS_DIR || `${contentRoot}/records`;
}

/** Runbook files; LOGBOOK_RUNBOOKS_DIR, default content/runbooks. */
export function runbooksDir(): string {
  return process.env.LOGBOOK_RUNBOOKS_DIR || `${contentRoot}/runbooks`;
}

/** Coverage audits (`logbook audit --write`): LOGBOOK_AUDITS_DIR, else `audits` beside the records folder, as the CLI writes them. */
export function auditsDir(): string {
  return process.env.LOGBOOK_AUDITS_DIR || join(dirname(recordsDir()), 'audits');
}

/** Astro's cache directory for builds (LOGBOOK_SITE_CACHE_DIR, as astro.config.mjs reads it). */
export function siteCacheDir(): string {
  return process.env.LOGBOOK_SITE_CACHE_DIR || './node_modules/.astro';
}

/**
 * Where the records loader keeps each record's full JSON and table facts, keyed by id and content digest; the
 * record and table pages read them from here. Relative paths resolve against the working directory, which is the
 * project root when Astro builds.
 */
export function recordSideCacheDir(): string {
  return resolve(siteCacheDir(), 'logbook-records');
}

export const sideRecordFile = (id: string, digest: string) => join(recordSideCacheDir(), `${id}.${digest}.json`);
/** The record's summary (record-summary.ts): what every listing page needs, read once per build by site-data.ts. */
export const sideSummaryFile = (id: string, digest: string) => join(recordSideCacheDir(), `${id}.${digest}.summary.json`);
export const sideFactsFile = (id: string, digest: string) => join(recordSideCacheDir(), `${id}.${digest}.facts.json`);
/** What the search index holds for the record (see search-document.ts); the index step reads every one. */
export const sideSearchFile = (id: string, digest: string) => join(recordSideCacheDir(), `${id}.${digest}.search.json`);
export const SIDE_SEARCH_SUFFIX = '.search.json';
