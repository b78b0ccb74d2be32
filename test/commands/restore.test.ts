// `logbook restore`: asks (or needs --yes), restores beside the target, verifies counts against the sidecar, then swaps it in.
import assert from 'node:assert/strict';
import { mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli } from '../helpers/cli.ts';
import { withDatabase } from '../../src/adapters/pg/client.ts';
import { acquireDatabaseLock } from '../../src/adapters/pg/environment-lock.ts';
import { createTestDatabase, sql } from '../helpers/postgres.ts';

test('restore puts a database back to the backup, only with --yes when not on a terminal', async (t) => {
  const db = await createTestDatabase(t, 'rs');
  const dir = await mkdtemp(join(tmpdir(), 'logbook-restore-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  await sql(
    db.url,
    `CREATE TABLE users (id int PRIMARY KEY); INSERT INTO users SELECT generate_series(1, 300);
    CREATE TABLE posts (id int PRIMARY KEY, user_id int REFERENCES users(id)); INSERT INTO posts SELECT g, g FROM generate_series(1, 100) g;`,
  );
  const made = await runCli(['backup', '--db', db.url, '--dir', dir, '--verify', 'list', '--json']);
  assert.equal(made.code, 0, made.stderr);
  const { path } = JSON.parse(made.stdout) as { path: string };

  // A "migration" that loses data.
  await sql(db.url, `DELETE FROM posts WHERE id > 10; DELETE FROM users WHERE id > 50 AND id NOT IN (SELECT user_id FROM posts);`);

  const refused = await runCli(['restore', '--from', path, '--db', db.url]);
  assert.equal(refused.code, 2);
  assert.match(refused.stderr, /refusing to restore without confirmation/);
  assert.match(refused.stderr, /--yes/);
  const [still] = await sql<{ n: string }>(db.url, 'SELECT count(*) AS n FROM users');
  assert.equal(Number(still!.n), 50, 'nothing changed without confirmation');

  const restored = await runCli(['restore', '--from', path, '--db', db.url, '--yes']);
  assert.equal(restored.code, 0, restored.stderr);
  assert.match(restored.stdout, /row counts: all 2 tables match the backup/);
  const [users] = await sql<{ n: string }>(db.url, 'SELECT count(*) AS n FROM users');
  const [posts] = await sql<{ n: string }>(db.url, 'SELECT count(*) AS n FROM posts');
  assert.deepEqual([Number(users!.n), Number(posts!.n)], [300, 100]);
});

test('restore refuses an archive whose sha256 no longer matches, and changes nothing', async (t) => {
  const db = await createTestDatabase(t, 'rs_bad');
  const dir = await mkdtemp(join(tmpdir(), 'logbook-restore-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  await sql(db.url, `CREATE TABLE t AS SELECT generate_series(1, 1000) AS id;`);
  const made = await runCli(['backup', '--db', db.url, '--dir', dir, '--verify', 'none', '--json']);
  const { path } = JSON.parse(made.stdout) as { path: string };
  await sql(db.url, `INSERT INTO t SELECT generate_series(1, 5);`);
  const handle = await open(path, 'r+');
  await handle.write(Buffer.from('X'), 0, 1, 100);
  await handle.close();

  const result = await runCli(['restore', '--from', path, '--db', db.url, '--yes']);
  assert.equal(result.code, 5);
  assert.match(result.stderr, /refusing to restore: sha256 mismatch/);
  const [row] = await sql<{ n: string }>(db.url, 'SELECT count(*) AS n FROM t');
  assert.equal(Number(row!.n), 1005);
});

test('restore replaces the whole database: tables created since the backup are gone, the old one is kept', async (t) => {
  const db = await createTestDatabase(t, 'rs_extra');
  const dir = await mkdtemp(join(tmpdir(), 'logbook-restore-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  await sql(db.url, `CREATE TABLE t AS SELECT generate_series(1, 10) AS id;`);
  const made = await runCli(['backup', '--db', db.url, '--dir', dir, '--verify', 'none', '--json']);
  const { path } = JSON.parse(made.stdout) as { path: string };
  await sql(db.url, `CREATE TABLE added_by_migration (id int);`);
  const result = await runCli(['restore', '--from', path, '--db', db.url, '--yes', '--json']);
  assert.equal(result.code, 0, result.stderr);
  const report = JSON.parse(result.stdout) as { retained: string };
  const [gone] = await sql<{ t: string | null }>(db.url, "SELECT to_regclass('public.added_by_migration')::text AS t");
  assert.equal(gone!.t, null, 'the table created after the backup is gone with the replaced database');
  const kept = withDatabase(db.url, report.retained);
  const server = withDatabase(db.url, 'postgres');
  await sql(server, `ALTER DATABASE "${report.retained}" WITH ALLOW_CONNECTIONS true`);
  const [still] = await sql<{ t: string | null }>(kept, "SELECT to_regclass('public.added_by_migration')::text AS t");
  assert.equal(still!.t, 'added_by_migration', 'the replaced database is kept as it was');
  // Opened to look at it: --drop-retained drops only a closed one (one that takes connections may be in use).
  await sql(server, `ALTER DATABASE "${report.retained}" WITH ALLOW_CONNECTIONS false`);
  const dropped = await runCli(['rollback', '--drop-retained', report.retained, '--db', db.url, '--yes']);
  assert.equal(dropped.code, 0, dropped.stderr);
});

test('restore --into NAME restores into a new database and leaves the target alone', async (t) => {
  const db = await createTestDatabase(t, 'rs_into');
  const dir = await mkdtemp(join(tmpdir(), 'logbook-restore-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  await sql(db.url, `CREATE TABLE t AS SELECT generate_series(1, 10) AS id;`);
  const made = await runCli(['backup', '--db', db.url, '--dir', dir, '--verify', 'none', '--json']);
  const { path } = JSON.parse(made.stdout) as { path: string };
  await sql(db.url, `INSERT INTO t SELECT generate_series(1, 5);`);
  const into = `${db.name}_copy`;
  t.after(() => sql(withDatabase(db.url, 'postgres'), `DROP DATABASE IF EXISTS "${into}"`));
  const result = await runCli(['restore', '--from', path, '--db', db.url, '--into', into, '--yes']);
  assert.equal(result.code, 0, result.stderr);
  const [copy] = await sql<{ n: string }>(withDatabase(db.url, into), 'SELECT count(*) AS n FROM t');
  const [live] = await sql<{ n: string }>(db.url, 'SELECT count(*) AS n FROM t');
  assert.deepEqual([Number(copy!.n), Number(live!.n)], [10, 15]);
});

test('restore without --env refuses while a run holds the database, and changes nothing', async (t) => {
  const db = await createTestDatabase(t, 'rs_lock');
  const dir = await mkdtemp(join(tmpdir(), 'logbook-restore-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  await sql(db.url, `CREATE TABLE t AS SELECT generate_series(1, 10) AS id;`);
  const made = await runCli(['backup', '--db', db.url, '--dir', dir, '--verify', 'none', '--json']);
  const { path } = JSON.parse(made.stdout) as { path: string };
  await sql(db.url, `INSERT INTO t SELECT generate_series(1, 5);`);
  // A migration run is in progress on this database (from CI, say): it holds the environment lock.
  const held = await acquireDatabaseLock({ url: db.url, runId: 'ci-run', environment: 'production' });
  t.after(() => held.release().catch(() => {}));
  const result = await runCli(['restore', '--from', path, '--db', db.url, '--yes', '--space-checked'], { cwd: dir });
  assert.equal(result.code, 13, result.stderr);
  assert.match(result.stderr, /run ci-run \(production\)/);
  const [live] = await sql<{ n: string }>(db.url, 'SELECT count(*) AS n FROM t');
  assert.equal(Number(live!.n), 15, 'the database was not replaced under the run');
  assert.deepEqual(await sql(db.url, 'SELECT run_id FROM logbook.lock'), [{ run_id: 'ci-run' }], "the run's lock row is still there");
  await held.release();
  const after = await runCli(['restore', '--from', path, '--db', db.url, '--yes', '--space-checked', '--json'], { cwd: dir });
  assert.equal(after.code, 0, after.stderr);
  const { retained } = JSON.parse(after.stdout) as { retained: string };
  t.after(() => sql(withDatabase(db.url, 'postgres'), `DROP DATABASE IF EXISTS "${retained}"`));
  assert.deepEqual(await sql(db.url, 'SELECT run_id FROM logbook.lock'), [], 'the restore released its own lock');
});
