// Site benchmark at real scale: generates 1,000 / 5,000 / 10,000 records of a production-sized schema (320 tables in
// five schemas, partitions, 1,200 indexes, 400 applied migrations, counts from zero to hundreds of millions) and
// reports, per size: build time and peak RSS of each step (Astro, search index), the same for a plain-.md baseline
// of the same records where it completes, record size on disk, records.json and other output sizes, and the git
// repository's size after one commit per record and `git gc`.
// Usage: npm run bench:site [-- 1000 5000 10000] [--no-baseline] [--baseline-minutes 20] [--keep]
import { spawn, execFileSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { projectRoot, siteBuildDir, siteEnv } from '../support/build-site.ts';
import { recordFileText } from '../../test/helpers/record-files.ts';
import { generateHistory, realisticSchema, type GeneratedRecord } from '../../test/helpers/synthetic.ts';

/** Kept equal to the heap flag in package.json's "build" script. */
const buildHeapFlag = '--max-old-space-size=768';
const args = process.argv.slice(2);
const keep = args.includes('--keep');
const withBaseline = !args.includes('--no-baseline');
const minutesAt = args.indexOf('--baseline-minutes');
const baselineMinutes = minutesAt >= 0 ? Number(args[minutesAt + 1]) : 20;
const sizes = args.filter((a, i) => /^\d+$/.test(a) && (minutesAt < 0 || i !== minutesAt + 1)).map(Number);
if (sizes.length === 0) sizes.push(1000, 5000, 10000);
if (!existsSync('/usr/bin/time')) throw new Error('the benchmark reads peak RSS from /usr/bin/time (apt-get install time)');

interface Step {
  seconds: number;
  peakRssMb: number;
  failed?: string;
}

/** Runs one step under /usr/bin/time: wall time, and the peak RSS of the largest process in it. */
function timed(command: string, commandArgs: string[], env: NodeJS.ProcessEnv, timeoutMs = Infinity, cwd = projectRoot): Promise<Step & { output: string }> {
  return new Promise((done) => {
    const started = performance.now();
    const child = spawn('/usr/bin/time', ['-f', 'PEAK_RSS_KB=%M', command, ...commandArgs], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let output = '';
    let timedOut = false;
    // The whole group (time, node and its workers), so nothing keeps running after the step is given up.
    const timer = Number.isFinite(timeoutMs)
      ? setTimeout(() => {
          timedOut = true;
          process.kill(-child.pid!, 'SIGKILL');
        }, timeoutMs)
      : undefined;
    child.stdout.on('data', (c) => (output += c));
    child.stderr.on('data', (c) => (output += c));
    child.on('close', (code) => {
      clearTimeout(timer);
      const seconds = (performance.now() - started) / 1000;
      const peakRssMb = Number(/PEAK_RSS_KB=(\d+)/.exec(output)?.[1] ?? NaN) / 1024;
      if (code === 0) return done({ seconds, peakRssMb, output });
      if (timedOut) return done({ seconds, peakRssMb, output, failed: `did not finish in ${(timeoutMs / 60_000).toFixed(0)} min` });
      const reason = /(RangeError[^\n]*|JavaScript heap out of memory|\[ERROR\][^\n]*|Error: [^\n]*)/.exec(output)?.[1] ?? `exit ${code}`;
      done({ seconds, peakRssMb, output, failed: reason.trim() });
    });
  });
}

const astro = (env: NodeJS.ProcessEnv) => timed(process.execPath, [join(projectRoot, 'node_modules/.bin/astro'), 'build'], env);

/** One commit per record through git fast-import (a commit per file, as filing does), then gc; the pack size. */
async function gitRepoSize(records: GeneratedRecord[], recordsDir: string, dir: string): Promise<{ packMb: number; seconds: number }> {
  const started = performance.now();
  mkdirSync(dir, { recursive: true });
  execFileSync('git', ['init', '-q', '-b', 'main', dir]);
  const child = spawn('git', ['fast-import', '--quiet'], { cwd: dir, stdio: ['pipe', 'inherit', 'inherit'] });
  const closed = new Promise<void>((done, fail) => child.on('close', (code) => (code === 0 ? done() : fail(new Error(`git fast-import exited ${code}`)))));
  const write = (chunk: string | Buffer) =>
    child.stdin.write(chunk) ? Promise.resolve() : new Promise<void>((done) => child.stdin.once('drain', () => done()));
  let when = 1_700_000_000;
  for (const { record } of records) {
    const body = readFileSync(join(recordsDir, `${record.id}.mdx`));
    const message = `Record ${record.id}\n`;
    when += 3600;
    await write(
      `commit refs/heads/main\ncommitter Bench <bench@example.com> ${when} +0000\ndata ${Buffer.byteLength(message)}\n${message}M 100644 inline content/records/${record.id}.mdx\ndata ${body.length}\n`,
    );
    await write(body);
    await write('\n');
  }
  child.stdin.end();
  await closed;
  execFileSync('git', ['gc', '-q'], { cwd: dir });
  const counts = execFileSync('git', ['count-objects', '-v'], { cwd: dir, encoding: 'utf8' });
  const kb = Number(/size-pack: (\d+)/.exec(counts)?.[1] ?? NaN) + Number(/^size: (\d+)/m.exec(counts)?.[1] ?? 0);
  return { packMb: kb / 1024, seconds: (performance.now() - started) / 1000 };
}

const fileSizes = (dir: string) =>
  readdirSync(dir)
    .map((name) => statSync(join(dir, name)).size)
    .sort((a, b) => a - b);
const largestIn = (dir: string) =>
  existsSync(dir)
    ? Math.max(
        0,
        ...readdirSync(dir, { withFileTypes: true })
          .filter((d) => d.isDirectory())
          .map((d) => statSync(join(dir, d.name, 'index.html')).size),
      )
    : 0;
const kb = (bytes: number) => `${(bytes / 1024).toFixed(0)} kB`;
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
const step = (s: Step | null) =>
  !s ? '—' : s.failed ? `failed after ${s.seconds.toFixed(0)} s (${s.failed})` : `${s.seconds.toFixed(1)} s, ${s.peakRssMb.toFixed(0)} MB`;

interface Row {
  n: number;
  /** Rendering and writing one record file with the CLI's writer. */
  writeMs: number;
  astro: Step;
  search: Step;
  baselineAstro: Step | null;
  baselineSearch: Step | null;
  medianRecord: number;
  maxRecord: number;
  recordsJson: number;
  historyIndex: number;
  largestTablePage: number;
  largestRecordPage: number;
  git: { packMb: number; seconds: number };
}

const work = mkdtempSync(join(tmpdir(), 'logbook-bench-'));

/** The baseline's content config: the same records as plain .md through Astro's glob loader, whole records in the store. */
const baselineContentConfig = `// Site benchmark baseline (written by scripts/bench/site.ts into a copy of the project).
import { defineCollection } from 'astro:content';
import { glob } from 'astro/loaders';
import { migrationRecordSchema } from './schemas/record.ts';
import { runbookFrontmatterSchema } from './schemas/runbook.ts';
import { recordsDir, runbooksDir } from './site/content-dirs.ts';

export const collections = {
  runbooks: defineCollection({ loader: glob({ pattern: '*.mdx', base: runbooksDir() }), schema: runbookFrontmatterSchema }),
  records: defineCollection({ loader: glob({ pattern: '*.md', base: recordsDir() }), schema: migrationRecordSchema }),
};
`;

/** A copy of the project whose only difference is the baseline content config, so the product carries no benchmark switch. */
function baselineProject(): string {
  const root = join(work, 'baseline-project');
  for (const entry of ['src', 'astro.config.mjs', 'package.json', 'tsconfig.json']) cpSync(join(projectRoot, entry), join(root, entry), { recursive: true });
  symlinkSync(join(projectRoot, 'node_modules'), join(root, 'node_modules'), 'dir');
  writeFileSync(join(root, 'src', 'content.config.ts'), baselineContentConfig);
  return root;
}
const baselineRoot = withBaseline ? baselineProject() : projectRoot;
const runbooksDir = join(projectRoot, 'content', 'runbooks');
const builds = siteBuildDir('bench'); // inside the project: see SiteBuildOptions.outDir
const largest = Math.max(...sizes);
console.log(`generating ${largest} records of a 320-table schema…`);
let t = performance.now();
const history = generateHistory(largest, { schema: realisticSchema() });
console.log(`  generated in ${((performance.now() - t) / 1000).toFixed(1)} s`);

const rows: Row[] = [];
try {
  for (const n of sizes) {
    const slice = history.slice(0, n); // a prefix of a history is itself a valid history (chains intact)
    const mdx = join(work, `mdx-${n}`);
    t = performance.now();
    // Rendered once with the CLI's own writer (the slow part at this record size: reported below), reused after.
    mkdirSync(mdx, { recursive: true });
    for (const [k, { record, notes }] of slice.entries()) {
      writeFileSync(join(mdx, `${record.id}.mdx`), recordFileText(record, notes));
      if ((k + 1) % 100 === 0) console.log(`  ${k + 1} written`);
    }
    const sizesOnDisk = fileSizes(mdx);
    const writeSeconds = (performance.now() - t) / 1000;
    console.log(`${n} records written in ${writeSeconds.toFixed(1)} s (${mb(sizesOnDisk.reduce((a, b) => a + b, 0))})`);
    const cold = (name: string) => {
      const dir = join(work, `cache-${name}-${n}`);
      rmSync(dir, { recursive: true, force: true });
      return dir;
    };
    const dist = join(builds, `dist-mdx-${n}`);
    const env = { ...siteEnv({ recordsDir: mdx, outDir: dist, cacheDir: cold('mdx') }), NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} ${buildHeapFlag}` };
    const astroStep = await astro(env);
    console.log(`  astro build: ${step(astroStep)}`);
    if (astroStep.failed) throw new Error(`the site build failed at ${n} records: ${astroStep.failed}\n${astroStep.output.slice(-2000)}`);
    const searchStep = await timed(process.execPath, [join(projectRoot, 'scripts/search-index.ts'), dist], env);
    console.log(`  search index: ${step(searchStep)}`);
    let baselineAstro: Step | null = null;
    let baselineSearch: Step | null = null;
    if (withBaseline) {
      const md = join(work, `md-${n}`);
      mkdirSync(md, { recursive: true });
      for (const { record } of slice) copyFileSync(join(mdx, `${record.id}.mdx`), join(md, `${record.id}.md`));
      const baseDist = join(builds, `dist-md-${n}`);
      // The baseline keeps whole records in Astro's store; it gets a 4 GB heap (the machine is shared) and may fail.
      baselineAstro = await timed(
        process.execPath,
        [join(baselineRoot, 'node_modules/.bin/astro'), 'build'],
        {
          ...siteEnv({ recordsDir: md, runbooksDir, outDir: baseDist, cacheDir: cold('md') }),
          NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --max-old-space-size=4096`,
        },
        baselineMinutes * 60_000,
        baselineRoot,
      );
      console.log(`  baseline astro build: ${step(baselineAstro)}`);
      if (!baselineAstro.failed) {
        baselineSearch = await timed(process.execPath, [join(projectRoot, 'node_modules/.bin/pagefind'), '--site', baseDist, '--silent'], process.env);
        console.log(`  baseline pagefind over the pages: ${step(baselineSearch)}`);
      }
      if (!keep) rmSync(md, { recursive: true, force: true });
      if (!keep) rmSync(baseDist, { recursive: true, force: true });
    }
    const git = await gitRepoSize(slice, mdx, join(work, `git-${n}`));
    console.log(`  git, one commit per record, after gc: ${git.packMb.toFixed(1)} MB (${git.seconds.toFixed(0)} s)`);
    rows.push({
      n,
      writeMs: (writeSeconds * 1000) / n,
      astro: astroStep,
      search: searchStep,
      baselineAstro,
      baselineSearch,
      medianRecord: sizesOnDisk[Math.floor(sizesOnDisk.length / 2)]!,
      maxRecord: sizesOnDisk.at(-1)!,
      recordsJson: statSync(join(dist, 'records.json')).size,
      historyIndex: statSync(join(dist, 'history-index.json')).size,
      largestTablePage: largestIn(join(dist, 'tables')),
      largestRecordPage: largestIn(join(dist, 'records')),
      git,
    });
    if (!keep)
      for (const dir of [mdx, dist, join(work, `git-${n}`), join(work, `cache-mdx-${n}`), join(work, `cache-md-${n}`)])
        rmSync(dir, { recursive: true, force: true });
  }
} finally {
  if (!keep) for (const dir of [work, builds]) rmSync(dir, { recursive: true, force: true });
  else console.log(`kept ${work} and ${builds}`);
}

console.log(
  '\n| records | astro build | search index | baseline `.md` astro | baseline pagefind | record on disk, median / max | records.json | history-index.json | largest table page | largest record page | git after gc | writing one record |',
);
console.log('| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
for (const r of rows) {
  console.log(
    `| ${r.n.toLocaleString('en-US')} | ${step(r.astro)} | ${step(r.search)} | ${step(r.baselineAstro)} | ${step(r.baselineSearch)} | ${kb(r.medianRecord)} / ${kb(r.maxRecord)} | ${kb(r.recordsJson)} | ${kb(r.historyIndex)} | ${kb(r.largestTablePage)} | ${kb(r.largestRecordPage)} | ${r.git.packMb.toFixed(1)} MB | ${r.writeMs.toFixed(0)} ms |`,
  );
}
