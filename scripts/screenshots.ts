// Builds a demo logbook (synthetic records) and writes screenshots of the history and a record page for the README.
// Usage: npm run screenshots [-- <built site dir>]   (with a dir, it only serves and shoots that build)
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
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
  await page.goto(`${server.url}/history/?env=production`);
  await page.screenshot({ path: join(out, 'history.png') });
  const rolledBack = readdirSync(join(siteDir, 'records')).find((id) => id.includes('production')) ?? readdirSync(join(siteDir, 'records'))[0];
  const target = process.env.SHOT_RECORD ?? (showcase && `/records/${showcase}/`) ?? (await page.locator('table.history tbody tr:not([hidden]) td a').first().getAttribute('href')) ?? `/records/${rolledBack}/`;
  await page.goto(`${server.url}${target}`);
  await page.screenshot({ path: join(out, 'record.png'), fullPage: true, clip: { x: 0, y: 0, width: 1280, height: 1800 } });
  console.log(`wrote ${join(out, 'history.png')} and ${join(out, 'record.png')} (${target})`);
} finally {
  await browser.close();
  await server.close();
  for (const dir of [work, build]) if (dir) rmSync(dir, { recursive: true, force: true });
}
