// Site benchmark at real scale: files 1,000 / 5,000 / 10,000 records of a production-sized schema (320 tables in five
// schemas, partitions, 1,200 indexes, 400 rows of _prisma_migrations, counts from zero to hundreds of millions) through
// the CLI's own filing code (realistic-records.ts), then reports per size: time and peak RSS of each build step (Astro,
// search index), the same for a plain-.md baseline of the same records where it completes, record size on disk (the
// MDX plus its share of the snapshot files it references), the feeds' sizes, and the git repository after one commit
// per record and `git gc` — beside the targets of issue 17.
// Usage: npm run bench:site [-- 1000 5000 10000] [--no-baseline] [--baseline-minutes 20] [--jobs 2] [--keep] [--out results.json]
//        [--filed DIR]   (file the records into DIR once; later runs with the same DIR and largest size reuse them)
//        [--baseline-up-to 5000]   (the plain-.md baseline only up to that size)
//        npm run bench:site -- --report results.json   (print the table of earlier runs)
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { basename, dirname, join, relative } from 'node:path';
import { projectRoot, siteBuildDir, siteEnv } from '../support/build-site.ts';
import { type FiledRecord, fileRealisticHistoryInParallel, type HistoryShape } from './realistic-records.ts';

/** Kept equal to the heap flag in package.json's "build" script. */
const buildHeapFlag = '--max-old-space-size=768';
const args = process.argv.slice(2);
const flagValue = (flag: string) => {
  const at = args.indexOf(flag);
  return at >= 0 ? args[at + 1] : undefined;
};
const flagValues = new Set(
  ['--baseline-minutes', '--baseline-up-to', '--out', '--report', '--jobs', '--filed'].map((f) => args.indexOf(f) + 1).filter((i) => i > 0),
);
const keep = args.includes('--keep');
const withBaseline = !args.includes('--no-baseline');
const baselineMinutes = Number(flagValue('--baseline-minutes') ?? 20);
/** The baseline only for sizes up to this (the targets compare it at 1,000 and 5,000; at 10,000 it needs far more memory and time). */
const baselineUpTo = Number(flagValue('--baseline-up-to') ?? Number.POSITIVE_INFINITY);
const outFile = flagValue('--out');
const reportFile = flagValue('--report');
/** Processes filing the records (each files whole environment chains). */
const jobs = Number(flagValue('--jobs') ?? 2);
/** A folder to file the records into once and reuse on later runs (the same code and seed give the same records). */
const filedDir = flagValue('--filed');
const sizes = args.filter((a, i) => /^\d+$/.test(a) && !flagValues.has(i)).map(Number);
if (sizes.length === 0) sizes.push(1000, 5000, 10000);
sizes.sort((a, b) => a - b);

interface Step {
  seconds: number;
  peakRssMb: number;
  failed?: string;
  /** One-minute load average when the step started and ended (2 shared cores: the times depend on it). */
  load: [number, number];
}

interface Row {
  n: number;
  measuredAt: string;
  commit: string;
  /** Wall time per record of filing the history through the CLI's code (build, digest, render, write) in `jobs` processes. */
  fileMs: number;
  astro: Step;
  search: Step;
  baselineAstro: Step | null;
  baselineSearch: Step | null;
  medianRecord: number;
  maxRecord: number;
  /** Bytes of MDX and of snapshot files in the records folder. */
  mdxBytes: number;
  snapshotBytes: number;
  snapshotFiles: number;
  recordsJson: number;
  feedPages: number;
  feedBytes: number;
  historyIndex: number;
  largestTablePage: number;
  largestRecordPage: number;
  distMb: number;
  git: { packMb: number; seconds: number; countObjects: string };
  shape: HistoryShape;
}

