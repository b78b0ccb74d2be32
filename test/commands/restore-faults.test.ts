// `logbook restore` killed (kill -9) or interrupted (Ctrl-C) at each step: its journal lets `logbook abort` undo it
// before the swap (the database byte-for-byte as it was, taking connections), `logbook resume` (or the next
// restore) complete it, and nothing is left in between: never closed to connections, never a stray copy.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import { fileURLToPath } from 'node:url';
import { runCli } from '../helpers/cli.ts';
import { fingerprint } from '../helpers/database-equivalence.ts';
import { createTestDatabase, sql, testServerUrl } from '../helpers/postgres.ts';

const ENTRY = fileURLToPath(new URL('../../scripts/logbook.mjs', import.meta.url));

async function backedUpDatabase(t: TestContext) {
  const db = await createTestDatabase(t, 'rf');
  const server = await testServerUrl();
  const cwd = await mkdtemp(join(tmpdir(), 'logbook-restore-faults-'));
  t.after(async () => {
    for (const { datname } of await sql<{ datname: string }>(server, 'SELECT datname FROM pg_database WHERE starts_with(datname, $1) AND datname <> $1', [
      db.name,
    ]))
      await sql(server, `DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    await rm(cwd, { recursive: true, force: true });
  });
  await sql(
    db.url,
    `CREATE TABLE users (id int PRIMARY KEY, name text); INSERT INTO users SELECT g, 'u' || g FROM generate_series(1, 200) g;
     CREATE TABLE posts (id int PRIMARY KEY, user_id int REFERENCES users(id)); INSERT INTO posts SELECT g, g FROM generate_series(1, 100) g;`,
  );
  const made = await runCli(['backup', '--db', db.url, '--dir', join(cwd, 'backups'), '--verify', 'none', '--json'], { cwd });
  assert.equal(made.code, 0, made.stderr);
  const { path } = JSON.parse(made.stdout) as { path: string };
  const atBackup = await fingerprint(db.url);
  await sql(db.url, 'DELETE FROM posts WHERE id > 10; CREATE TABLE added_since (id int);');
  const beforeRestore = await fingerprint(db.url);
  const cli = (args: string[]) => runCli(args, { cwd });
  const copies = async () =>
    (await sql<{ datname: string }>(server, 'SELECT datname FROM pg_database WHERE starts_with(datname, $1) AND datname <> $1 ORDER BY 1', [db.name])).map(
      (r) => r.datname,
    );
  const takesConnections = async () =>
    (await sql<{ datallowconn: boolean }>(server, 'SELECT datallowconn FROM pg_database WHERE datname = $1', [db.name]))[0]!.datallowconn;
  return { db, cwd, path, atBackup, beforeRestore, cli, copies, takesConnections };
}

async function interruptRestore(t: TestContext, step: 'restore' | 'connections-closed' | 'before-swap' | 'after-swap', signal: 'SIGKILL' | 'SIGINT') {
  const r = await backedUpDatabase(t);
  const child = spawn(process.execPath, [ENTRY, 'restore', '--from', r.path, '--db', r.db.url, '--yes'], {
    cwd: r.cwd,
    env: { ...process.env, LOGBOOK_TEST_ROLLBACK_PAUSE: step, LOGBOOK_TEST_ROLLBACK_PAUSE_MS: '30000' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stdout.resume();
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  for (let i = 0; i < 1200 && !stderr.includes(`paused at ${step}`); i++) await new Promise((resolve) => setTimeout(resolve, 50));
  assert.match(stderr, new RegExp(`paused at ${step}`));
  child.kill(signal);
  const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
  return { ...r, code, stderr };
}

const NEVER_SWAPPED =
  /(\S+) was never swapped: it is the same database as before \(oid \d+\), takes connections again, and the half-restored copy \S+_restoring_\S+ is dropped/;

describe('restore interrupted at each step', () => {
  for (const step of ['restore', 'connections-closed', 'before-swap'] as const) {
    it(`kill -9 at ${step}, then \`logbook abort\`: exit 10, the database byte-for-byte as before the restore, taking connections, no copy`, async (t) => {
      const r = await interruptRestore(t, step, 'SIGKILL');
      assert.equal(r.code, null);
      if (step !== 'restore') assert.equal(await r.takesConnections(), false, 'kill -9 left it closed: the case the journal is for');
      const aborted = await r.cli(['abort', '--db', r.db.url]);
      assert.equal(aborted.code, 10, aborted.stderr);
      assert.match(aborted.stderr, /aborted the restore restore-\S+ \(.*\) \(started [^)]+\): /);
      assert.match(aborted.stderr, NEVER_SWAPPED);
      assert.equal(await r.takesConnections(), true);
      assert.deepEqual(await fingerprint(r.db.url), r.beforeRestore);
      assert.deepEqual(await r.copies(), []);
    });
  }

  it('kill -9 before the swap, then `logbook resume`: the copy is dropped and the restore runs again and swaps', async (t) => {
    const r = await interruptRestore(t, 'before-swap', 'SIGKILL');
    const resumed = await r.cli(['resume', '--db', r.db.url]);
    assert.equal(resumed.code, 0, resumed.stderr);
    assert.match(resumed.stderr, /the interrupted restore restore-\S+ never swapped: .*; restoring .* again/);
    assert.equal(await r.takesConnections(), true);
    assert.deepEqual(await fingerprint(r.db.url), r.atBackup, 'fully restored');
    const left = await r.copies();
    assert.equal(left.length, 1, `one replaced database is kept: ${left.join(', ')}`);
    assert.match(left[0]!, /_replaced_/);
  });

  it('kill -9 while closed to connections, then the next restore: it undoes the interrupted one first and completes', async (t) => {
    const r = await interruptRestore(t, 'connections-closed', 'SIGKILL');
    const again = await r.cli(['restore', '--from', r.path, '--db', r.db.url, '--yes']);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stderr, /an interrupted restore \(restore-\S+, started [^)]+\) never swapped: /);
    assert.deepEqual(await fingerprint(r.db.url), r.atBackup);
    assert.equal((await r.copies()).filter((n) => n.includes('_restoring_')).length, 0);
  });

  it('kill -9 after the swap: `logbook abort` refuses and says the restore is done; `logbook resume` tidies it up', async (t) => {
    const r = await interruptRestore(t, 'after-swap', 'SIGKILL');
    assert.deepEqual(await fingerprint(r.db.url), r.atBackup, 'the swap committed');
    // A URL for another database (a default DATABASE_URL, a typo) is refused before anything is looked at.
    const elsewhere = await r.cli(['abort', '--db', await testServerUrl()]);
    assert.equal(elsewhere.code, 2, elsewhere.stderr);
    assert.match(elsewhere.stderr, new RegExp(`is about the database "${r.db.name}", but the URL names "[^"]+"; nothing was changed`));
    const refused = await r.cli(['abort', '--db', r.db.url]);
    assert.equal(refused.code, 2, refused.stderr);
    assert.match(refused.stderr, /its swap already committed, so the restore is done: .* is the restored backup .* abort never swaps back/);
    assert.match(refused.stderr, /logbook resume --run restore-/);
    assert.deepEqual(await fingerprint(r.db.url), r.atBackup);
    const resumed = await r.cli(['resume', '--db', r.db.url]);
    assert.equal(resumed.code, 0, resumed.stderr);
    assert.match(resumed.stderr, /had already swapped: /);
    const again = await r.cli(['resume', '--db', r.db.url]);
    assert.equal(again.code, 2, 'nothing is left to resume');
    assert.deepEqual(await fingerprint(r.db.url), r.atBackup);
  });

  it('Ctrl-C before the swap: exit 130, the database as it was and taking connections, no copy; nothing to resume or abort', async (t) => {
    const r = await interruptRestore(t, 'before-swap', 'SIGINT');
    assert.equal(r.code, 130, r.stderr);
    assert.match(r.stderr, /the live database was not swapped: /);
    assert.match(r.stderr, NEVER_SWAPPED);
    assert.equal(await r.takesConnections(), true);
    assert.deepEqual(await fingerprint(r.db.url), r.beforeRestore);
    assert.deepEqual(await r.copies(), []);
    const aborted = await r.cli(['abort', '--db', r.db.url]);
    assert.equal(aborted.code, 2, aborted.stderr);
    assert.match(aborted.stderr, /no unfinished run/);
  });
});
