// The built site in a real browser: history and its filters, a record, a table page, Pagefind search,
// runbook ticking that survives a reload, feeds, and pages that work with JavaScript off.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { postTableCounts, preTableCounts } from '../../src/core/record/snapshot-access.ts';
import type { Snapshot } from '../../src/schemas/snapshot.ts';
import { recordFileText, writeRecordFiles } from '../helpers/record-files.ts';
import { type SiteUnderTest, startSiteUnderTest } from '../helpers/site-under-test.ts';
import type { StaticServer } from '../helpers/static-server.ts';
import { generateHistory } from '../helpers/synthetic.ts';

const history = generateHistory(40, { start: '2025-03-03T09:00:00.000Z' });
const records = history.map((h) => h.record);
const newest = [...records].sort((a, b) => (a.startedAt < b.startedAt ? 1 : -1));
const withBackup = newest.find((r) => r.backup && r.post && r.status === 'success')!;
const edited = newest.find((r) => r !== withBackup && r.post && r.status === 'success')!;
const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', args, {
    cwd,
    stdio: 'ignore',
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: 'Ada Lovelace',
      GIT_AUTHOR_EMAIL: 'ada@example.com',
      GIT_COMMITTER_NAME: 'Ada Lovelace',
      GIT_COMMITTER_EMAIL: 'ada@example.com',
    },
  });

let work: string;
let dist: string;
let site: SiteUnderTest | undefined;
let server: StaticServer;
let browser: Browser;

before(async () => {
  work = mkdtempSync(join(tmpdir(), 'logbook-site-'));
  const recordsDir = join(work, 'content', 'records');
  writeRecordFiles(recordsDir, history);
  git(work, 'init', '-q');
  git(work, 'add', '.');
  git(work, 'commit', '-q', '-m', 'File 40 records');
  // Someone "fixes" a captured row count by hand afterwards: the digest must show it, and git must show the edit.
  const tampered = structuredClone(edited);
  (tampered.post as Snapshot).tables[0]!.rows += 1;
  writeFileSync(join(recordsDir, `${edited.id}.mdx`), recordFileText(tampered));
  git(work, 'commit', '-q', '-am', 'Adjust a row count');
  site = await startSiteUnderTest('site-test', recordsDir);
  ({ dist, server, browser } = site);
});