/** Runs one step under /usr/bin/time: wall time, and the peak RSS of the largest process in it. */
function timed(command: string, commandArgs: string[], env: NodeJS.ProcessEnv, timeoutMs = Infinity, cwd = projectRoot): Promise<Step & { output: string }> {
  return new Promise((done) => {
    const started = performance.now();
    const loadBefore = loadavg()[0]!;
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
      const peakRssMb = Number(/PEAK_RSS_KB=(\d+)/.exec(output)?.[1] ?? Number.NaN) / 1024;
      const load: [number, number] = [loadBefore, loadavg()[0]!];
      if (code === 0) return done({ seconds, peakRssMb, load, output });
      if (timedOut) return done({ seconds, peakRssMb, load, output, failed: `did not finish in ${(timeoutMs / 60_000).toFixed(0)} min` });
      const reason = /(RangeError[^\n]*|JavaScript heap out of memory|\[ERROR\][^\n]*|Error: [^\n]*)/.exec(output)?.[1] ?? `exit ${code}`;
      done({ seconds, peakRssMb, load, output, failed: reason.trim() });
    });
  });
}

/** Every file under dir, as paths relative to it. */
function walk(dir: string, under = ''): string[] {
  if (!existsSync(join(dir, under))) return [];
  return readdirSync(join(dir, under), { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? walk(dir, join(under, d.name)) : d.isFile() ? [join(under, d.name)] : [],
  );
}

/**
 * The records folder as files: record files, and the side files records reference (compact records' snapshot files),
 * found by the sha256 in their names appearing in a record or in a side file it reaches, so the benchmark needs no
 * knowledge of the side-file format.
 */
function recordFolder(dir: string, filed: FiledRecord[]) {
  const all = walk(dir);
  const recordPaths = new Set(filed.map((f) => relative(dir, f.file)));
  const side = new Map<string, { path: string; bytes: number; users: number }>();
  for (const path of all) {
    // Records outside the slice (a prefix of the history is measured from the whole history's folder) are skipped.
    // Dot files are the benchmark's own (the list of records filed into --filed), as the site's lister ignores them.
    if (recordPaths.has(path) || path.endsWith('.mdx') || basename(path).startsWith('.')) continue;
    const hash = /[0-9a-f]{64}/.exec(path)?.[0];
    if (!hash) throw new Error(`${path} in the records folder is neither a record nor a content-addressed file: the benchmark does not know how to share it`);
    side.set(hash, { path, bytes: statSync(join(dir, path)).size, users: 0 });
  }
  // Side files reference each other (a snapshot's tree of parts): a record uses every file reachable from it.
  const hashesIn = (text: string) => [...new Set([...text.matchAll(/[0-9a-f]{64}/g)].map((m) => m[0]).filter((h) => side.has(h)))];
  const below = new Map<string, string[]>();
  const reachable = (hash: string): string[] => {
    let found = below.get(hash);
    if (!found) {
      const children = hashesIn(readFileSync(join(dir, side.get(hash)!.path), 'utf8')).filter((h) => h !== hash);
      found = [...new Set([hash, ...children.flatMap(reachable)])];
      below.set(hash, found);
    }
    return found;
  };
  const references = filed.map((f) => {
    const text = readFileSync(f.file, 'utf8');
    const used = new Set(hashesIn(text).flatMap(reachable));
    for (const h of used) side.get(h)!.users++;
    return { record: relative(dir, f.file), bytes: Buffer.byteLength(text), side: [...used] };
  });
  const onDisk = references.map((r) => r.bytes + r.side.reduce((sum, h) => sum + side.get(h)!.bytes / side.get(h)!.users, 0)).sort((a, b) => a - b);
  for (const [hash, file] of side) if (file.users === 0) side.delete(hash);
  return { references, side, onDisk, mdxBytes: references.reduce((s, r) => s + r.bytes, 0), sideBytes: [...side.values()].reduce((s, f) => s + f.bytes, 0) };
}

/** One commit per record through git fast-import (the record and the side files it first references, as filing commits them), then repack and gc. */
async function gitRepoSize(dir: string, folder: ReturnType<typeof recordFolder>, repo: string): Promise<Row['git']> {
  const started = performance.now();
  mkdirSync(repo, { recursive: true });
  execFileSync('git', ['init', '-q', '-b', 'main', repo]);
  const child = spawn('git', ['fast-import', '--quiet'], { cwd: repo, stdio: ['pipe', 'inherit', 'inherit'] });
  const closed = new Promise<void>((done, fail) => child.on('close', (code) => (code === 0 ? done() : fail(new Error(`git fast-import exited ${code}`)))));
  const write = (chunk: string | Buffer) =>
    child.stdin.write(chunk) ? Promise.resolve() : new Promise<void>((done) => child.stdin.once('drain', () => done()));
  const committed = new Set<string>();
  let when = 1_764_000_000;
  for (const ref of folder.references) {
    const files = [ref.record, ...ref.side.filter((h) => !committed.has(h)).map((h) => folder.side.get(h)!.path)];
    for (const h of ref.side) committed.add(h);
    const message = `logbook: ${ref.record}\n`;
    when += 3600;
    await write(`commit refs/heads/main\ncommitter Bench <bench@example.com> ${when} +0000\ndata ${Buffer.byteLength(message)}\n${message}`);
    for (const path of files) {
      const body = readFileSync(join(dir, path));
      await write(`M 100644 inline content/records/${path}\ndata ${body.length}\n`);
      await write(body);
      await write('\n');
    }
  }
  child.stdin.end();
  await closed;
  // Records committed one by one leave loose objects, and `git gc` searches deltas among all of them; fast-import's
  // pack would instead be reused as it stands (its blobs stored whole), so repack from scratch first, then gc.
  execFileSync('git', ['repack', '-a', '-d', '-f', '-q'], { cwd: repo });
  execFileSync('git', ['gc', '-q'], { cwd: repo });
  const countObjects = execFileSync('git', ['count-objects', '-vH'], { cwd: repo, encoding: 'utf8' });
  const raw = execFileSync('git', ['count-objects', '-v'], { cwd: repo, encoding: 'utf8' });
  const kb = Number(/size-pack: (\d+)/.exec(raw)?.[1] ?? Number.NaN) + Number(/^size: (\d+)/m.exec(raw)?.[1] ?? 0);
  return { packMb: kb / 1024, seconds: (performance.now() - started) / 1000, countObjects: countObjects.trim().replace(/\n/g, '; ') };
}

const largestIn = (dir: string) =>
  existsSync(dir)
    ? Math.max(
        0,
        ...readdirSync(dir, { withFileTypes: true })
          .filter((d) => d.isDirectory() && existsSync(join(dir, d.name, 'index.html')))
          .map((d) => statSync(join(dir, d.name, 'index.html')).size),
      )
    : 0;
const dirBytes = (dir: string) => walk(dir).reduce((sum, p) => sum + statSync(join(dir, p)).size, 0);
const kb = (bytes: number) => `${(bytes / 1024).toFixed(bytes < 10_240 ? 1 : 0)} kB`;
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
const load = (s: Step) => `load ${s.load[0].toFixed(1)}→${s.load[1].toFixed(1)}`;
const step = (s: Step | null) =>
  !s ? '—' : s.failed ? `failed after ${s.seconds.toFixed(0)} s (${s.failed})` : `${s.seconds.toFixed(1)} s, ${s.peakRssMb.toFixed(0)} MB`;
const total = (a: Step | null, b: Step | null) => (a && b && !a.failed && !b.failed ? a.seconds + b.seconds : null);

function printReport(rows: Row[]): void {
  rows.sort((a, b) => a.n - b.n);
  const first = rows[0];
  if (first) {
    const s = first.shape;
    console.log(
      `\nRecords: ${s.tables} tables in ${s.schemas} schemas (${s.partitioned} partitioned), ${s.indexes} indexes, ${s.foreignKeys} foreign keys, ${s.prismaMigrations} rows of _prisma_migrations; ` +
        `${s.environments.length} environments, ${s.people} people, ${s.first.slice(0, 10)} to ${s.last.slice(0, 10)}. Measured at ${first.commit} on ${first.measuredAt.slice(0, 16)} UTC.`,
    );
  }
  console.log(
    '\n| records | astro build | search index | baseline `.md`: astro | baseline: pagefind | record on disk, median / max | records.json (+ feed pages) | history-index.json | largest table / record page | git after gc | filing one record |',
  );
  console.log('| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const r of rows) {
    console.log(
      `| ${r.n.toLocaleString('en-US')} | ${step(r.astro)} | ${step(r.search)} | ${step(r.baselineAstro)} | ${step(r.baselineSearch)} | ${kb(r.medianRecord)} / ${kb(r.maxRecord)} | ${kb(r.recordsJson)} (+ ${r.feedPages} × ≤ ${kb(r.recordsJson)}) | ${kb(r.historyIndex)} | ${kb(r.largestTablePage)} / ${kb(r.largestRecordPage)} | ${r.git.packMb.toFixed(1)} MB | ${r.fileMs.toFixed(0)} ms |`,
    );
  }
  console.log('\nLoad average (1 min) at the start → end of each step (2 shared cores):');
  for (const r of rows)
    console.log(
      `  ${r.n}: astro ${load(r.astro)}, search ${load(r.search)}${r.baselineAstro ? `, baseline astro ${load(r.baselineAstro)}` : ''}${r.baselineSearch ? `, baseline pagefind ${load(r.baselineSearch)}` : ''}`,
    );
  for (const r of rows)
    console.log(
      `  ${r.n}: folder ${mb(r.mdxBytes)} of MDX + ${mb(r.snapshotBytes)} in ${r.snapshotFiles} snapshot files; feed ${kb(r.feedBytes)} in all; site ${r.distMb.toFixed(0)} MB; git ${r.git.countObjects}`,
    );

  // The targets of issue 17 ("What it must show"), beside the figures.
  const at = (n: number) => rows.find((r) => r.n === n);
  const verdict = (ok: boolean | null) => (ok === null ? 'not measured' : ok ? 'met' : 'MISSED');
  const lines: Array<[string, string, boolean | null]> = [];
  const big = at(10_000);
  if (big) {
    const steps: Array<[string, Step | null]> = [
      ['astro', big.astro],
      ['search index', big.search],
    ];
    for (const [name, s] of steps)
      lines.push([
        `peak RSS < 1 GB at 10,000 (${name})`,
        s && !s.failed ? `${s.peakRssMb.toFixed(0)} MB` : step(s),
        s && !s.failed ? s.peakRssMb < 1024 : false,
      ]);
  } else lines.push(['peak RSS < 1 GB at 10,000', '10,000 not run', null]);
  const small = at(1000);
  const build = (r: Row | undefined) => (r ? total(r.astro, r.search) : null);
  const b1 = build(small);
  const b10 = build(big);
  lines.push([
    '10,000 build <= 11 × 1,000 build (astro + search)',
    b1 !== null && b10 !== null ? `${b10.toFixed(0)} s / ${b1.toFixed(0)} s = ${(b10 / b1).toFixed(1)} ×` : 'needs both',
    b1 !== null && b10 !== null ? b10 <= 11 * b1 : null,
  ]);
  for (const n of [1000, 5000]) {
    const r = at(n);
    const ours = build(r);
    const base = r ? total(r.baselineAstro, r.baselineSearch) : null;
    lines.push([
      `${n.toLocaleString('en-US')}: build <= 1.3 × plain-.md baseline`,
      ours !== null && base !== null
        ? `${ours.toFixed(0)} s / ${base.toFixed(0)} s = ${(ours / base).toFixed(2)} ×`
        : r?.baselineAstro?.failed
          ? `baseline ${r.baselineAstro.failed}`
          : 'not measured',
      ours !== null && base !== null ? ours <= 1.3 * base : r?.baselineAstro?.failed ? true : null,
    ]);
  }
  const median = Math.max(...rows.map((r) => r.medianRecord));
  lines.push(['median record on disk <= 32 KB', rows.length ? kb(median) : '—', rows.length ? median <= 32 * 1024 : null]);
  lines.push([
    'git repository of 10,000 records <= 150 MB after gc',
    big ? `${big.git.packMb.toFixed(1)} MB` : '10,000 not run',
    big ? big.git.packMb <= 150 : null,
  ]);
  console.log('\n| target (issue 17) | measured | |');
  console.log('| --- | ---: | --- |');
  for (const [target, measured, ok] of lines) console.log(`| ${target} | ${measured} | ${verdict(ok)} |`);
}

if (reportFile) {
  printReport(JSON.parse(readFileSync(reportFile, 'utf8')) as Row[]);
  process.exit(0);
}
if (!existsSync('/usr/bin/time')) throw new Error('the benchmark reads peak RSS from /usr/bin/time (apt-get install time)');

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
  // Records filed in YYYY/MM keep their id (the file name), as the product's loader gives them.
  records: defineCollection({
    loader: glob({ pattern: '**/*.md', base: recordsDir(), generateId: ({ entry }) => entry.split('/').at(-1).replace(/\\.md$/, '') }),
    schema: migrationRecordSchema,
  }),
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
const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: projectRoot, encoding: 'utf8' }).trim();
const rows: Row[] = outFile && existsSync(outFile) ? (JSON.parse(readFileSync(outFile, 'utf8')) as Row[]).filter((r) => !sizes.includes(r.n)) : [];
try {
  const largest = sizes.at(-1)!;
  const all = filedDir ?? join(work, 'records-all');
  const filedList = join(all, `.filed-${largest}.json`);
  let history: { filed: FiledRecord[]; shape: HistoryShape; fileMs: number };
  if (existsSync(filedList)) {
    history = JSON.parse(readFileSync(filedList, 'utf8'));
    console.log(`reusing the ${largest} records filed in ${all} (${history.fileMs.toFixed(0)} ms a record when filed)`);
  } else {
    mkdirSync(all, { recursive: true });
    console.log(`filing ${largest} records of a 320-table schema through the CLI's filing code… (load ${loadavg()[0]!.toFixed(1)})`);
    const filingStarted = performance.now();
    const { filed, shape } = await fileRealisticHistoryInParallel(largest, all, jobs, (line) => console.log(line));
    history = { filed, shape, fileMs: (performance.now() - filingStarted) / largest };
    console.log(
      `  filed in ${((performance.now() - filingStarted) / 1000).toFixed(0)} s by ${jobs} processes (${history.fileMs.toFixed(0)} ms a record, wall)`,
    );
    if (filedDir) writeFileSync(filedList, JSON.stringify(history));
  }
  const { filed, shape: fullShape, fileMs } = history;
  for (const n of sizes) {
    // A prefix of a history is itself a valid history (chains intact): the first n records and what they reference.
    const slice = filed.slice(0, n);
    const whole = recordFolder(all, slice);
    const dir = n === largest ? all : join(work, `records-${n}`);
    if (dir !== all)
      for (const path of [...whole.references.map((r) => r.record), ...[...whole.side.values()].filter((s) => s.users > 0).map((s) => s.path)]) {
        mkdirSync(dirname(join(dir, path)), { recursive: true });
        cpSync(join(all, path), join(dir, path));
      }
    const records = slice.map((f) => ({ ...f, file: join(dir, relative(all, f.file)) }));
    const folder = recordFolder(dir, records);
    console.log(`\n${n} records: ${mb(folder.mdxBytes)} of MDX + ${mb(folder.sideBytes)} in ${folder.side.size} side files (load ${loadavg()[0]!.toFixed(1)})`);
    const cold = (name: string) => {
      const cache = join(work, `cache-${name}-${n}`);
      rmSync(cache, { recursive: true, force: true });
      return cache;
    };
    const dist = join(builds, `dist-mdx-${n}`);
    const env = {
      ...siteEnv({ recordsDir: dir, runbooksDir, outDir: dist, cacheDir: cold('mdx') }),
      NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} ${buildHeapFlag}`,
    };
    const astroStep = await timed(process.execPath, [join(projectRoot, 'node_modules/.bin/astro'), 'build'], env);
    console.log(`  astro build: ${step(astroStep)} (${load(astroStep)})`);
    if (astroStep.failed) throw new Error(`the site build failed at ${n} records: ${astroStep.failed}\n${astroStep.output.slice(-3000)}`);
    const searchStep = await timed(process.execPath, [join(projectRoot, 'scripts/search-index.ts'), dist], env);
    console.log(`  search index: ${step(searchStep)} (${load(searchStep)})`);
    if (searchStep.failed) console.log(searchStep.output.slice(-2000));

    let baselineAstro: Step | null = null;
    let baselineSearch: Step | null = null;
    if (withBaseline && n <= baselineUpTo) {
      // The same folder with every record renamed .md (side files kept: the pages read them as the product does).
      const md = join(work, `md-${n}`);
      cpSync(dir, md, { recursive: true });
      for (const r of folder.references) {
        const from = join(md, r.record);
        cpSync(from, from.replace(/\.mdx$/, '.md'));
        rmSync(from);
      }
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
      console.log(`  baseline astro build: ${step(baselineAstro)} (${load(baselineAstro)})`);
      if (!baselineAstro.failed) {
        baselineSearch = await timed(process.execPath, [join(projectRoot, 'node_modules/.bin/pagefind'), '--site', baseDist, '--silent'], process.env);
        console.log(`  baseline pagefind over the pages: ${step(baselineSearch)} (${load(baselineSearch)})`);
      }
      if (!keep) rmSync(md, { recursive: true, force: true });
      if (!keep) rmSync(baseDist, { recursive: true, force: true });
    }
    const git = await gitRepoSize(dir, folder, join(work, `git-${n}`));
    console.log(`  git, one commit per record, after gc: ${git.packMb.toFixed(1)} MB (${git.seconds.toFixed(0)} s)`);
    const feedDir = join(dist, 'feed');
    const feedFiles = existsSync(feedDir) ? walk(feedDir).filter((p) => p.endsWith('.json')) : [];
    const recordsJson = statSync(join(dist, 'records.json')).size;
    const row: Row = {
      n,
      measuredAt: new Date().toISOString(),
      commit,
      fileMs,
      astro: astroStep,
      search: searchStep,
      baselineAstro,
      baselineSearch,
      medianRecord: folder.onDisk[Math.floor(folder.onDisk.length / 2)]!,
      maxRecord: folder.onDisk.at(-1)!,
      mdxBytes: folder.mdxBytes,
      snapshotBytes: folder.sideBytes,
      snapshotFiles: folder.side.size,
      recordsJson,
      feedPages: feedFiles.length,
      feedBytes: recordsJson + feedFiles.reduce((s, p) => s + statSync(join(feedDir, p)).size, 0),
      historyIndex: existsSync(join(dist, 'history-index.json')) ? statSync(join(dist, 'history-index.json')).size : 0,
      largestTablePage: largestIn(join(dist, 'tables')),
      largestRecordPage: largestIn(join(dist, 'records')),
      distMb: dirBytes(dist) / 1024 / 1024,
      git,
      shape: {
        ...fullShape,
        statuses: Object.fromEntries(Object.keys(fullShape.statuses).map((s) => [s, slice.filter((f) => f.status === s).length])),
        last: slice.at(-1)!.startedAt,
      },
    };
    for (const s of [row.astro, row.search, row.baselineAstro, row.baselineSearch]) if (s) delete (s as Partial<Step & { output: string }>).output;
    rows.push(row);
    if (outFile) writeFileSync(outFile, `${JSON.stringify(rows, null, 2)}\n`);
    if (!keep)
      for (const d of [...(dir === all ? [] : [dir]), dist, join(work, `git-${n}`), join(work, `cache-mdx-${n}`), join(work, `cache-md-${n}`)])
        rmSync(d, { recursive: true, force: true });
  }
} finally {
  if (!keep) for (const d of [work, builds]) rmSync(d, { recursive: true, force: true });
  else console.log(`kept ${work} and ${builds}`);
}
printReport(rows);
