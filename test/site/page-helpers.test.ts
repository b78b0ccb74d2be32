// The data behind the page fixes, without rendering: chart axes, findings wording, failure reasons, name breaking,
// icons, lint counts and which tables the tables page lists.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { durationTicks, lineChart, timeLabel } from '../../src/site/chart.ts';
import { buildDashboard } from '../../src/site/dashboard.ts';
import { failureReason } from '../../src/site/failure.ts';
import { checkDetail, formatLatency, lintCounts, lintWhere } from '../../src/site/findings-view.ts';
import { iconPieces, phaseTitlePieces } from '../../src/site/icons.ts';
import { breakableParts } from '../../src/site/names.ts';
import { qualifyTable, summariseRecord, tableFacts } from '../../src/site/record-summary.ts';
import { renderProse } from '../../src/site/render-prose.ts';
import { ERROR_LINE, FAILED_NAME, pageFixtureRecords } from '../helpers/page-fixtures.ts';

const records = pageFixtureRecords().map((f) => f.record);

describe('chart axes', () => {
  it('labels a day by time and years by month, never one label five times', () => {
    assert.equal(timeLabel(Date.parse('2026-03-03T09:30:00Z'), 8 * 3_600_000), '03-03 09:30');
    assert.equal(timeLabel(Date.parse('2026-03-03T09:30:00Z'), 30 * 86_400_000), '2026-03-03');
    assert.equal(timeLabel(Date.parse('2026-03-03T09:30:00Z'), 3 * 365 * 86_400_000), '2026-03');
    const chart = lineChart(
      [
        {
          label: 'p',
          points: [
            { at: '2026-03-03T09:00:00.000Z', value: 350 },
            { at: '2026-03-03T17:00:00.000Z', value: 620 },
          ],
        },
      ],
      { duration: true, formatValue: (v) => `${v} ms` },
    );
    assert.equal(new Set(chart.xTicks.map((t) => t.label)).size, 5);
    assert.deepEqual(
      chart.series[0]!.marks.map((m) => m.title),
      ['2026-03-03 09:00:00 UTC: 350 ms', '2026-03-03 17:00:00 UTC: 620 ms'],
    );
  });

  it('puts duration ticks on round durations, in ms below a second', () => {
    assert.deepEqual(durationTicks(620), [0, 200, 400, 600, 800]);
    assert.deepEqual(durationTicks(200_000), [0, 60_000, 120_000, 180_000, 240_000]);
  });

  it('keeps dashboard durations in ms, so sub-second runs are not rounded to 0 or 1 s', () => {
    const dashboard = buildDashboard(records.map(summariseRecord).reverse());
    const production = dashboard.duration.find((s) => s.label === 'production')!;
    assert.ok(production.points.some((p) => p.value === 350));
    assert.deepEqual(dashboard.lint, { error: 1, warning: 1, info: 0 });
  });
});

describe('findings and checks', () => {
  it('names the migration folder once in Where', () => {
    assert.equal(lintWhere({ migration: 'm1', file: 'm1/migration.sql', line: 5 }), 'm1/migration.sql:5');
    assert.equal(lintWhere({ migration: 'm1', file: 'migration.sql', line: 5 }), 'm1/migration.sql:5');
    assert.equal(lintWhere({ migration: 'm1.sql', file: 'm1.sql', line: 2 }), 'm1.sql:2');
  });

  it('says the expectation once and rounds latency', () => {
    assert.deepEqual(checkDetail({ detail: '0 (expected = 0)', expected: '= 0' }), { detail: '0 (expected = 0)', extra: '' });
    assert.deepEqual(checkDetail({ detail: 'got 3', expected: '= 0' }), { detail: 'got 3', extra: '(expected = 0)' });
    assert.equal(formatLatency(70.89834499999961), '70.9 ms');
    assert.equal(formatLatency(1234.5), '1235 ms');
    assert.deepEqual(checkDetail({ detail: 'HTTP 200', latencyMs: 70.89834499999961 }), { detail: 'HTTP 200', extra: '· 70.9 ms' });
  });

  it('counts lint findings by severity', () => {
    assert.deepEqual(lintCounts([{ severity: 'error' }, { severity: 'warning' }, { severity: 'warning' }]), { error: 1, warning: 2, info: 0 });
    assert.deepEqual(summariseRecord(records[0]!).lint, { error: 0, warning: 1, info: 0 });
  });
});

describe('why a run failed', () => {
  it("names the failed migration and PostgreSQL's error line", () => {
    const failed = records.find((r) => r.status === 'failed')!;
    assert.deepEqual(failureReason(failed), { migration: FAILED_NAME, line: ERROR_LINE });
    assert.equal(failureReason(records.find((r) => r.status === 'success')!), null);
  });

  it("finds PostgreSQL's message behind psql's prefix, in the failed migration's log (the demo's real output)", () => {
    const failed = records.find((r) => r.status === 'failed')!;
    const log =
      'psql:/app/prisma/migrations/20251205090000_backfill/migration.sql:4: ERROR:  column "prize_budget" does not exist\nLINE 1: UPDATE "seasons" SET "reward_pool" = "prize_budget" / 10;';
    const real = {
      ...failed,
      migrations: ['20251205090000_backfill'],
      post: null,
      migrationOutcomes: [{ name: '20251205090000_backfill', outcome: 'failed' as const, logs: log }],
      execution: { ...failed.execution!, outputTail: `Applying migration \`20251205090000_backfill\`\nError: P3018\n\nDatabase error:\n${log}` },
    };
    assert.deepEqual(failureReason(real), { migration: '20251205090000_backfill', line: 'ERROR: column "prize_budget" does not exist' });
  });

  it("falls back to Prisma's error line when there is no ERROR line", () => {
    const failed = records.find((r) => r.status === 'failed')!;
    const plain = {
      ...failed,
      post: null,
      execution: { ...failed.execution!, outputTail: "Applying migration `x`\nError: P1001: Can't reach database server" },
    };
    assert.deepEqual(failureReason(plain), { migration: FAILED_NAME, line: "Error: P1001: Can't reach database server" });
  });
});

