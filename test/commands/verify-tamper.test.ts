// The tamper suite: every way an attacker (or an accident) can change the records is reported by `verify`
// with the right finding and exit 1; a person editing prose is not.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import { simpleGit } from 'simple-git';
import { connect } from '../../src/adapters/pg/client.ts';
import { appendLedgerRow } from '../../src/adapters/pg/ledger.ts';
import { ensureLogbookSchema } from '../../src/adapters/pg/logbook-schema.ts';
import { signedMessage, signMessage } from '../../src/adapters/ssh/ssh-signature.ts';
import { computeIntegrity, positionedDigest } from '../../src/core/record/digest.ts';
import type { MigrationRecord } from '../../src/schemas/record.ts';
import { runCli } from '../helpers/cli.ts';
import { createTestDatabase } from '../helpers/postgres.ts';
import { recordFileText } from '../helpers/record-files.ts';
import { makeRecord } from '../helpers/synthetic.ts';

interface World {
  dir: string;
  recordsDir: string;
  records: MigrationRecord[];
  file: (i: number) => string;
  verify: (extra?: string[], env?: Record<string, string>) => ReturnType<typeof runCli>;
}

function positioned(i: number, previous: string | null, environment = 'production'): MigrationRecord {
  const day = String(i + 1).padStart(2, '0');
  const { integrity: _i, ...facts } = makeRecord({
    id: `2026-01-${day}-m${i}-${environment}`,
    environment,
    startedAt: `2026-01-${day}T10:00:00.000Z`,
    migrations: [`202601${day}000000_m${i}`],
  });
  return { ...facts, integrity: computeIntegrity(facts, previous, { seq: i + 1 }) };
}

