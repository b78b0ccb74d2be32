// Benchmark (not a test): `logbook verify` over generated version-2 records (positions, chains per environment)
// committed to a git repo in batches, so the git-history check reads a real history.
// `npm run bench:verify [-- --records N --commits N --runs N]`.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { simpleGit } from 'simple-git';
import { computeIntegrity } from '../../src/core/record/digest.ts';
import type { MigrationRecord } from '../../src/schemas/record.ts';
import { recordFileText } from '../../test/helpers/record-files.ts';
import { generateHistory } from '../../test/helpers/synthetic.ts';

const { values } = parseArgs({
  options: { records: { type: 'string', default: '10000' }, commits: { type: 'string', default: '20' }, runs: { type: 'string', default: '3' } },
});
const count = Number(values.records);
const commits = Number(values.commits);
const runs = Number(values.runs);
const entry = fileURLToPath(new URL('../logbook.mjs', import.meta.url));

const dir = mkdtempSync(join(tmpdir(), 'logbook-bench-verify-'));
try {
  const recordsDir = join(dir, 'content', 'records');
  mkdirSync(recordsDir, { recursive: true });
  writeFileSync(join(dir, 'logbook.config.json'), '{}\n');
  console.error(`generating ${count} records...`);
  // Each environment's chain with ledger positions, as records are filed from version 2 on.
  const heads = new Map<string, { seq: number; digest: string | null }>();
  const records: Array<{ record: MigrationRecord; notes?: string | undefined }> = generateHistory(count).map(({ record, notes }) => {
    const head = heads.get(record.environment) ?? { seq: 0, digest: null };
    const { integrity: _v1, ...facts } = record;
    const positioned = { ...facts, integrity: computeIntegrity(facts, head.digest, { seq: head.seq + 1 }) };
    heads.set(record.environment, { seq: head.seq + 1, digest: positioned.integrity.digest });
    return { record: positioned, notes };
  });
  const git = simpleGit(dir);
  await git.init();
  await git.addConfig('user.name', 'Bench').addConfig('user.email', 'bench@example.com').addConfig('commit.gpgsign', 'false');
  const batch = Math.ceil(count / commits);
  for (let i = 0; i < count; i += batch) {
    for (const { record, notes } of records.slice(i, i + batch)) writeFileSync(join(recordsDir, `${record.id}.mdx`), recordFileText(record, notes));
    await git.add('.');
    await git.commit(`records ${i}–${Math.min(count, i + batch) - 1}`);
  }
  console.error(`${count} records in ${commits} commits; running verify ${runs} times...`);
  const times: number[] = [];
  let last = '';
  for (let run = 0; run < runs; run++) {
    const started = performance.now();
    const result = spawnSync(process.execPath, [entry, 'verify'], { cwd: dir, encoding: 'utf8', env: { ...process.env, CI: '1' } });
    times.push(performance.now() - started);
    last = result.stdout.trim().split('\n').at(-1) ?? '';
    if (result.status !== 0) throw new Error(`verify exited ${result.status}:\n${result.stdout.slice(-2000)}${result.stderr.slice(-2000)}`);
  }
  const median = [...times].sort((a, b) => a - b)[Math.floor(times.length / 2)]!;
  console.log(
    `verify, ${count} records with git history (${commits} commits): median ${(median / 1000).toFixed(2)} s over ${runs} runs (${times.map((t) => (t / 1000).toFixed(2)).join(', ')} s)`,
  );
  console.log(`  ${last}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
