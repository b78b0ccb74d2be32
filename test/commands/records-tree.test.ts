// The records folder as a tree: legacy top-level records beside records filed in YYYY/MM, read alike by validate,
// verify (and its git-history deletion check) and the site; duplicates and stray files are reported, never skipped.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import { simpleGit } from 'simple-git';
import { buildSite, siteBuildDir } from '../../scripts/support/build-site.ts';
import { computeIntegrity } from '../../src/core/record/digest.ts';
import type { MigrationRecord } from '../../src/schemas/record.ts';
import { runCli } from '../helpers/cli.ts';
import { recordFileText } from '../helpers/record-files.ts';
import { migratedFixture } from '../helpers/rollback-fixture.ts';
import { makeRecord } from '../helpers/synthetic.ts';

function chained(count: number): MigrationRecord[] {
  const records: MigrationRecord[] = [];
  for (let i = 0; i < count; i++) {
    // Spread over months and years, so the dated folders differ: 2025-11, 2025-12, 2026-01, …
    const at = new Date(Date.UTC(2025, 10 + i, 15, 10));
    const day = at.toISOString().slice(0, 10);
    const { integrity: _i, ...facts } = makeRecord({
      id: `${day}-m${i}-production`,
      environment: 'production',
      startedAt: at.toISOString(),
      migrations: [`m${i}`],
    });
    records.push({ ...facts, integrity: computeIntegrity(facts, records.at(-1)?.integrity.digest ?? null, { seq: i + 1 }) });
  }
  return records;
}

const dated = (r: MigrationRecord) => `${r.startedAt.slice(0, 4)}/${r.startedAt.slice(5, 7)}/${r.id}.mdx`;

