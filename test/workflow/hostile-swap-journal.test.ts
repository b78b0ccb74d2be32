// The journal `abort` / `resume` read from the database's lock row is data, not an instruction: a journal naming
// another database as the half-restored copy must not get that database dropped.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { acquireDatabaseLock } from '../../src/adapters/pg/environment-lock.ts';
import { runCli } from '../helpers/cli.ts';
import { createTestDatabase, sql, testServerUrl } from '../helpers/postgres.ts';

test('abort refuses to drop a "copy" the lock row names that is not a _restoring_ copy of the database', async (t) => {
  const db = await createTestDatabase(t, 'hj');
  const victim = await createTestDatabase(t, 'hj_victim');
  await sql(victim.url, 'CREATE TABLE orders (id int PRIMARY KEY); INSERT INTO orders VALUES (1)');
  const cwd = await mkdtemp(join(tmpdir(), 'logbook-hostile-journal-'));
  t.after(() => rm(cwd, { recursive: true, force: true }));
  const [{ oid }] = (await sql<{ oid: string }>(await testServerUrl(), 'SELECT oid::text FROM pg_database WHERE datname = $1', [db.name])) as [{ oid: string }];
  // A lock row whose journal (edited, or carried from elsewhere) names the victim as the restore's copy.
  const lock = await acquireDatabaseLock({ url: db.url, runId: 'restore-evil', environment: '' });
  await lock.detach('resume', {
    kind: 'restore',
    runId: 'restore-evil',
    environment: '',
    startedAt: '2026-01-01T00:00:00.000Z',
    live: db.name,
    liveOid: oid,
    allowConnections: true,
    restoring: victim.name,
    retained: `${db.name}_replaced_20260101T000000`,
    systemIdentifier: null,
    phase: 'restoring',
    archivePath: '/nonexistent.dump',
  });
  const aborted = await runCli(['abort', '--db', db.url], { cwd });
  assert.equal(aborted.code, 10, aborted.stderr);
  assert.match(aborted.stderr, /not a name a restore beside gives; nothing was dropped or changed/);
  assert.deepEqual(await sql(victim.url, 'SELECT id FROM orders'), [{ id: 1 }], 'the database the journal named is untouched');
});
