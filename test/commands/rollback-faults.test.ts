// A rollback interrupted at each step (kill -9 or Ctrl-C), or whose restore fails, leaves the live database either
// as it was or fully rolled back, says which; `logbook resume` completes it, `logbook abort` undoes it before the
// swap (and refuses, saying the state, after), and the next rollback cleans up or finishes it.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import { fileURLToPath } from 'node:url';
import { assertSameDatabase, fingerprint } from '../helpers/database-equivalence.ts';
import { sql, testServerUrl } from '../helpers/postgres.ts';
import { migratedFixture, newestRecord, siblingDatabases } from '../helpers/rollback-fixture.ts';

const ENTRY = fileURLToPath(new URL('../../scripts/logbook.mjs', import.meta.url));
const MIGRATION_SQL =
  "CREATE TYPE tier AS ENUM ('gold'); CREATE TABLE teams (id int PRIMARY KEY); ALTER TABLE players ADD COLUMN team_id int REFERENCES teams(id), ADD COLUMN tier tier;";

type Step = 'restore' | 'connections-closed' | 'before-swap' | 'after-swap';

async function interruptAt(t: TestContext, step: Step, signal: 'SIGKILL' | 'SIGINT') {
  const m = await migratedFixture(t, MIGRATION_SQL);
  const migratedState = await fingerprint(m.f.url);
  const source = readFileSync(m.file, 'utf8');
  const child = spawn(process.execPath, [ENTRY, 'rollback', '--config', m.f.ws.configFile, '--record', m.record.id, '--yes'], {
    cwd: m.f.ws.dir,
    env: { ...process.env, ...m.f.env, LOGBOOK_TEST_ROLLBACK_PAUSE: step, LOGBOOK_TEST_ROLLBACK_PAUSE_MS: step === 'after-swap' ? '2000' : '30000' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stdout.resume();
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  for (let i = 0; i < 1200 && !stderr.includes(`paused at ${step}`); i++) await new Promise((r) => setTimeout(r, 50));
  assert.match(stderr, new RegExp(`paused at ${step}`));
  child.kill(signal);
  const code = await new Promise<number | null>((r) => child.once('close', r));
  return { ...m, migratedState, source, code, stderr };
}

async function allowsConnections(name: string): Promise<boolean> {
  const [row] = await sql<{ datallowconn: boolean }>(await testServerUrl(), 'SELECT datallowconn FROM pg_database WHERE datname = $1', [name]);
  return row!.datallowconn;
}

const NEVER_SWAPPED =
  /(\S+) was never swapped: it is the same database as before \(oid \d+\), takes connections again, and the half-restored copy \S+_restoring_\S+ is dropped/;

async function lockRows(url: string): Promise<string[]> {
  return (await sql<{ run_id: string }>(url, 'SELECT run_id FROM logbook.lock')).map((r) => r.run_id);
}

describe('rollback interrupted at each step', () => {
  for (const step of ['restore', 'connections-closed', 'before-swap'] as const) {
    it(`Ctrl-C at ${step}: exit 130, the live database as it was, nothing left behind, it says so; resume and abort find nothing to do`, async (t) => {
      const r = await interruptAt(t, step, 'SIGINT');
      assert.equal(r.code, 130, r.stderr);
      assert.match(r.stderr, /the live database was not swapped: /);
      assert.match(r.stderr, NEVER_SWAPPED);
      assert.match(r.stderr, /the record is unchanged/);
      assert.ok(await allowsConnections(new URL(r.f.url).pathname.slice(1)));
      assert.deepEqual(await fingerprint(r.f.url), r.migratedState);
      assert.deepEqual(await siblingDatabases(r.f), []);
      assert.equal(readFileSync(r.file, 'utf8'), r.source);
      assert.deepEqual(await lockRows(r.f.url), [], 'lock released');
      for (const command of ['abort', 'resume']) {
        const after = await r.f.cli([command, '--env', r.f.ws.environment]);
        assert.equal(after.code, 2, after.stderr);
        assert.match(after.stderr, /no unfinished run/);
      }
      assert.deepEqual(await fingerprint(r.f.url), r.migratedState);
    });

    it(`kill -9 at ${step}, then \`logbook abort\`: exit 10, the live database byte-for-byte as before, reopened, copy dropped, record unchanged`, async (t) => {
      const r = await interruptAt(t, step, 'SIGKILL');
      assert.equal(r.code, null);
      const live = new URL(r.f.url).pathname.slice(1);
      assert.equal(
        (await siblingDatabases(r.f)).some((n) => n.includes('_replaced_')),
        false,
        'no swap happened',
      );
      // After the restore, from another machine: only the lock row (and the server) tell what was going on.
      if (step !== 'restore') rmSync(join(r.f.ws.stateDir, 'rollbacks'), { recursive: true, force: true });
      const aborted = await r.f.cli(['abort', '--env', r.f.ws.environment]);
      assert.equal(aborted.code, 10, aborted.stderr);
      assert.match(aborted.stderr, new RegExp(`aborted the rollback of ${r.record.id} \\(started [^)]+\\): `));
      assert.match(aborted.stderr, NEVER_SWAPPED);
      assert.match(aborted.stderr, new RegExp(`the record ${r.record.id} is unchanged`));
      assert.ok(await allowsConnections(live));
      assert.deepEqual(await fingerprint(r.f.url), r.migratedState, 'the live database is the pre-rollback one');
      assert.deepEqual(await siblingDatabases(r.f), [], 'no copy left');
      assert.equal(readFileSync(r.file, 'utf8'), r.source, 'the record is unchanged');
      assert.deepEqual(await lockRows(r.f.url), [], 'the lock is free');
      assert.ok(!existsSync(join(r.f.ws.stateDir, 'rollbacks', `${r.record.id}.json`)));
    });

    it(`kill -9 at ${step}, then \`logbook resume\`: the copy is dropped, the rollback runs again and completes`, async (t) => {
      const r = await interruptAt(t, step, 'SIGKILL');
      assert.equal(r.code, null);
      const live = new URL(r.f.url).pathname.slice(1);
      if (step === 'restore') assert.deepEqual(await fingerprint(r.f.url), r.migratedState);
      if (step !== 'restore') rmSync(join(r.f.ws.stateDir, 'rollbacks'), { recursive: true, force: true });
      const resumed = await r.f.cli(['resume', '--env', r.f.ws.environment]);
      assert.equal(resumed.code, 0, resumed.stderr);
      assert.match(resumed.stderr, new RegExp(`resuming the interrupted rollback of ${r.record.id}`));
      assert.match(resumed.stderr, /never swapped: .*; starting again from the restore/);
      assert.ok(await allowsConnections(live));
      await assertSameDatabase(r.f.url, r.reference);
      assert.equal(newestRecord(r.f).record.status, 'rolled-back');
      assert.deepEqual(
        (await siblingDatabases(r.f)).filter((n) => n.includes('_restoring_')),
        [],
        'no half-restored copy left',
      );
      assert.deepEqual(await lockRows(r.f.url), []);
    });
  }

  it('kill -9 before the swap: running the rollback again cleans up and completes', async (t) => {
    const r = await interruptAt(t, 'before-swap', 'SIGKILL');
    const again = await r.f.cli(['rollback', '--record', r.record.id, '--yes']);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stderr, /never swapped: .* is dropped; starting again from the restore/);
    await assertSameDatabase(r.f.url, r.reference);
    assert.equal(newestRecord(r.f).record.status, 'rolled-back');
  });

  it('kill -9 after the swap: `logbook abort` refuses and says the database is rolled back; `logbook resume` (from the lock row alone) finishes the record', async (t) => {
    const r = await interruptAt(t, 'after-swap', 'SIGKILL');
    await assertSameDatabase(r.f.url, r.reference);
    assert.equal(readFileSync(r.file, 'utf8'), r.source, 'the record is not yet written');
    assert.deepEqual(await lockRows(r.f.url), [`rollback-${r.record.id}`], 'the swapped-in database carries the run');
    const refused = await r.f.cli(['abort', '--env', r.f.ws.environment]);
    assert.equal(refused.code, 2, refused.stderr);
    assert.match(refused.stderr, /its swap already committed, so the database IS rolled back, but its record does not say so yet/);
    assert.match(refused.stderr, /abort never swaps back/);
    assert.match(refused.stderr, new RegExp(`logbook resume --run rollback-${r.record.id}`));
    await assertSameDatabase(r.f.url, r.reference);
    assert.equal(readFileSync(r.file, 'utf8'), r.source);
    assert.equal((await siblingDatabases(r.f)).filter((n) => n.includes('_replaced_')).length, 1);

    rmSync(join(r.f.ws.stateDir, 'rollbacks'), { recursive: true, force: true });
    const resumed = await r.f.cli(['resume', '--env', r.f.ws.environment]);
    assert.equal(resumed.code, 0, resumed.stderr);
    assert.match(resumed.stderr, /had already swapped .*: finishing its record/);
    const record = newestRecord(r.f).record;
    assert.equal(record.status, 'rolled-back');
    assert.equal(record.rollback!.matchesBackup, true);
    assert.equal((await siblingDatabases(r.f)).filter((n) => n.includes('_replaced_')).length, 1, 'swapped once, not twice');
    await assertSameDatabase(r.f.url, r.reference);
    assert.deepEqual(await lockRows(r.f.url), []);
    assert.equal((await r.f.cli(['verify'])).code, 0, 'the record verifies');
  });

  it('kill -9 after the swap: the next rollback finishes the record', async (t) => {
    const r = await interruptAt(t, 'after-swap', 'SIGKILL');
    const again = await r.f.cli(['rollback', '--record', r.record.id, '--yes']);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stderr, /had already swapped .*: finishing its record/);
    assert.equal(newestRecord(r.f).record.status, 'rolled-back');
    await assertSameDatabase(r.f.url, r.reference);
  });

  it('Ctrl-C after the swap waits until the record says rolled back', async (t) => {
    const r = await interruptAt(t, 'after-swap', 'SIGINT');
    assert.equal(r.code, 0, r.stderr);
    assert.equal(newestRecord(r.f).record.status, 'rolled-back');
    assert.ok(!existsSync(join(r.f.ws.stateDir, 'rollbacks', `${r.record.id}.json`)));
    assert.deepEqual(await lockRows(r.f.url), []);
  });
});

describe('rollback whose restore fails', () => {
  it('an archive that hashes right but that pg_restore rejects: exit 5, the live database untouched, record unchanged', async (t) => {
    // pg_restore runs with an empty search_path, so a CHECK calling a function with an unqualified table name fails on COPY.
    const setup = `CREATE TABLE limits (v int); INSERT INTO limits VALUES (0);
      CREATE FUNCTION above_floor(int) RETURNS bool LANGUAGE sql AS 'SELECT $1 > (SELECT min(v) FROM limits)';
      CREATE TABLE guarded (x int CHECK (above_floor(x))); INSERT INTO guarded VALUES (5);`;
    const m = await migratedFixture(t, 'CREATE TABLE teams (id int PRIMARY KEY);', { setup });
    const before = await fingerprint(m.f.url);
    const source = readFileSync(m.file, 'utf8');
    const rolled = await m.f.cli(['rollback', '--record', m.record.id, '--yes']);
    assert.equal(rolled.code, 5, rolled.stderr);
    assert.match(rolled.stderr, /restoring into the new database .* \(the live database was not touched\): pg_restore exited/);
    assert.match(rolled.stderr, /the live database was not swapped: /);
    assert.match(rolled.stderr, NEVER_SWAPPED);
    assert.deepEqual(await fingerprint(m.f.url), before);
    assert.equal(readFileSync(m.file, 'utf8'), source);
    assert.deepEqual(await siblingDatabases(m.f), []);
    assert.deepEqual(await sql(m.f.url, 'SELECT run_id FROM logbook.lock'), [], 'lock released');
  });
});
