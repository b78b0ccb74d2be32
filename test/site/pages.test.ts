// The pages as people see them in a real browser: chart axes, alignment, name wrapping, counts, the record page's
// findings and failure reason, lint counts, the tables list, icons, narrow screens; then axe-core and a
// viewport sweep over every page type.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { displayName, tableSlug } from '../../src/core/names.ts';
import { HUMAN_SECTIONS } from '../../src/core/record/render-record.ts';
import { recordStatuses } from '../../src/site/status.ts';
import { seriousViolations } from '../helpers/axe.ts';
import { ERROR_LINE, FAILED_NAME, LONG_NAME, PROSE_EMOJI, pageFixtureRecords } from '../helpers/page-fixtures.ts';
import { writeRecordFiles } from '../helpers/record-files.ts';
import { type SiteUnderTest, startSiteUnderTest } from '../helpers/site-under-test.ts';
import type { StaticServer } from '../helpers/static-server.ts';

const fixtures = pageFixtureRecords();
const records = fixtures.map((f) => f.record);
const byStatus = (status: string) => records.find((r) => r.status === status)!;
const longRecord = records.find((r) => r.migrations[0] === LONG_NAME)!;

let work: string;
let site: SiteUnderTest | undefined;
let server: StaticServer;
let browser: Browser;

before(async () => {
  work = mkdtempSync(join(tmpdir(), 'logbook-pages-'));
  writeRecordFiles(join(work, 'records'), fixtures);
  site = await startSiteUnderTest('pages-test', join(work, 'records'));
  ({ server, browser } = site);
});

