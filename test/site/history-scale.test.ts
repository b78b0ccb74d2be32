// The history past one page, in a real browser: static pages that work with JavaScript off, filters that search
// every record with it on, bounded table pages and a paged feed.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { summariseRecord, tableFacts } from '../../src/site/record-summary.ts';
import { writeRecordFiles } from '../helpers/record-files.ts';
import type { StaticServer } from '../helpers/static-server.ts';
import { startSiteUnderTest, type SiteUnderTest } from '../helpers/site-under-test.ts';
import { generateHistory } from '../helpers/synthetic.ts';

const history = generateHistory(620, { start: '2024-01-02T09:00:00.000Z' });
const records = history.map((h) => h.record);
const newest = [...records].sort((a, b) => (a.startedAt < b.startedAt ? 1 : -1));

let work: string;
let site: SiteUnderTest | undefined;
let dist: string;
let server: StaticServer;
let browser: Browser;

before(async () => {
  work = mkdtempSync(join(tmpdir(), 'logbook-history-'));
  writeRecordFiles(join(work, 'records'), history);
  site = await startSiteUnderTest('history-test', join(work, 'records'), { search: false });
  ({ dist, server, browser } = site);
});

after(async () => {
  await site?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('history at scale', () => {
  it('pages the history statically: 250 runs a page, every run once, linked, with JavaScript off', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    const seen: string[] = [];
    for (const [n, path] of [
      [1, '/history/'],
      [2, '/history/2/'],
      [3, '/history/3/'],
    ] as const) {
      await page.goto(`${server.url}${path}`);
      const ids = await page.locator('#history-table tbody tr td.migration a').evaluateAll((as) => as.map((a) => a.getAttribute('href')!.split('/')[2]!));
      assert.equal(ids.length, n < 3 ? 250 : 120, path);
      seen.push(...ids);
      assert.match((await page.locator('#history-table caption').textContent()) ?? '', new RegExp(`of ${records.length}, newest first \\(page ${n} of 3\\)`));
    }
    assert.deepEqual(
      seen,
      newest.map((r) => r.id),
    );
    await page.goto(`${server.url}/history/`);
    await page.locator('[data-pager] a[rel=next]').first().click();
    assert.equal(new URL(page.url()).pathname, '/history/2/');
    assert.equal(await page.locator('#history-filters').isVisible(), false, 'filters that cannot work are not shown');
    // Hidden by the HTML itself, not only by the stylesheet: a page whose CSS has not arrived (here: never will)
    // still hides them.
    await page.route('**/*.css', (route) => route.abort());
    await page.goto(`${server.url}/history/2/`);
    assert.equal(await page.locator('#history-filters').isVisible(), false, 'hidden before the stylesheet arrives');
    await context.close();
  });

  it('filters every record, not just the page, by environment, status, dates and table', async () => {
    const page = await browser.newPage();
    await page.goto(`${server.url}/history/`);
    await page.selectOption('select[name=env]', 'qa');
    const qa = records.filter((r) => r.environment === 'qa');
    await page
      .locator('#history-count')
      .filter({ hasText: `${qa.length} of ${records.length} records` })
      .waitFor();
    assert.equal(await page.locator('#history-table tbody tr').count(), Math.min(qa.length, 250));
    assert.equal(await page.locator('[data-pager]').first().isVisible(), false);

    await page.goto(`${server.url}/history/?status=failed&from=2024-03-01&to=2024-06-30`);
    const failed = newest.filter((r) => r.status === 'failed' && r.startedAt >= '2024-03-01' && r.startedAt.slice(0, 10) <= '2024-06-30');
    await page
      .locator('#history-count')
      .filter({ hasText: `${failed.length} of ${records.length}` })
      .waitFor();
    assert.deepEqual(
      await page.locator('#history-table tbody tr td.migration a').evaluateAll((as) => as.map((a) => a.getAttribute('href'))),
      failed.map((r) => `/records/${r.id}/`),
    );

    const table = 'billing.invoices';
    const touching = newest.filter((r) => tableFacts(r).touches.some((t) => t.table === table));
    await page.goto(`${server.url}/history/?table=${table}`);
    await page
      .locator('#history-count')
      .filter({ hasText: `${touching.length} of ${records.length}` })
      .waitFor();
    assert.equal(await page.locator('#history-table tbody tr').count(), touching.length);

    // Clearing the filters brings the static first page back.
    await page.goto(`${server.url}/history/?env=production`);
    await page.locator('#history-count').filter({ hasText: 'of' }).waitFor();
    const production = records.filter((r) => r.environment === 'production').length;
    if (production > 250) {
      await page.click('#history-more');
      assert.equal(await page.locator('#history-table tbody tr').count(), Math.min(production, 500));
    }
    await page.selectOption('select[name=env]', '');
    await page.locator('[data-pager]').first().waitFor();
    assert.equal(await page.locator('#history-table tbody tr').count(), 250);
    assert.equal(new URL(page.url()).search, '');
    await page.close();
  });

  it('keeps every table page under 200 kB', () => {
    const sizes = readdirSync(join(dist, 'tables'), { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => ({ table: d.name, bytes: statSync(join(dist, 'tables', d.name, 'index.html')).size }));
    assert.ok(sizes.length > 10);
    assert.deepEqual(
      sizes.filter((s) => s.bytes >= 200_000),
      [],
    );
  });

  it('keeps the history index compact and the feed on bounded pages', () => {
    const index = JSON.parse(readFileSync(join(dist, 'history-index.json'), 'utf8'));
    assert.equal(index.rows.length, records.length);
    const feed = JSON.parse(readFileSync(join(dist, 'records.json'), 'utf8'));
    assert.equal(feed.count, records.length);
    assert.equal(feed.records.length, Math.min(records.length, 1000));
    assert.deepEqual(
      feed.records.map((r: { id: string }) => r.id),
      newest.slice(0, feed.records.length).map((r) => r.id),
    );
    assert.equal(summariseRecord(newest[0]!).id, feed.records[0].id);
  });
});
