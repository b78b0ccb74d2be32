// The machine-readable feeds: /records.json (every record, summarised, schema-versioned) and /rss.xml (latest runs).
import { redactDeep } from '../core/redact.ts';
import { RECORD_SCHEMA_VERSION, type MigrationRecord } from '../schemas/record.ts';
import type { RecordSummary } from './record-summary.ts';

export const FEED_SCHEMA_VERSION = 1;

export interface RecordsFeed {
  feedSchemaVersion: number;
  recordSchemaVersion: number;
  generatedFrom: string;
  count: number;
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
 * Every record, newest first. Summaries, not whole snapshots: at 10,000 records the full frontmatter would be
 * ~150 MB; each entry links its page, and the MDX file in git holds the rest.
 */
export function recordsFeed(newestFirst: RecordSummary[], urlFor: (id: string) => string): RecordsFeed {
  // Feeds leave the site for other tools: redacted again by today's catalogue, like every published text.
  return redactDeep({
    feedSchemaVersion: FEED_SCHEMA_VERSION,
    recordSchemaVersion: RECORD_SCHEMA_VERSION,
    generatedFrom: 'migration-logbook',
    count: newestFirst.length,
    records: newestFirst.map((r) => ({
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
