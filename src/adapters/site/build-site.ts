// Builds the site (astro build, then pagefind) from given records and runbooks into a folder of choice:
// the demo, tests, the benchmark and screenshots use it. Builds share Astro's cache: run one at a time.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const projectRoot = fileURLToPath(new URL('../../../', import.meta.url));
const bin = (name: string) => `${projectRoot}node_modules/.bin/${name}`;

export interface SiteBuildOptions {
  recordsDir: string;
  outDir: string;
  runbooksDir?: string;
  cacheDir?: string;
  /** Run pagefind after astro build (default true). */
  search?: boolean;
  env?: Record<string, string>;
}

export interface SiteBuildResult {
  ms: number;
  /** Peak resident set of the build process tree's largest process, in bytes (from /usr/bin/time when present). */
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

export function siteEnv(options: SiteBuildOptions): NodeJS.ProcessEnv {
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
  const env = siteEnv(options);
  const started = performance.now();
  let output = await run(process.execPath, [bin('astro'), 'build'], env);
  if (options.search !== false) output += await run(process.execPath, [bin('pagefind'), '--site', options.outDir, '--silent'], env);
  return { ms: performance.now() - started, output };
}
