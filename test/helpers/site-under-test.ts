// The site as browser tests use it: built from a records folder into its own build folder, served, and a chromium open.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { buildSite, siteBuildDir } from '../../scripts/support/build-site.ts';
import { launchOptions } from './browser.ts';
import { serveStatic, type StaticServer } from './static-server.ts';

export interface SiteUnderTest {
  dist: string;
  server: StaticServer;
  browser: Browser;
  /** Browser, server and build folder, each closed even when an earlier step failed. */
  close(): Promise<void>;
}

export async function startSiteUnderTest(name: string, recordsDir: string, options: { search?: boolean } = {}): Promise<SiteUnderTest> {
  const build = siteBuildDir(name);
  let server: StaticServer | undefined;
  let browser: Browser | undefined;
  const close = async () => {
    await browser?.close();
    await server?.close();
    rmSync(build, { recursive: true, force: true });
  };
  try {
    const dist = (await buildSite({ recordsDir, outDir: join(build, 'dist'), ...(options.search === false ? { search: false } : {}) })).outDir;
    server = await serveStatic(dist);
    browser = await chromium.launch(launchOptions);
    return { dist, server, browser, close };
  } catch (error) {
    await close();
    throw error;
  }
}