after(async () => {
  await site?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

async function open(path: string, width = 1280): Promise<Page> {
  const page = await browser.newPage({ viewport: { width, height: 900 } });
  await page.goto(`${server.url}${path}`);
  return page;
}

describe('page defects, fixed', () => {
  it('charts a day of sub-second runs on a time axis: distinct times, values in ms', async () => {
    const page = await open('/');
    const chart = page.locator('figure.chart').first();
    const xLabels = await chart.locator('text.tick').allTextContents();
    assert.equal(new Set(xLabels).size, xLabels.length, `x labels repeat: ${xLabels.join(' | ')}`);
    assert.ok(
      xLabels.every((l) => /\d\d:\d\d/.test(l)),
      `x labels carry times: ${xLabels.join(' | ')}`,
    );
    const yLabels = await chart.locator('g.tick text').allTextContents();
    assert.ok(
      yLabels.some((l) => /^[1-9]\d* ms$/.test(l)),
      `y labels in ms: ${yLabels.join(' | ')}`,
    );
    const titles = await chart.locator('circle title').allTextContents();
    const values = titles.map((t) => t.split(': ').at(-1));
    assert.ok(values.includes('350 ms') && values.includes('620 ms'), values.join(' | '));
    assert.equal(new Set(titles.map((t) => t.replace(/^\S+ /, '').split(': ')[0])).size, titles.length, 'every point names its own time');
    // Labels stay readable however wide the chart is drawn: on a laptop and on a phone (where it scrolls in its box).
    for (const width of [390, 1280, 1920]) {
      await page.setViewportSize({ width, height: 900 });
      const sizes = await chart.locator('text').evaluateAll((texts) => texts.map((t) => Math.round(t.getBoundingClientRect().height)));
      const cut = await chart.locator('svg').evaluate((svg) => {
        const box = svg.getBoundingClientRect();
        return [...svg.querySelectorAll('text')]
          .filter((t) => t.getBoundingClientRect().right > box.right + 1 || t.getBoundingClientRect().left < box.left - 1)
          .map((t) => t.textContent);
      });
      assert.deepEqual(cut, [], `labels outside the chart at ${width} px`);
      assert.ok(
        sizes.every((h) => h >= 9 && h <= 20),
        `label heights at ${width} px: ${sizes.join(', ')}`,
      );
    }
    // A table's row-count chart has the same time axis.
    await page.goto(`${server.url}/tables/${tableSlug(displayName({ schema: 'public', name: 'Document' }))}/`);
    const tableLabels = await page.locator('figure.chart').first().locator('text.tick').allTextContents();
    assert.ok(tableLabels.length > 1 && new Set(tableLabels).size === tableLabels.length, `table chart x labels: ${tableLabels.join(' | ')}`);
    assert.ok(
      tableLabels.every((l) => /\d\d:\d\d/.test(l)),
      tableLabels.join(' | '),
    );
    await page.close();
  });

  it('aligns the history page with its header', async () => {
    const page = await open('/history/', 1920);
    const brand = await page.locator('header.site .brand').boundingBox();
    const heading = await page.locator('main h1').boundingBox();
    assert.ok(Math.abs(brand!.x - heading!.x) <= 1, `brand at ${brand!.x}, heading at ${heading!.x}`);
    const table = await page.locator('#history-table').boundingBox();
    const header = await page.locator('header.site nav').evaluate((h) => {
      const style = getComputedStyle(h);
      const box = h.getBoundingClientRect();
      return { right: box.right - parseFloat(style.paddingRight) };
    });
    assert.ok(Math.abs(table!.x - brand!.x) <= 1, `table at ${table!.x}, brand at ${brand!.x}`);
    assert.ok(table!.x + table!.width <= header.right + 1, `the table ends at ${table!.x + table!.width}, past the header's ${header.right}`);
    await page.close();
  });

  it('breaks migration names between words, never inside one', async () => {
    const page = await open('/history/', 390);
    const link = page.locator(`#history-table a[href="/records/${longRecord.id}/"]`);
    assert.equal((await link.textContent())?.replace(/\s/g, ''), LONG_NAME);
    const pieces = await link.evaluate((a) =>
      [...a.childNodes]
        .filter((n) => n.nodeType === Node.TEXT_NODE && n.textContent!.trim())
        .map((n) => {
          const range = document.createRange();
          range.selectNodeContents(n);
          return { text: n.textContent!, lines: new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size };
        }),
    );
    assert.ok(pieces.length > 5, 'the name is split into word pieces');
    assert.deepEqual(
      pieces.filter((p) => p.lines > 1),
      [],
      'no piece wraps inside itself',
    );
    const lines = await link.evaluate((a) => new Set([...a.getClientRects()].map((r) => Math.round(r.top))).size);
    assert.ok(lines > 1, 'the long name does wrap at 390 px');
    await page.close();
  });

  it('says how many runs a filtered history shows', async () => {
    const page = await open('/history/');
    const caption = page.locator('#history-table caption');
    assert.match((await caption.textContent()) ?? '', new RegExp(`^${records.length} migration runs`));
    await page.selectOption('select[name=env]', 'staging');
    const staging = records.filter((r) => r.environment === 'staging').length;
    await page.locator('#history-count').filter({ hasText: 'of' }).waitFor();
    assert.equal(await caption.textContent(), `${staging} of ${records.length} migration runs match the filter.`);
    await page.close();
  });

  it("shows a record's findings and checks plainly: one folder in Where, the expectation once, latency rounded", async () => {
    const page = await open(`/records/${longRecord.id}/`);
    const where = await page.locator('#lint tbody td:nth-child(3)').textContent();
    assert.equal(where, `${LONG_NAME}/migration.sql:5`);
    // It was 2,778 px wide: at a desktop width it fits its box, long SQL and all.
    const { table, box } = await page.locator('#lint').evaluate((t) => ({ table: t.scrollWidth, box: t.parentElement!.clientWidth }));
    assert.ok(table <= box, `the lint table is ${table} px wide in a ${box} px box`);
    const checks = await page.locator('#checks tbody').textContent();
    assert.ok(checks!.includes('0 (expected = 0)'));
    assert.ok(!checks!.includes('(expected = 0) (expected = 0)'), checks!);
    assert.match(checks!, /HTTP 200 · 70\.9 ms/);
    await page.close();
  });

  it('opens a failed record with why it failed: the migration and the first error line, wrapped', async () => {
    const page = await open(`/records/${byStatus('failed').id}/`, 390);
    const why = page.locator('#why-failed');
    const top = await why.boundingBox();
    const changes = await page.locator('#changes').boundingBox();
    assert.ok(top!.y < changes!.y, 'the reason comes before the rest of the record');
    assert.match((await why.textContent()) ?? '', new RegExp(FAILED_NAME));
    assert.equal(await why.locator('pre').textContent(), ERROR_LINE);
    for (const box of [why.locator('pre'), page.locator('pre.output-tail')]) {
      const { scroll, client } = await box.evaluate((el) => ({ scroll: el.scrollWidth, client: el.clientWidth }));
      assert.ok(scroll <= client, `long lines wrap (${scroll} > ${client})`);
    }
    await page.close();
  });

  it('counts lint findings by severity in history rows and on the dashboard', async () => {
    const page = await open('/history/');
    const row = page.locator(`#history-table tr:has(a[href="/records/${longRecord.id}/"])`);
    assert.equal(await row.locator('.lint-counts').getAttribute('data-lint'), '0/1/0');
    assert.match((await row.locator('.lint-counts').textContent()) ?? '', /1 warning/);
    await page.goto(`${server.url}/`);
    assert.match((await page.locator('#lint-total').textContent()) ?? '', /1 error\s+1 warning/);
    await page.close();
  });

  it("lists each table once, schema-qualified, and not Prisma's bookkeeping table", async () => {
    const page = await open('/tables/');
    const names = await page.locator('main tbody th').allTextContents();
    assert.deepEqual(names.sort(), ['public."Document"', 'public."User"']);
    await page.close();
  });

  it('shows no emoji anywhere but in what people wrote (icons are inline SVG), and no unrounded numbers', async () => {
    // Every page type and every record. Known emoji in a record's Markdown (the CLI's "✅ success" status line) are
    // drawn as icons; only its human sections (Issues encountered, Resolution, Notes) are left as the person wrote
    // them, which the fixture's 🙈 shows. The runbook's phases carry icons by their well-known ids.
    const paths = [...new Set([...pageTypes().map(([, path]) => path!), '/runbooks/', ...records.map((r) => `/records/${r.id}/`)])];
    for (const path of paths) {
      const page = await open(path);
      const { text, prose, words } = await page.locator('body').evaluate(
        (body, human) => {
          const copy = body.cloneNode(true) as HTMLElement;
          const prose: string[] = [];
          for (const heading of copy.querySelectorAll('.record-body h2:not(#notes)')) {
            if (!human.includes(heading.textContent!.trim())) continue;
            for (let el = heading.nextElementSibling; el && el.tagName !== 'H2'; ) {
              const next = el.nextElementSibling;
              prose.push(el.textContent ?? '');
              el.remove();
              el = next;
            }
          }
          const attributes = [...copy.querySelectorAll('*')].flatMap((el) => [...el.attributes].map((a) => a.value));
          const text = `${copy.textContent ?? ''} ${attributes.join(' ')}`;
          for (const el of copy.querySelectorAll('pre, code, script, style, template')) el.remove();
          return { text, prose: prose.join(' '), words: copy.textContent ?? '' };
        },
        HUMAN_SECTIONS as readonly string[],
      );
      const pictographs = text.replace(ERROR_LINE, '').match(/[\p{Extended_Pictographic}↷]/gu);
      assert.equal(pictographs, null, `${path} shows ${pictographs?.join(' ')}`);
      // Measured floats are rounded for people (a latency once read 70.89834499999961 ms); code and output are verbatim.
      assert.equal(words.match(/\d\.\d{4,}/g), null, `${path} shows unrounded numbers`);
      if (path === '/' || path === '/history/' || path.startsWith('/records/') || path === '/runbooks/production-migration/')
        assert.ok((await page.locator('svg.icon').count()) > 0, `${path} draws its statuses with SVG icons`);
      if (path === `/records/${byStatus('failed').id}/`) assert.match(prose, new RegExp(PROSE_EMOJI), "a person's emoji is kept in their notes");
      await page.close();
    }
    const success = await open(`/records/${byStatus('success').id}/`);
    assert.equal(await success.locator('.record-body svg.icon[data-icon="check"]').count(), 1, "the CLI's ✅ success is drawn as the check icon");
    await success.close();
    const runbook = await open('/runbooks/production-migration/');
    assert.deepEqual(
      await runbook.locator('section.phase > h2 svg.icon').evaluateAll((svgs) => svgs.map((s) => s.getAttribute('data-icon'))),
      ['rocket', 'clipboard', 'chart', 'siren'],
      'each phase keeps its icon',
    );
    await runbook.close();
  });

  it('fits the history tables in their box on a desktop screen: nothing to scroll sideways at 1280 px', async () => {
    const scrolling: string[] = [];
    for (const path of ['/', '/history/']) {
      const page = await open(path);
      const wraps = await page
        .locator('.table-wrap:has(table.history)')
        .evaluateAll((els) => els.map((el) => ({ scroll: el.scrollWidth, client: el.clientWidth })));
      assert.ok(wraps.length > 0, path);
      for (const w of wraps) if (w.scroll > w.client) scrolling.push(`${path}: ${w.scroll} px in ${w.client} px`);
      await page.close();
    }
    assert.deepEqual(scrolling, []);
  });

  it('scrolls long tables inside their own box on a phone, not the page', async () => {
    const page = await open(`/records/${longRecord.id}/`, 390);
    const { width, culprits } = await page.evaluate(() => ({
      width: document.documentElement.scrollWidth,
      culprits: [...document.querySelectorAll('body *')]
        .filter((el) => el.getBoundingClientRect().right > 391 && (el.parentElement?.getBoundingClientRect().right ?? 0) <= 391)
        .slice(0, 5)
        .map((el) => `${el.tagName}.${el.className} in ${el.parentElement?.tagName}.${el.parentElement?.className}: ${el.textContent?.slice(0, 40)}`),
    }));
    assert.ok(width <= 390, `page is ${width} px wide: ${culprits.join(', ')}`);
    const wraps = await page.locator('.table-wrap').evaluateAll((els) => els.map((el) => ({ scroll: el.scrollWidth, client: el.clientWidth })));
    assert.ok(
      wraps.some((w) => w.scroll > w.client),
      'at least one table scrolls inside its box',
    );
    await page.close();
  });
});

describe('search', () => {
  /** The result links Pagefind's UI shows (its first five), and its message ("7 results for …"). */
  async function search(query: string): Promise<string[] & { message?: string }> {
    const page = await open('/search/');
    await page.fill('.pagefind-ui__search-input', query);
    await page.locator('.pagefind-ui__result-link').first().waitFor();
    const links: string[] & { message?: string } = await page
      .locator('.pagefind-ui__result-link')
      .evaluateAll((as) => as.map((a) => new URL((a as HTMLAnchorElement).href).pathname));
    links.message = (await page.locator('.pagefind-ui__message').textContent()) ?? '';
    await page.close();
    return links;
  }

  it('finds records by the words people search for: a word of a migration name, the error, a table, a person', async () => {
    const failed = byStatus('failed');
    assert.equal((await search('duplicated'))[0], `/records/${failed.id}/`);
    const locale = records
      .filter((r) => r.migrations[0]!.includes('locale'))
      .map((r) => `/records/${r.id}/`)
      .sort();
    assert.deepEqual((await search('locale')).filter((l) => l.startsWith('/records/')).sort(), locale);
    assert.ok((await search('public."User"')).includes(`/records/${byStatus('rolled-back').id}/`));
    assert.equal((await search('Lovelace')).message, `${records.length} results for Lovelace`);
  });

  it('still finds the runbook', async () => {
    assert.ok((await search('backup')).includes('/runbooks/production-migration/'));
  });
});

/** Every page type, and the record page in each status. */
const pageTypes = () => [
  ['dashboard', '/'],
  ['history', '/history/'],
  ...recordStatuses.map((s) => [`record (${s})`, `/records/${byStatus(s).id}/`]),
  ['runbook', '/runbooks/production-migration/'],
  ['tables', '/tables/'],
  ['table', `/tables/${tableSlug(displayName({ schema: 'public', name: 'Document' }))}/`],
  ['search', '/search/'],
  ['runbooks', '/runbooks/'],
];

describe('accessibility and responsiveness, in chromium', () => {
  for (const [name, path] of pageTypes()) {
    it(`${name}: no serious or critical axe-core violations, light and dark`, async () => {
      for (const colorScheme of ['light', 'dark'] as const) {
        // axe-core is a test tool injected into the page, not page content: the site's CSP (tested in
        // run-secrets.test.ts) would rightly block it, so only these contexts bypass it.
        const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, colorScheme, bypassCSP: true });
        const page = await context.newPage();
        const response = await page.goto(`${server.url}${path}`);
        assert.equal(response?.status(), 200, path);
        if (path === '/search/') await page.locator('.pagefind-ui__search-input').waitFor();
        assert.deepEqual(await seriousViolations(page), [], `${path} in ${colorScheme}`);
        await context.close();
      }
    });
  }

  it('has no horizontal page overflow at 390, 768, 1280 and 1920 px on any page type', async () => {
    const overflows: string[] = [];
    for (const width of [390, 768, 1280, 1920]) {
      const page = await browser.newPage({ viewport: { width, height: 900 } });
      for (const [name, path] of pageTypes()) {
        await page.goto(`${server.url}${path}`);
        const scroll = await page.evaluate(() => document.documentElement.scrollWidth);
        if (scroll > width) overflows.push(`${name} at ${width} px is ${scroll} px wide`);
      }
      await page.close();
    }
    assert.deepEqual(overflows, []);
  });
});
