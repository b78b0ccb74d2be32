// Runs the demo (real records filed through the CLI against a throwaway PostgreSQL) and writes the README's
// screenshots from its site with Debian's chromium: dashboard, history, a record, a failed and a rolled-back
// record, the runbook, and a record at phone width (390 px). Not part of `npm test`.
// Usage: npm run screenshots [-- <built site dir>]   (with a dir, e.g. .logbook/demo/site after
// `npm run demo -- --no-serve`, it only serves and shoots that build)
import { mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { launchOptions } from '../test/helpers/browser.ts';
import { serveStatic } from '../test/helpers/static-server.ts';
import { createCleanups } from './demo/cleanups.ts';
import { runDemo } from './demo/run-demo.ts';
import { projectRoot } from './support/build-site.ts';

const given = process.argv[2];
const cleanups = createCleanups();
// Outside the project, so the pictures show short paths (/tmp/logbook-screenshots/...); removed when done, with
// the site the demo builds in a folder of its own under node_modules/.cache.
const workspace = join(tmpdir(), 'logbook-screenshots');
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void cleanups.run().then(() => process.exit(130)));

let siteDir = given;
if (!siteDir) {
  cleanups.add(() => rmSync(workspace, { recursive: true, force: true }));
  try {
    siteDir = (await runDemo({ workspace, scale: 1, log: (line) => console.log(line), cleanups })).siteDir;
    const build = dirname(siteDir);
    cleanups.add(() => rmSync(build, { recursive: true, force: true }));
  } catch (error) {
    await cleanups.run();
    throw error;
  }
}

const out = join(projectRoot, '.github/screenshots');
mkdirSync(out, { recursive: true });
const server = await serveStatic(siteDir);
const browser = await chromium.launch(launchOptions);
const shots: string[] = [];
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, colorScheme: 'light' });
  /** A screenshot of a page, the full page up to `height` px. */
  const shoot = async (name: string, path: string, height = 1400) => {
    await page.goto(`${server.url}${path}`);
    const full = await page.evaluate(() => document.documentElement.scrollHeight);
    await page.screenshot({
      path: join(out, `${name}.png`),
      clip: { x: 0, y: 0, width: page.viewportSize()!.width, height: Math.min(height, full) },
      fullPage: true,
    });
    shots.push(`${name}.png (${path})`);
  };
  const record = await pickRecords(page, server.url);
  await shoot('dashboard', '/');
  await shoot('history', '/history/', 900);
  await shoot('record', record.showcase, 1800);
  await shoot('failed-record', record.failed, 1200);
  await shoot('rolled-back-record', record.rolledBack, 1200);
  await shoot('runbook', '/runbooks/production-migration/');
  await page.setViewportSize({ width: 390, height: 844 });
  await shoot('record-phone', record.failed, 1800);
  console.log(`wrote ${shots.join(', ')} in ${out}`);
} finally {
  await browser.close();
  await server.close();
  await cleanups.run();
}

/** From the history page: the newest failed and rolled-back runs, and a successful production run with lint findings. */
async function pickRecords(page: Page, url: string): Promise<{ showcase: string; failed: string; rolledBack: string }> {
  await page.goto(`${url}/history/`);
  const rows = await page.locator('#history-table tbody tr').evaluateAll((trs) =>
    trs.map((tr) => ({
      href: tr.querySelector('td.migration a')?.getAttribute('href') ?? '',
      status: tr.getAttribute('data-status') ?? '',
      env: tr.getAttribute('data-env') ?? '',
      lint: tr.querySelector('.lint-counts')?.getAttribute('data-lint') ?? '0/0/0',
    })),
  );
  const find = (what: string, test: (r: (typeof rows)[number]) => boolean) => {
    const row = rows.find(test);
    if (!row?.href) throw new Error(`the demo's history has no ${what} (rows: ${JSON.stringify(rows)})`);
    return row.href;
  };
  return {
    showcase: find('successful production run with lint findings', (r) => r.status === 'success' && r.env === 'production' && r.lint !== '0/0/0'),
    failed: find('failed run', (r) => r.status === 'failed'),
    rolledBack: find('rolled-back run', (r) => r.status === 'rolled-back'),
  };
}