describe('names and icons', () => {
  it('splits names after _ - . / only', () => {
    assert.deepEqual(breakableParts('2026_add_user-locale.sql'), ['2026_', 'add_', 'user-', 'locale.', 'sql']);
    assert.equal(breakableParts('public.Document').join(''), 'public.Document');
  });

  it('turns known emoji into icons and leaves the words', () => {
    assert.deepEqual(iconPieces('🚀 Pre-Deployment'), [{ icon: 'rocket' }, ' Pre-Deployment']);
    assert.deepEqual(iconPieces('⚠️ careful'), [{ icon: 'warning' }, ' careful']);
    assert.deepEqual(iconPieces('plain'), ['plain']);
  });

  it("draws a runbook phase's icon from its well-known id, or from its own emoji, never both", () => {
    assert.deepEqual(phaseTitlePieces('pre-deployment', 'Pre-Deployment Checklist'), [{ icon: 'rocket' }, ' ', 'Pre-Deployment Checklist']);
    assert.deepEqual(phaseTitlePieces('pre-deployment', '🚀 Pre-Deployment'), [{ icon: 'rocket' }, ' Pre-Deployment']);
    assert.deepEqual(phaseTitlePieces('smoke', 'Smoke tests'), ['Smoke tests']);
  });

  it("draws a record body's emoji as icons, but leaves code verbatim", async () => {
    const html = await renderProse('**Status:** ✅ success · ⚡ interrupted\n\n`✅ in code`\n');
    assert.match(
      html,
      /<strong>Status:<\/strong> <svg class="icon" data-icon="check" viewBox="0 0 24 24"[^>]*aria-hidden="true"[^>]*><path d="[^"]+"><\/path><\/svg> success/,
    );
    assert.match(html, /data-icon="bolt"/);
    assert.match(html, /<code>✅ in code<\/code>/);
  });
});

describe('the tables page', () => {
  it("qualifies a lint finding's bare table name through the snapshot, or drops it", () => {
    const known = ['public."Document"', 'public."User"'];
    assert.equal(qualifyTable('Document', known), 'public."Document"');
    assert.equal(qualifyTable('"Document"', known), 'public."Document"');
    assert.equal(qualifyTable('public.User', known), 'public."User"');
    assert.equal(qualifyTable('public."User"', known), 'public."User"');
    assert.equal(qualifyTable('archive.User', known), null);
    assert.equal(qualifyTable('Document', ['public."Document"', 'archive."Document"']), null);
    assert.equal(qualifyTable('Missing', known), null);
  });

  it("leaves out Prisma's _prisma_migrations and phantom unqualified tables", () => {
    const facts = tableFacts(records[0]!);
    assert.deepEqual(
      facts.state.tables.map(([t]) => t),
      ['public."Document"', 'public."User"'],
    );
    assert.deepEqual(facts.touches.map((t) => t.table).sort(), ['public."Document"']);
  });
});

describe('search documents', () => {
  it('hold names, words of names, people, tables, failure and prose, not the snapshot', async () => {
    const { searchDocument, humanProse } = await import('../../src/site/search-document.ts');
    const failed = records.find((r) => r.status === 'failed')!;
    const doc = searchDocument(failed, ['public.Document'], 'Deduplicated and re-ran.');
    for (const word of [FAILED_NAME, 'backfill document owner ids', 'production', 'Ada Lovelace', 'public.Document', ERROR_LINE, 'Deduplicated'])
      assert.ok(doc.content.includes(word), word);
    assert.deepEqual(doc.filters, { environment: ['production'], status: ['failed'], table: ['public.Document'] });
    assert.ok(!doc.content.includes('_prisma_migrations'));
    assert.equal(humanProse('## Summary\n\nmachine\n\n## Notes\n\nA person wrote this.\n\n## Resolution\n\n_Nothing recorded yet._\n'), 'A person wrote this.');
  });
});

describe("the benchmark's schema", () => {
  it('is production-sized: 300+ tables in several schemas, 1,200 indexes, partitions, 400 migrations, 0 to 100M+ rows', async () => {
    const { realisticSchema } = await import('../helpers/synthetic.ts');
    const schema = realisticSchema();
    assert.ok(schema.tables.length >= 300);
    assert.ok(new Set(schema.tables.map((t) => t.name.split('.')[0])).size >= 4);
    assert.equal(schema.indexes.length, 1200);
    assert.ok(schema.tables.filter((t) => t.partitions?.length).length >= 3);
    assert.equal(schema.applied.length, 400);
    const rows = schema.tables.map((t) => t.rows);
    assert.equal(Math.min(...rows), 0);
    assert.ok(Math.max(...rows) >= 100_000_000);
  });
});