after(async () => {
  await site?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('the site in a browser', () => {
  it('lists every record newest first, and filters by environment into a linkable query string', async () => {
    const page = await browser.newPage();
    await page.goto(`${server.url}/history/`);
    const rows = page.locator('#history-table tbody tr');
    assert.equal(await rows.count(), records.length);
    assert.equal(await rows.first().getAttribute('data-at'), newest[0]!.startedAt);
    await page.selectOption('select[name=env]', 'qa');
    const expected = records.filter((r) => r.environment === 'qa').length;
    assert.ok(expected > 0 && expected < records.length);
    await page.locator('#history-count').filter({ hasText: 'of' }).waitFor();
    assert.equal(await page.locator('#history-table tbody tr:not([hidden])').count(), expected);
    assert.match(page.url(), /\?env=qa$/);
    assert.equal(await page.locator('#history-count').textContent(), `${expected} of ${records.length} records`);
    // The link alone reproduces the view.
    await page.goto(`${server.url}/history/?env=qa&status=success`);
    const both = records.filter((r) => r.environment === 'qa' && r.status === 'success').length;
    await page
      .locator('#history-count')
      .filter({ hasText: `${both} of` })
      .waitFor();
    assert.equal(await page.locator('#history-table tbody tr:not([hidden])').count(), both);
    await page.close();
  });

  it('opens a record: row counts before → after, backup checksum, intact digest, filed-by from git', async () => {
    const page = await browser.newPage();
    await page.goto(`${server.url}/history/`);
    await page.click(`a[href="/records/${withBackup.id}/"]`);
    assert.equal(new URL(page.url()).pathname, `/records/${withBackup.id}/`);
    const table = postTableCounts(withBackup)![0]!;
    const name = `${table.schema}.${table.name}`;
    const cells = page.locator(`#row-counts tr[data-table="${name}"] td`);
    const before = preTableCounts(withBackup).find((t) => t.name === table.name)!.rows;
    assert.equal((await cells.nth(0).textContent())?.replace(/[≈]/g, ''), before.toLocaleString('en-US'));
    assert.equal((await cells.nth(1).textContent())?.replace(/[≈]/g, ''), table.rows.toLocaleString('en-US'));
    assert.equal(await page.locator('[data-sha256]').textContent(), withBackup.backup!.sha256);
    assert.equal(await page.locator('#digest-status').getAttribute('data-state'), 'intact');
    assert.match((await page.locator('#git-history').textContent()) ?? '', /Filed by Ada Lovelace/);
    await page.close();
  });

  it('shows a hand-edited record as edited, naming the section, with the edit in its git history', async () => {
    const page = await browser.newPage();
    await page.goto(`${server.url}/records/${edited.id}/`);
    assert.equal(await page.locator('#digest-status').getAttribute('data-state'), 'edited');
    assert.match((await page.locator('#integrity').locator('..').textContent()) ?? '', /edited after filing: post/);
    assert.match((await page.locator('#git-history').textContent()) ?? '', /Edited by Ada Lovelace .*Adjust a row count/);
    await page.close();
  });

  it('follows a table link to its page: an SVG chart of its rows and the runs that touched it', async () => {
    const page = await browser.newPage();
    await page.goto(`${server.url}/records/${withBackup.id}/`);
    const link = page.locator('#row-counts tbody th a').first();
    const name = await link.textContent();
    await link.click();
    assert.equal(new URL(page.url()).pathname, `/tables/${name}/`);
    assert.match((await page.locator('h1').textContent()) ?? '', new RegExp(name!.replace('.', '\\.')));
    const path = await page.locator('figure.chart svg path').first().getAttribute('d');
    assert.match(path ?? '', /^M[\d.]+ [\d.]+L/);
    await page.close();
  });

  it('finds a migration by name with Pagefind and lands on its record', async () => {
    const page = await browser.newPage();
    const target = withBackup.migrations[0]!;
    await page.goto(`${server.url}/search/`);
    await page.fill('.pagefind-ui__search-input', target);
    const result = page.locator('.pagefind-ui__result-link').first();
    await result.waitFor();
    await result.click();
    await page.waitForURL(`**/records/${withBackup.id}/`);
    assert.equal(await page.locator('article.record').getAttribute('data-record-id'), withBackup.id);
    await page.close();
  });

  it('keeps a ticked runbook step after a reload and exports it for `logbook finish --checklist`', async () => {
    const page = await browser.newPage();
    await page.goto(`${server.url}/runbooks/production-migration/`);
    const box = page.locator('input.step-check[name="environment.verify-credentials"]');
    await box.check();
    await page.locator('li[data-step-id="environment.check-storage-space"] select.step-state').selectOption('skipped');
    await page.locator('li[data-step-id="environment.check-storage-space"] input.step-reason').fill('disk checked by ops');
    await page.reload();
    assert.equal(await page.locator('input.step-check[name="environment.verify-credentials"]').isChecked(), true);
    assert.match((await page.locator('[data-progress-for="pre-deployment"]').textContent()) ?? '', /^2 \/ \d+$/);
    const exported = JSON.parse((await page.locator('#checklist-json').textContent()) ?? '{}');
    assert.equal(exported.runbook, 'production-migration');
    assert.equal(exported.version, '1.0.0');
    assert.deepEqual(exported.steps, {
      'environment.verify-credentials': { state: 'done' },
      'environment.check-storage-space': { state: 'skipped', reason: 'disk checked by ops' },
    });
    await page.close();
  });

  it('works with JavaScript off: the history lists everything and records render', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${server.url}/history/?env=qa`);
    assert.equal(await page.locator('#history-table tbody tr:visible').count(), records.length);
    await page.goto(`${server.url}/records/${withBackup.id}/`);
    assert.equal(await page.locator('[data-sha256]').textContent(), withBackup.backup!.sha256);
    await context.close();
  });

  it('publishes /records.json (schema-versioned, one page holds all 40) and /rss.xml', () => {
    const feed = JSON.parse(readFileSync(join(dist, 'records.json'), 'utf8'));
    assert.equal(feed.feedSchemaVersion, 2);
    assert.equal(feed.recordSchemaVersion, 2, 'the newest record format; version-1 records are listed too');
    assert.equal(feed.records.length, records.length);
    assert.equal(feed.pages, 1);
    assert.equal(feed.next, null);
    assert.equal(feed.records[0].id, newest[0]!.id);
    assert.equal(feed.records.find((r: { id: string }) => r.id === withBackup.id).backup.sha256, withBackup.backup!.sha256);
    const rss = readFileSync(join(dist, 'rss.xml'), 'utf8');
    assert.match(rss, /<rss version="2.0">/);
    assert.ok(rss.includes(`/records/${newest[0]!.id}/</link>`));
  });

  it("keeps records' facts out of Astro's content store, which the build bundles and loads whole", () => {
    // buildSite's default cache folder, beside dist. The pages above showed these facts, read from the side cache.
    const store = readFileSync(join(dist, '..', 'astro-cache', 'data-store.json'), 'utf8');
    for (const record of records) assert.ok(store.includes(record.id), `${record.id} is an entry of the store`);
    assert.ok(!store.includes(withBackup.backup!.sha256), "a backup's checksum is not in the store");
    assert.deepEqual(
      records.filter((r) => store.includes(r.integrity.digest)).map((r) => r.id),
      [],
      'no record digest is in the store',
    );
  });

  it('has a dashboard: latest run per environment, success rate, duration and downtime charts', async () => {
    const page = await browser.newPage();
    await page.goto(`${server.url}/`);
    const envs = [...new Set(records.map((r) => r.environment))];
    assert.equal(await page.locator('.env-card').count(), envs.length);
    const latestProd = newest.find((r) => r.environment === 'production')!;
    assert.equal(await page.locator('.env-card[aria-label="production"] a').first().getAttribute('href'), `/records/${latestProd.id}/`);
    assert.equal(await page.locator('figure.chart svg').count(), 2);
    const rate = records.filter((r) => r.status === 'success').length / records.length;
    assert.match((await page.locator('main').textContent()) ?? '', new RegExp(`${(rate * 100).toFixed(1)} % of all ${records.length} runs succeeded`));
    await page.close();
  });
});
