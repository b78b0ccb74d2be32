// Builds a demo logbook (synthetic records) and writes the README's screenshots: dashboard, history, a record, a
// failed and a rolled-back record, the runbook, and a record at phone width.
// Usage: npm run screenshots [-- <built site dir>]   (with a dir, it only serves and shoots that build)
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { launchOptions } from '../test/helpers/browser.ts';
import { buildSite, projectRoot, siteBuildDir } from './support/build-site.ts';
import { serveStatic } from '../test/helpers/static-server.ts';
import { generateHistory } from '../test/helpers/synthetic.ts';
import { writeRecordFiles } from '../test/helpers/record-files.ts';

const given = process.argv[2];
let siteDir = given;
let work: string | undefined;
let build: string | undefined;
let showcase: string | undefined;
if (!siteDir) {
  work = mkdtempSync(join(tmpdir(), 'logbook-shots-'));
  const records = join(work, 'records');
  const history = generateHistory(120, { start: '2025-06-02T09:00:00.000Z' });
  writeRecordFiles(records, history);
  // A production run with a backup and lint findings shows the most of a record page.
  const rich = history.map((h) => h.record).reverse();
  showcase = (rich.find((r) => r.environment === 'production' && r.status === 'success' && r.lint.length > 0 && r.backup) ?? rich[0])?.id;
  build = siteBuildDir('screenshots');
  siteDir = (await buildSite({ recordsDir: records, outDir: join(build, 'dist'), search: false })).outDir;
}
const out = join(projectRoot, '.github/screenshots');
mkdirSync(out, { recursive: true });
const server = await serveStatic(siteDir);
const browser = await chromium.launch(launchOptions);
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, colorScheme: 'light' });
  const shots: string[] = [];
  const shoot = async (name: string, path: string, options: { fullPage?: boolean; height?: number } = {}) => {
    await page.goto(`${server.url}${path}`);
    const height = Math.min(options.height ?? Infinity, await page.evaluate(() => document.documentElement.scrollHeight));
    await page.screenshot({
      path: join(out, `${name}.png`),
      fullPage: options.fullPage ?? false,
      ...(options.height ? { clip: { x: 0, y: 0, width: page.viewportSize()!.width, height } } : {}),
    });
    shots.push(`${name}.png (${path})`);
  };
  /** The newest record with this status, in production when there is one. */
  const firstRecord = async (status: string) => {
    for (const query of [`env=production&status=${status}`, `status=${status}`]) {
      await page.goto(`${server.url}/history/?${query}`);
      await page.locator('#history-count').filter({ hasText: 'of' }).waitFor();
      const links = page.locator('#history-table tbody tr td.migration a');
      if ((await links.count()) > 0) return links.first().getAttribute('href');
    }
    throw new Error(`no ${status} record in the generated history`);
  };
  await shoot('dashboard', '/', { fullPage: true, height: 1400 });
  await page.goto(`${server.url}/history/?env=production`);
  await page.locator('#history-count').filter({ hasText: 'of' }).waitFor();
  await page.screenshot({ path: join(out, 'history.png') });
  shots.push('history.png (/history/?env=production)');
  const target = process.env.SHOT_RECORD ?? (showcase && `/records/${showcase}/`) ?? (await firstRecord('success'));
  await shoot('record', target!, { fullPage: true, height: 1800 });
  await shoot('failed-record', (await firstRecord('failed'))!, { fullPage: true, height: 1200 });
  await shoot('rolled-back-record', (await firstRecord('rolled-back'))!, { fullPage: true, height: 1200 });
  await shoot('runbook', '/runbooks/production-migration/', { fullPage: true, height: 1400 });
  await page.setViewportSize({ width: 390, height: 844 });
  await shoot('record-phone', target!, { fullPage: true, height: 1800 });
  console.log(`wrote ${shots.join(', ')} in ${out}`);
} finally {
  await browser.close();
  await server.close();
  for (const dir of [work, build]) if (dir) rmSync(dir, { recursive: true, force: true });
}
