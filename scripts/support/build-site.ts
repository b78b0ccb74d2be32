// Builds the site (astro build, then pagefind) from given records and runbooks, for the demo, tests, the
// benchmark and screenshots. Give each build its own cacheDir, or run them one at a time.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const projectRoot = fileURLToPath(new URL('../../', import.meta.url));
const bin = (name: string) => `${projectRoot}node_modules/.bin/${name}`;

export interface SiteBuildOptions {
  recordsDir: string;
  /** Must lie inside the project: Astro puts its prerender bundle in <outDir>/.prerender only then, and in the
   * shared <project>/.astro/ otherwise, where two builds at once break each other. Default: a fresh siteBuildDir(). */
  outDir?: string;
  runbooksDir?: string;
  cacheDir?: string;
  /** Build the search index after astro build (default true). */
  search?: boolean;
  env?: Record<string, string>;
}

export interface SiteBuildResult {
  outDir: string;
  ms: number;
  /** What astro (and pagefind) printed. */
  output: string;
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((done, fail) => {
    const child = spawn(command, args, { cwd: projectRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('error', fail);
    child.on('close', (code) => (code === 0 ? done(output) : fail(new Error(`${command} ${args.join(' ')} exited ${code}:\n${output.slice(-4000)}`))));
  });
}

/** A fresh build directory inside the project (see SiteBuildOptions.outDir); remove it when done. */
export function siteBuildDir(name = 'site'): string {
  const parent = join(projectRoot, 'node_modules', '.cache', 'logbook-site');
  mkdirSync(parent, { recursive: true });
  return mkdtempSync(join(parent, `${name}-`));
}

export function siteEnv(options: SiteBuildOptions & { outDir: string }): NodeJS.ProcessEnv {
  return {
    ...process.env,
    ASTRO_TELEMETRY_DISABLED: '1',
    LOGBOOK_RECORDS_DIR: options.recordsDir,
    LOGBOOK_SITE_OUT_DIR: options.outDir,
    ...(options.runbooksDir ? { LOGBOOK_RUNBOOKS_DIR: options.runbooksDir } : {}),
    ...(options.cacheDir ? { LOGBOOK_SITE_CACHE_DIR: options.cacheDir } : {}),
    ...options.env,
  };
}

export async function buildSite(options: SiteBuildOptions): Promise<SiteBuildResult> {
  const outDir = options.outDir ?? join(siteBuildDir(), 'dist');
  const env = siteEnv({ ...options, outDir, cacheDir: options.cacheDir ?? join(outDir, '..', 'astro-cache') });
  const started = performance.now();
  // The heap cap of package.json's "build" script, so tests build the way users do.
  let output = await run(process.execPath, ['--max-old-space-size=768', bin('astro'), 'build'], env);
  if (options.search !== false) output += await run(process.execPath, [join(projectRoot, 'scripts/search-index.ts'), outDir], env);
  return { outDir, ms: performance.now() - started, output };
}
