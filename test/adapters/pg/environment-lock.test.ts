// The database-held environment lock: one run per database across processes and machines, abandoned runs reported, adoption by run id.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { hostname } from 'node:os';
import { test } from 'node:test';
import { connect } from '../../../src/adapters/pg/client.ts';
import { acquireDatabaseLock, readLockHolder } from '../../../src/adapters/pg/environment-lock.ts';
import { LogbookError } from '../../../src/cli/errors.ts';
import { createTestDatabase, sql } from '../../helpers/postgres.ts';

async function lockError(promise: Promise<unknown>): Promise<LogbookError> {
  const error = await promise.then(
    () => assert.fail('expected the lock to be refused'),
    (e: unknown) => e,
  );
  assert.ok(error instanceof LogbookError, String(error));
  return error;
}

test('a second run on the same database is refused with exit 13, naming the holder; two environment names share one lock', async (t) => {
  const db = await createTestDatabase(t);
  const first = await acquireDatabaseLock({ url: db.url, runId: 'production-1', environment: 'production' });
  const refused = await lockError(acquireDatabaseLock({ url: db.url, runId: 'prod-alias-2', environment: 'prod-alias' }));
  assert.equal(refused.outcome, 'locked');
  assert.match(refused.message, /run production-1 \(production\) on .+ \(process \d+\)/);
  assert.ok(refused.message.includes(hostname()));

  await first.release();
  const second = await acquireDatabaseLock({ url: db.url, runId: 'prod-alias-2', environment: 'prod-alias' });
  const [row] = await sql<{ run_id: string }>(db.url, 'SELECT run_id FROM logbook.lock');
  assert.equal(row?.run_id, 'prod-alias-2');
  await second.release();
  assert.deepEqual(await sql(db.url, 'SELECT * FROM logbook.lock'), []);
});

test('--wait waits for the holder to release, and gives up with exit 13 when the time runs out', async (t) => {
  const db = await createTestDatabase(t);
  const first = await acquireDatabaseLock({ url: db.url, runId: 'a', environment: 'staging' });
  const timedOut = await lockError(acquireDatabaseLock({ url: db.url, runId: 'b', environment: 'staging', waitMs: 300 }));
  assert.equal(timedOut.outcome, 'locked');
  setTimeout(() => void first.release(), 300);
  const waited = await acquireDatabaseLock({ url: db.url, runId: 'b', environment: 'staging', waitMs: 10_000 });
  const [row] = await sql<{ run_id: string }>(db.url, 'SELECT run_id FROM logbook.lock');
  assert.equal(row?.run_id, 'b');
  await waited.release();
});

test('a run whose process was killed leaves its row: new runs are refused, naming the run and its host; resume adopts it by run id', async (t) => {
  const db = await createTestDatabase(t);
  const script = `
    const { acquireDatabaseLock } = await import(${JSON.stringify(new URL('../../../src/adapters/pg/environment-lock.ts', import.meta.url).href)});
    await acquireDatabaseLock({ url: process.env.URL, runId: 'production-killed', environment: 'production' });
    console.log('locked');
    setInterval(() => {}, 1000);`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], { env: { ...process.env, URL: db.url }, stdio: ['ignore', 'pipe', 'inherit'] });
  await once(child.stdout!, 'data');
  const whileAlive = await lockError(acquireDatabaseLock({ url: db.url, runId: 'other', environment: 'production' }));
  assert.equal(whileAlive.code, 'E_LOCKED');
  child.kill('SIGKILL');
  await once(child, 'exit');

  // The server notices the dead session at once (its socket closed); the advisory lock is free, the row stays.
  let refused: LogbookError | undefined;
  for (let i = 0; i < 50 && refused?.code !== 'E_STALE_LOCK'; i++) {
    refused = await lockError(acquireDatabaseLock({ url: db.url, runId: 'other', environment: 'production' }));
    if (refused.code !== 'E_STALE_LOCK') await new Promise((r) => setTimeout(r, 100));
  }
  assert.equal(refused?.code, 'E_STALE_LOCK');
  assert.equal(refused?.outcome, 'locked');
  assert.match(refused!.message, /run production-killed \(production\) on \S+/);
  assert.match(refused!.hint ?? '', /logbook resume --run production-killed/);

  const adopted = await acquireDatabaseLock({ url: db.url, runId: 'production-killed', environment: 'production', adopt: true });
  assert.equal(adopted.adopted?.runId, 'production-killed');
  await adopted.detach('resume', { step: 'migrate' });
  const client = await connect(db.url);
  const holder = await readLockHolder(client).finally(() => client.end());
  assert.equal(holder?.awaits, 'resume');
  assert.equal(holder?.pid, null);
  assert.deepEqual(holder?.journal, { step: 'migrate' });
});

test('the lock is keyed on the cluster and database, not the URL: another host name for the same server is serialised', async (t) => {
  const db = await createTestDatabase(t);
  const viaIp = db.url;
  const viaName = db.url.replace('127.0.0.1', 'localhost');
  assert.notEqual(viaIp, viaName);
  const first = await acquireDatabaseLock({ url: viaIp, runId: 'one', environment: 'production' });
  const refused = await lockError(acquireDatabaseLock({ url: viaName, runId: 'two', environment: 'production' }));
  await first.release();
  assert.equal(refused.outcome, 'locked');
});

test('read-only callers never create the tool schema', async (t) => {
  const db = await createTestDatabase(t);
  const client = await connect(db.url);
  assert.equal(await readLockHolder(client).finally(() => client.end()), null);
  const [row] = await sql<{ present: boolean }>(db.url, "SELECT to_regnamespace('logbook') IS NOT NULL AS present");
  assert.equal(row?.present, false);
});

test('an interrupted rollback or restore left behind is reported with `resume --run` and `abort --run`, which handle them', async (t) => {
  const db = await createTestDatabase(t);
  const rollback = await acquireDatabaseLock({ url: db.url, runId: 'rollback-2026-01-01-add-players-production', environment: 'production' });
  await rollback.detach('resume');
  const refused = await lockError(acquireDatabaseLock({ url: db.url, runId: 'production-2', environment: 'production' }));
  assert.equal(refused.code, 'E_STALE_LOCK');
  assert.match(refused.hint ?? '', /logbook resume --run rollback-2026-01-01-add-players-production`/);
  assert.match(refused.hint ?? '', /logbook abort --run rollback-2026-01-01-add-players-production` \(before the swap only\)/);
  await sql(db.url, 'DELETE FROM logbook.lock');

  const restore = await acquireDatabaseLock({ url: db.url, runId: 'restore-m1x2', environment: 'production' });
  await restore.detach('resume');
  const afterRestore = await lockError(acquireDatabaseLock({ url: db.url, runId: 'production-3', environment: 'production' }));
  assert.match(afterRestore.hint ?? '', /logbook resume --run restore-m1x2`.*logbook abort --run restore-m1x2`/s);
});
