// The machine-readable feeds: /records.json (every record, summarised, schema-versioned) and /rss.xml (latest runs).
import { redactDeep } from '../core/redact.ts';
import { RECORD_SCHEMA_VERSION, type MigrationRecord } from '../schemas/record.ts';
import type { RecordSummary } from './record-summary.ts';

/**
 * 2: paginated. `records` holds one page (newest first); `page`, `pages`, `pageSize`, `next` and `pageUrls` lead to
 * the rest. Version 1 put every record in one file, which grows without bound.
 */
export const FEED_SCHEMA_VERSION = 2;
/** Records per feed file: about 600 kB of JSON. */
export const FEED_PAGE_SIZE = 1000;

export interface RecordsFeed {
  feedSchemaVersion: number;
  recordSchemaVersion: number;
  generatedFrom: string;
  /** Records in the whole feed, across every page. */
  count: number;
  page: number;
  pages: number;
  pageSize: number;
  /** URL of the next (older) page, null on the last. */
  next: string | null;
  /** Every page's URL, first (newest) to last; the first is records.json itself. */
  pageUrls: string[];
  records: Array<{
    id: string;
    url: string;
    title: string;
    migrations: string[];
    environment: string;
    status: MigrationRecord['status'];
    performedBy: string;
    startedAt: string;
    finishedAt: string;
    durationMs: number | null;
    downtimeMs: number | null;
    summary: string;
    commit: string | null;
    backup: { path: string; bytes: number; sha256: string; verified: boolean | null } | null;
    digest: string;
    previousDigest: string | null;
  }>;
}

/**
 * One page of records, newest first. Summaries, not whole snapshots: at 10,000 records the full frontmatter would be
 * ~150 MB; each entry links its page, and the MDX file in git holds the rest.
 */
export function recordsFeed(
  newestFirst: RecordSummary[],
  urlFor: (id: string) => string,
  paging: { page?: number; pageSize?: number; pageUrl?: (page: number) => string } = {},
): RecordsFeed {
  const pageSize = paging.pageSize ?? FEED_PAGE_SIZE;
  const page = paging.page ?? 1;
  const pages = Math.max(1, Math.ceil(newestFirst.length / pageSize));
  const pageUrl = paging.pageUrl ?? ((n: number) => feedPageUrl('/', n));
  // Feeds leave the site for other tools: redacted again by today's catalogue, like every published text.
  return redactDeep({
    feedSchemaVersion: FEED_SCHEMA_VERSION,
    recordSchemaVersion: RECORD_SCHEMA_VERSION,
    generatedFrom: 'migration-logbook',
    count: newestFirst.length,
    page,
    pages,
    pageSize,
    next: page < pages ? pageUrl(page + 1) : null,
    pageUrls: Array.from({ length: pages }, (_, i) => pageUrl(i + 1)),
    records: newestFirst.slice((page - 1) * pageSize, page * pageSize).map((r) => ({
      id: r.id,
      url: urlFor(r.id),
      title: r.title,
      migrations: r.migrations,
      environment: r.environment,
      status: r.status,
      performedBy: r.performedBy,
      startedAt: r.startedAt,
      finishedAt: r.finishedAt,
      durationMs: r.durationMs,
      downtimeMs: r.downtimeMs,
      summary: r.summary,
      commit: r.commit,
      backup: r.backup,
      digest: r.integrity.digest,
      previousDigest: r.integrity.previous,
    })),
  });
}

/** Where feed page n lives under the site base: records.json, then feed/records-2.json, ... */
export const feedPageUrl = (base: string, n: number) => (n === 1 ? `${base}records.json` : `${base}feed/records-${n}.json`);

const escapeXml = (text: string) => text.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c]!);

export function rssFeed(newestFirst: RecordSummary[], site: { title: string; url: string; urlFor: (id: string) => string }, limit = 50): string {
  // Redacted before escaping, so a redaction can never cut an XML entity in half.
  const items = redactDeep(newestFirst.slice(0, limit)).map((r) => {
    const url = site.urlFor(r.id);
    return [
      '<item>',
      `<title>${escapeXml(`${r.status === 'success' ? '' : `[${r.status}] `}${r.title} on ${r.environment}`)}</title>`,
      `<link>${escapeXml(url)}</link>`,
      `<guid isPermaLink="true">${escapeXml(url)}</guid>`,
      `<pubDate>${new Date(r.finishedAt).toUTCString()}</pubDate>`,
      `<description>${escapeXml(`${r.performedBy}: ${r.summary}`)}</description>`,
      '</item>',
    ].join('');
  });
  return `<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel><title>${escapeXml(site.title)}</title><link>${escapeXml(site.url)}</link><description>Migration runs filed by Migration Logbook</description>${items.join('\n')}</channel></rss>\n`;
}
