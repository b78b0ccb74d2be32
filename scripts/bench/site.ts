// Site build benchmark: generates 1,000 / 5,000 / 10,000 realistic, schema-valid records and builds the site cold
// twice for each size — with the records loader (MDX files, summaries in the store) and with a plain-.md baseline
// of the same content through Astro's glob loader — printing wall time and peak RSS (from /usr/bin/time).
// Usage: npm run bench:site [-- 1000 5000 10000] [--keep]
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { projectRoot, siteBuildDir, siteEnv } from '../support/build-site.ts';
import { writeRecordFiles } from '../../test/helpers/record-files.ts';
import { generateHistory } from '../../test/helpers/synthetic.ts';

/** Kept equal to the heap flag in package.json's "build" script. */
const buildHeapFlag = '--max-old-space-size=768';
const args = process.argv.slice(2);
const keep = args.includes('--keep');
const sizes = args.filter((a) => /^\d+$/.test(a)).map(Number);
if (sizes.length === 0) sizes.push(1000, 5000, 10000);
if (!existsSync('/usr/bin/time')) throw new Error('the benchmark reads peak RSS from /usr/bin/time (apt-get install time)');

interface Measure {
  seconds: number;
  peakRssMb: number;
  pages: number;
  /** Why the build failed, when it did (the baseline cannot build every size). */
  failed?: string;
}

function timedBuild(env: NodeJS.ProcessEnv, root = projectRoot): Promise<Measure> {
  return new Promise((done) => {
    const started = performance.now();
    const child = spawn('/usr/bin/time', ['-f', 'PEAK_RSS_KB=%M', process.execPath, join(root, 'node_modules/.bin/astro'), 'build'], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (c) => (output += c));
    child.stderr.on('data', (c) => (output += c));
    child.on('close', (code) => {
      const seconds = (performance.now() - started) / 1000;
      const kb = Number(/PEAK_RSS_KB=(\d+)/.exec(output)?.[1] ?? NaN);
      if (code !== 0) {
        const reason = /(RangeError[^\n]*|JavaScript heap out of memory|\[ERROR\][^\n]*)/.exec(output)?.[1] ?? `exit ${code}`;
        return done({ seconds, peakRssMb: kb / 1024, pages: 0, failed: reason.trim() });
      }
      const pages = Number(/(\d+) page\(s\) built/.exec(output)?.[1] ?? NaN);
      done({ seconds, peakRssMb: kb / 1024, pages });
    });
  });
}

const describe = (m: Measure) => (m.failed ? `FAILED after ${m.seconds.toFixed(1)} s (${m.failed}), peak RSS ${m.peakRssMb.toFixed(0)} MB` : `${m.seconds.toFixed(1)} s, peak RSS ${m.peakRssMb.toFixed(0)} MB, ${m.pages} pages`);

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
const baselineRoot = baselineProject();
const runbooksDir = join(projectRoot, 'content', 'runbooks');
const builds = siteBuildDir('bench'); // inside the project: see SiteBuildOptions.outDir
const largest = Math.max(...sizes);
console.log(`generating ${largest} records…`);
let t = performance.now();
const history = generateHistory(largest);
console.log(`  generated in ${((performance.now() - t) / 1000).toFixed(1)} s`);

const rows: Array<{ n: number; ours: Measure; baseline: Measure }> = [];
try {
  for (const n of sizes) {
    const slice = history.slice(0, n); // a prefix of a history is itself a valid history (chains intact)
    const mdx = join(work, `mdx-${n}`);
    const md = join(work, `md-${n}`);
    t = performance.now();
    writeRecordFiles(mdx, slice, 'mdx');
    writeRecordFiles(md, slice, 'md');
    console.log(`${n} records written in ${((performance.now() - t) / 1000).toFixed(1)} s`);
    const cold = (name: string) => {
      const dir = join(work, `cache-${name}-${n}`);
      rmSync(dir, { recursive: true, force: true });
      return dir;
    };
    // The same heap cap as `npm run build`: the loader keeps summaries only, so a small heap is plenty, and V8 then
    // collects the parse garbage instead of growing the heap past 1 GB.
    const ours = await timedBuild({
      ...siteEnv({ recordsDir: mdx, outDir: join(builds, `dist-mdx-${n}`), cacheDir: cold('mdx') }),
      NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} ${buildHeapFlag}`,
    });
    console.log(`  records loader (.mdx): ${describe(ours)}`);
    if (ours.failed) throw new Error(`the site build failed at ${n} records: ${ours.failed}`);
    // The baseline keeps whole records in Astro's store; give it room so it finishes instead of running out of heap.
    // Its outDir lies inside its own project copy (see SiteBuildOptions.outDir).
    const baseline = await timedBuild(
      {
        ...siteEnv({ recordsDir: md, runbooksDir, outDir: join(baselineRoot, `dist-md-${n}`), cacheDir: cold('md') }),
        NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --max-old-space-size=12288`,
      },
      baselineRoot,
    );
    console.log(`  baseline (plain .md, glob loader): ${describe(baseline)}`);
    rows.push({ n, ours, baseline });
    if (!keep) for (const dir of [mdx, md, join(builds, `dist-mdx-${n}`), join(baselineRoot, `dist-md-${n}`)]) rmSync(dir, { recursive: true, force: true });
  }
} finally {
  if (!keep) for (const dir of [work, builds]) rmSync(dir, { recursive: true, force: true });
  else console.log(`kept ${work} and ${builds}`);
}

console.log('\n| records | records loader (.mdx) | peak RSS | baseline (.md) | peak RSS | time vs baseline |');
console.log('| ---: | ---: | ---: | ---: | ---: | ---: |');
for (const { n, ours, baseline } of rows) {
  const base = baseline.failed ? `failed after ${baseline.seconds.toFixed(0)} s: ${baseline.failed}` : `${baseline.seconds.toFixed(1)} s`;
  const ratio = baseline.failed ? '—' : `${(ours.seconds / baseline.seconds).toFixed(2)}x`;
  console.log(`| ${n.toLocaleString('en-US')} | ${ours.seconds.toFixed(1)} s | ${ours.peakRssMb.toFixed(0)} MB | ${base} | ${baseline.peakRssMb.toFixed(0)} MB | ${ratio} |`);
}
