// Rows written while the backup is restored beside (the app is still live then) are found before the swap, not
// discarded silently: the first writes check runs before a restore that may take an hour.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { sql } from '../helpers/postgres.ts';
import { migratedFixture, newestRecord, siblingDatabases } from '../helpers/rollback-fixture.ts';

const ENTRY = fileURLToPath(new URL('../../scripts/logbook.mjs', import.meta.url));

async function rollbackWithWriteDuringRestore(m: Awaited<ReturnType<typeof migratedFixture>>, extra: string[]) {
  const child = spawn(process.execPath, [ENTRY, 'rollback', '--config', m.f.ws.configFile, '--record', m.record.id, '--yes', ...extra], {
    cwd: m.f.ws.dir,
    env: { ...process.env, ...m.f.env, LOGBOOK_TEST_ROLLBACK_PAUSE: 'restore', LOGBOOK_TEST_ROLLBACK_PAUSE_MS: '1500' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stdout.resume();
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  for (let i = 0; i < 600 && !stderr.includes('paused at restore'); i++) await new Promise((r) => setTimeout(r, 50));
  assert.match(stderr, /paused at restore/);
  // The app writes an order while the restore beside runs.
  await sql(m.f.url, 'INSERT INTO orders VALUES (7)');
  const code = await new Promise<number | null>((r) => child.once('close', r));
  return { code, stderr };
}

describe('writes while the backup is restored beside', () => {
  it('are refused before the swap without --accept-data-loss: the order stays, nothing left behind', async (t) => {
    const m = await migratedFixture(t, 'CREATE TABLE teams (id int PRIMARY KEY);', { setup: 'CREATE TABLE orders (id int PRIMARY KEY);' });
    const source = readFileSync(m.file, 'utf8');
    const r = await rollbackWithWriteDuringRestore(m, []);
    assert.equal(r.code, 10, r.stderr);
    assert.match(r.stderr, /\("public", "orders"\): 0 rows after the migration, 1 now/);
    assert.deepEqual(await sql(m.f.url, 'SELECT id FROM orders'), [{ id: 7 }], 'the order written during the restore is still there');
    assert.equal(readFileSync(m.file, 'utf8'), source, 'the record is unchanged');
    assert.deepEqual(await siblingDatabases(m.f), []);
    assert.deepEqual(await sql(m.f.url, 'SELECT run_id FROM logbook.lock'), [], 'lock released');
  });

  it('are recorded as accepted data loss with --accept-data-loss', async (t) => {
    const m = await migratedFixture(t, 'CREATE TABLE teams (id int PRIMARY KEY);', { setup: 'CREATE TABLE orders (id int PRIMARY KEY);' });
    const r = await rollbackWithWriteDuringRestore(m, ['--accept-data-loss']);
    assert.equal(r.code, 0, r.stderr);
    const accepted = newestRecord(m.f).record.rollback!.dataLossAccepted ?? [];
    assert.deepEqual(
      accepted.map((w) => [w.name, w.rowsAfterMigration, w.rowsBeforeRollback]),
      [['orders', 0, 1]],
    );
    assert.deepEqual(await sql(m.f.url, 'SELECT id FROM orders'), [], 'rolled back to the backup, as accepted');
  });
});