/** Five positioned records in a committed git repo, with a config (optionally signing). */
async function world(
  t: TestContext,
  options: { count?: number; signing?: object; sign?: (r: MigrationRecord) => Promise<MigrationRecord> } = {},
): Promise<World> {
  const dir = mkdtempSync(join(tmpdir(), 'logbook-tamper-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const recordsDir = join(dir, 'content', 'records');
  const records: MigrationRecord[] = [];
  for (let i = 0; i < (options.count ?? 5); i++) {
    const record = positioned(i, records.at(-1)?.integrity.digest ?? null);
    records.push(options.sign ? await options.sign(record) : record);
  }
  const { mkdirSync } = await import('node:fs');
  mkdirSync(recordsDir, { recursive: true });
  for (const r of records) writeFileSync(join(recordsDir, `${r.id}.mdx`), recordFileText(r));
  writeFileSync(
    join(dir, 'logbook.config.json'),
    JSON.stringify({ environments: { production: { databaseUrlEnv: 'TAMPER_DB' } }, ...(options.signing ? { signing: options.signing } : {}) }),
  );
  const git = simpleGit(dir);
  await git.init().addConfig('user.name', 'Test').addConfig('user.email', 'test@example.com').add('.').commit('records');
  const file = (i: number) => join(recordsDir, `${records[i]!.id}.mdx`);
  return { dir, recordsDir, records, file, verify: (extra = [], env = {}) => runCli(['verify', ...extra], { cwd: dir, env: { TAMPER_DB: '', ...env } }) };
}

const findings = (stdout: string) => stdout.split('\n').filter((l) => /^[A-Z]+ /.test(l) && !l.startsWith('SIGNED'));

/** Rewrite one record's integrity as an attacker with the algorithm would: a consistent digest for whatever they changed. */
function rewrite(w: World, i: number, change: (r: MigrationRecord) => void): MigrationRecord {
  const record = structuredClone(w.records[i]!);
  change(record);
  record.integrity.digest = positionedDigest(record.integrity.sections, {
    environment: record.environment,
    seq: record.integrity.seq!,
    previous: record.integrity.previous,
  });
  writeFileSync(w.file(i), recordFileText(record));
  return record;
}

describe('verify finds every kind of tampering', () => {
  it('an intact chain passes, checked against git history', async (t) => {
    const w = await world(t);
    const result = await w.verify();
    assert.equal(result.code, 0, result.stdout + result.stderr);
    assert.match(result.stdout, /ok: 5 record\(s\) intact, chains unbroken, checked against git history/);
  });

  it('a deleted middle record', async (t) => {
    const w = await world(t);
    unlinkSync(w.file(2));
    const result = await w.verify();
    assert.equal(result.code, 1);
    assert.match(result.stdout, /MISSING\s+production: position 3 is missing/);
    assert.match(result.stdout, new RegExp(`DELETED\\s+${w.records[2]!.id}: commit [0-9a-f]{12} held this record`));
  });

  it('a deleted middle record whose successor is re-pointed (digest recomputed), with the deletion committed', async (t) => {
    const w = await world(t);
    unlinkSync(w.file(2));
    rewrite(w, 3, (r) => (r.integrity.previous = w.records[1]!.integrity.digest));
    await simpleGit(w.dir).add('.').commit('tidy up');
    const result = await w.verify();
    assert.equal(result.code, 1);
    assert.match(result.stdout, /MISSING\s+production: position 3 is missing: the chain jumps from .*m1.* to .*m3/);
    assert.match(result.stdout, /RELINKED\s+production: .*m4-production \(#5\) points at/);
  });

  it('a reordered chain: positions swapped (digests recomputed), and a `previous:` line edited by hand', async (t) => {
    const w = await world(t);
    rewrite(w, 1, (r) => (r.integrity.seq = 3));
    rewrite(w, 2, (r) => (r.integrity.seq = 2));
    const swapped = await w.verify();
    assert.equal(swapped.code, 1);
    assert.ok(
      findings(swapped.stdout).some((l) => l.startsWith('RELINKED')),
      swapped.stdout,
    );

    const v = await world(t);
    const text = readFileSync(v.file(3), 'utf8').replace(`previous: ${v.records[2]!.integrity.digest}`, `previous: ${v.records[1]!.integrity.digest}`);
    writeFileSync(v.file(3), text);
    const edited = await v.verify();
    assert.equal(edited.code, 1);
    assert.match(edited.stdout, new RegExp(`EDITED\\s+${v.records[3]!.id}: digest or position \\(seq, previous\\) altered`));
  });

  it('an edited number names its section; an edited prose (even invalid MDX) passes and is a validate finding', async (t) => {
    const w = await world(t);
    const original = readFileSync(w.file(1), 'utf8');
    writeFileSync(w.file(1), original.replace('rows: 120', 'rows: 121'));
    const edited = await w.verify();
    assert.equal(edited.code, 1);
    assert.deepEqual(findings(edited.stdout), [`EDITED     ${w.records[1]!.id}: facts edited in: post`]);

    writeFileSync(w.file(1), original.replace('## Notes\n\n_Nothing recorded yet._', '## Notes\n\nThe index build took <5ms longer than planned.'));
    const prose = await w.verify();
    assert.equal(prose.code, 0, prose.stdout);
    const validate = await runCli(['validate'], { cwd: w.dir });
    assert.equal(validate.code, 1);
    assert.match(validate.stdout, new RegExp(`${w.records[1]!.id}\\.mdx:\\d+:\\d+: body: invalid MDX in the prose`));
  });

  it('the newest record deleted: found by the ledger when the database is reachable, by git history without it', async (t) => {
    const w = await world(t);
    const db = await createTestDatabase(t, 'tamper');
    const client = await connect(db.url);
    try {
      await ensureLogbookSchema(client);
      for (const r of w.records)
        await appendLedgerRow(client, {
          environment: 'production',
          seq: r.integrity.seq!,
          recordId: r.id,
          digest: r.integrity.digest,
          previous: r.integrity.previous,
        });
    } finally {
      await client.end();
    }
    const intact = await w.verify(['--env', 'production'], { TAMPER_DB: db.url });
    assert.equal(intact.code, 0, intact.stdout + intact.stderr);
    assert.match(intact.stdout, /checked against the production ledger and git history/);

    unlinkSync(w.file(4));
    // Nothing in the chain itself points at the newest record: without ledger or git it would pass.
    await simpleGit(w.dir).add('.').commit('remove');
    rmSync(join(w.dir, '.git'), { recursive: true, force: true });
    const withLedger = await w.verify(['--env', 'production'], { TAMPER_DB: db.url });
    assert.equal(withLedger.code, 1);
    assert.match(withLedger.stdout, new RegExp(`DELETED\\s+production: ${w.records[4]!.id} \\(#5\\) is in the production ledger but its record file is gone`));

    const g = await world(t);
    unlinkSync(g.file(4));
    const withGit = await g.verify(['--env', 'production'], { TAMPER_DB: 'postgresql://nobody@127.0.0.1:1/none' });
    assert.equal(withGit.code, 1);
    assert.match(withGit.stderr, /the ledger could not be read/);
    assert.match(withGit.stdout, new RegExp(`DELETED\\s+${g.records[4]!.id}: commit [0-9a-f]{12} held this record`));
  });

  it('a forged record with recomputed digests: unsigned while signatures are required, and signed by a key not allowed', async (t) => {
    const keys = mkdtempSync(join(tmpdir(), 'logbook-keys-'));
    t.after(() => rmSync(keys, { recursive: true, force: true }));
    for (const name of ['ada', 'mallory']) execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', name, '-f', join(keys, name)]);
    const allowed = join(keys, 'allowed_signers');
    writeFileSync(allowed, `ada@example.com ${readFileSync(join(keys, 'ada.pub'), 'utf8')}`);
    const sign = (key: string) => async (r: MigrationRecord) => ({
      ...r,
      integrity: { ...r.integrity, signature: await signMessage(join(keys, key), signedMessage(r.id, r.integrity.digest)) },
    });
    const w = await world(t, { signing: { allowedSigners: allowed, requiredFrom: 3 }, sign: sign('ada'), count: 4 });

    const intact = await w.verify();
    assert.equal(intact.code, 0, intact.stdout + intact.stderr);
    assert.equal(intact.stdout.split('\n').filter((l) => /^SIGNED\s+\S+: ada@example\.com$/.test(l)).length, 4);

    // The forger appends a record that links correctly, with every digest recomputed.
    const forged = positioned(4, w.records[3]!.integrity.digest);
    writeFileSync(join(w.recordsDir, `${forged.id}.mdx`), recordFileText(forged));
    const unsigned = await w.verify();
    assert.equal(unsigned.code, 1);
    assert.deepEqual(findings(unsigned.stdout), [`FORGED     ${forged.id}: unsigned, but signatures are required from 3`]);

    writeFileSync(join(w.recordsDir, `${forged.id}.mdx`), recordFileText(await sign('mallory')(forged)));
    const mallory = await w.verify();
    assert.equal(mallory.code, 1);
    assert.deepEqual(findings(mallory.stdout), [`FORGED     ${forged.id}: signed by a key that is not in the allowed signers`]);
  });
});