/** Four chained records: the first two filed before dated folders (top level), the last two in YYYY/MM; committed. */
async function mixedTree(t: TestContext) {
  const dir = mkdtempSync(join(tmpdir(), 'logbook-tree-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const recordsDir = join(dir, 'content', 'records');
  const records = chained(4);
  const paths = records.map((r, i) => (i < 2 ? `${r.id}.mdx` : dated(r)));
  for (const [i, r] of records.entries()) {
    mkdirSync(join(recordsDir, paths[i]!, '..'), { recursive: true });
    writeFileSync(join(recordsDir, paths[i]!), recordFileText(r));
  }
  // Not records, and not stray: another helper's snapshot store, git's placeholder.
  mkdirSync(join(recordsDir, '_snapshots'), { recursive: true });
  writeFileSync(join(recordsDir, '_snapshots', `${'a'.repeat(64)}.json`), '{}');
  writeFileSync(join(recordsDir, '.gitkeep'), '');
  writeFileSync(join(dir, 'logbook.config.json'), JSON.stringify({ environments: { production: { databaseUrlEnv: 'TREE_DB' } } }));
  await simpleGit(dir).init().addConfig('user.name', 'Tree Keeper').addConfig('user.email', 'tree@example.com').add('.').commit('records');
  const cli = (args: string[]) => runCli(args, { cwd: dir, env: { TREE_DB: '' } });
  return { dir, recordsDir, records, paths, cli };
}

describe('the records folder as a tree (top level and YYYY/MM)', () => {
  it('a mixed tree validates, verifies clean, and the site lists every record at /records/<id>/', async (t) => {
    const w = await mixedTree(t);
    const validate = await w.cli(['validate']);
    assert.equal(validate.code, 0, validate.stdout + validate.stderr);
    assert.match(validate.stdout, /and 4 record\(s\) are valid/);
    const verify = await w.cli(['verify', '--json']);
    assert.equal(verify.code, 0, verify.stdout + verify.stderr);
    const result = JSON.parse(verify.stdout) as { ok: boolean; records: number; git: boolean; findings: unknown[] };
    assert.deepEqual([result.ok, result.records, result.git, result.findings], [true, 4, true, []]);

    const buildDir = siteBuildDir('records-tree');
    t.after(() => rmSync(buildDir, { recursive: true, force: true }));
    const outDir = join(buildDir, 'dist');
    await buildSite({ recordsDir: w.recordsDir, outDir, search: false });
    const feed = JSON.parse(readFileSync(join(outDir, 'records.json'), 'utf8')) as { records: Array<{ id: string; url: string }> };
    assert.deepEqual(feed.records.map((r) => r.id).sort(), w.records.map((r) => r.id).sort());
    for (const r of feed.records) assert.ok(r.url.endsWith(`/records/${r.id}/`), r.url);
    for (const r of w.records) {
      const page = readFileSync(join(outDir, 'records', r.id, 'index.html'), 'utf8');
      // The page's git history finds the nested file's commit as it finds a top-level one's.
      assert.doesNotMatch(page, /Not committed yet/, `${r.id}: its commit is found`);
      assert.match(page, /Tree Keeper/);
    }
    assert.ok(!existsSync(join(outDir, 'records', '2026')), 'no page at a folder path');

    // A person moves a legacy record into its month folder (same content, same digest): a warm rebuild follows the file.
    const moved = dated(w.records[0]!);
    mkdirSync(join(w.recordsDir, moved, '..'), { recursive: true });
    renameSync(join(w.recordsDir, w.paths[0]!), join(w.recordsDir, moved));
    await buildSite({ recordsDir: w.recordsDir, outDir, search: false });
    const page = readFileSync(join(outDir, 'records', w.records[0]!.id, 'index.html'), 'utf8');
    assert.match(page, new RegExp(`Not committed yet \\([^)]*content/records/${moved}\\)`), 'the moved (uncommitted) file, not the cached old path');
  });

  it('a nested record deleted from the working tree is reported by verify; a record moved into a dated folder is not', async (t) => {
    const w = await mixedTree(t);
    // A person tidies a legacy record into its month folder (the tool never does): same id, so nothing is missing.
    const moved = dated(w.records[0]!);
    mkdirSync(join(w.recordsDir, moved, '..'), { recursive: true });
    renameSync(join(w.recordsDir, w.paths[0]!), join(w.recordsDir, moved));
    const tidy = await w.cli(['verify']);
    assert.equal(tidy.code, 0, tidy.stdout + tidy.stderr);
    unlinkSync(join(w.recordsDir, w.paths[3]!));
    const verify = await w.cli(['verify', '--json']);
    assert.equal(verify.code, 1, verify.stdout);
    const findings = (JSON.parse(verify.stdout) as { findings: Array<{ kind: string; record: string }> }).findings;
    assert.deepEqual(
      findings.filter((f) => f.kind === 'deleted').map((f) => f.record),
      [w.records[3]!.id],
    );
  });

  it('one id filed in two folders is reported by validate, verify and the site build, naming both paths', async (t) => {
    const w = await mixedTree(t);
    const copy = dated(w.records[1]!);
    mkdirSync(join(w.recordsDir, copy, '..'), { recursive: true });
    writeFileSync(join(w.recordsDir, copy), readFileSync(join(w.recordsDir, w.paths[1]!)));

    const validate = await w.cli(['validate']);
    assert.equal(validate.code, 1, validate.stdout);
    assert.match(validate.stdout, new RegExp(`${w.records[1]!.id}\\.mdx: id: id "${w.records[1]!.id}" is also filed at ${copy}`));
    const verify = await w.cli(['verify']);
    assert.equal(verify.code, 1, verify.stdout);
    assert.doesNotMatch(verify.stdout, /^FORK/m, 'a duplicate is not also reported as a fork of itself');
    assert.match(verify.stdout, new RegExp(`^DUPLICATE +${w.records[1]!.id}: filed 2 times: ${w.records[1]!.id}\\.mdx, ${copy}$`, 'm'));
    const buildDir = siteBuildDir('records-tree-dup');
    t.after(() => rmSync(buildDir, { recursive: true, force: true }));
    const outDir = join(buildDir, 'dist');
    await assert.rejects(buildSite({ recordsDir: w.recordsDir, outDir, search: false }), (error: Error) =>
      error.message.includes(`id "${w.records[1]!.id}" is filed 2 times`),
    );
  });

  it('validate reports what is under the records folder but is not a record, instead of skipping it', async (t) => {
    const w = await mixedTree(t);
    writeFileSync(join(w.recordsDir, 'notes.md'), '# a person wrote this\n');
    writeFileSync(join(w.recordsDir, '2026', 'lost.mdx'), recordFileText(w.records[3]!));
    mkdirSync(join(w.recordsDir, 'old'));
    writeFileSync(join(w.recordsDir, 'old', 'x.mdx'), '');
    writeFileSync(join(w.recordsDir, 'Capital.mdx'), '');
    const validate = await w.cli(['validate']);
    assert.equal(validate.code, 1, validate.stdout);
    const lines = validate.stdout.split('\n');
    const about = (path: string) => lines.find((l) => l.startsWith(`content/records/${path}: `)) ?? '';
    assert.match(about('notes.md'), /not read as a record: not a record file: records are \.mdx files/);
    assert.match(about('2026/lost.mdx'), /directly in a year folder/);
    assert.match(about('old'), /a folder outside the YYYY\/MM layout/);
    assert.match(about('Capital.mdx'), /"Capital" is not a record id/);
    assert.ok(!lines.some((l) => l.includes('_snapshots') || l.includes('.gitkeep')), 'the snapshot store and dot files are not strays');
    // verify checks only records, and says how many files it did not.
    const verify = await w.cli(['verify']);
    assert.equal(verify.code, 0, verify.stdout + verify.stderr);
    assert.match(verify.stderr, /4 file\(s\) in the records folder are not records and were not verified/);
  });
});

describe('filing into dated folders', () => {
  it('a run files its record in YYYY/MM of its UTC start and commits it there; verify and rollback find it by id', async (t) => {
    const m = await migratedFixture(t, 'CREATE TABLE teams (id int PRIMARY KEY);');
    const started = new Date(m.record.startedAt);
    const month = `${started.getUTCFullYear()}/${String(started.getUTCMonth() + 1).padStart(2, '0')}`;
    assert.equal(relative(m.f.ws.recordsDir, m.file), join(month, `${m.record.id}.mdx`));
    const git = simpleGit(m.f.ws.recordsDir);
    const top = (await git.revparse(['--show-toplevel'])).trim();
    const inRepo = relative(top, m.file);
    const committed = async () => (await git.raw(['show', '--name-only', '--format=', 'HEAD'])).trim().split('\n');
    // With compact records the commit also holds the record's snapshot files, at the top of the records folder.
    const records = async () => (await committed()).filter((path) => path.endsWith('.mdx'));
    assert.deepEqual(await records(), [inRepo], 'the filing commit holds the record at its dated path');
    assert.equal((await m.f.cli(['verify'])).code, 0);

    const rolled = await m.f.cli(['rollback', '--record', m.record.id, '--yes']);
    assert.equal(rolled.code, 0, rolled.stderr);
    assert.match(readFileSync(m.file, 'utf8'), /^status: rolled-back$/m, 'the nested record was updated in place');
    assert.ok(!existsSync(join(m.f.ws.recordsDir, `${m.record.id}.mdx`)), 'nothing was written at the top level');
    assert.deepEqual(await records(), [inRepo], 'the rollback commit holds the same file');
    const verify = await m.f.cli(['verify', '--json']);
    assert.equal(verify.code, 0, verify.stdout);
    assert.equal((JSON.parse(verify.stdout) as { records: number }).records, 1);

    const hostile = await m.f.cli(['rollback', '--record', `../${month}/${m.record.id}`, '--yes']);
    assert.equal(hostile.code, 2, hostile.stderr);
    assert.match(hostile.stderr, /is not a record id/);
  });
});
