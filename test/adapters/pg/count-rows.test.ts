// countTablesExactly: one round trip per table, and a table over the timeout gets a reason while the others are still counted.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import pg from 'pg';
import { countTablesExactly } from '../../../src/adapters/pg/count-rows.ts';
import { tableKey } from '../../../src/core/names.ts';
import { createTestDatabase, sql } from '../../helpers/postgres.ts';

const TABLES = [
  { schema: 'public', name: 'first' },
  { schema: 'public', name: 'locked' },
  { schema: 'public', name: 'last' },
];

async function threeTables(t: test.TestContext): Promise<string> {
  const db = await createTestDatabase(t);
  await sql(
    db.url,
    `CREATE TABLE first AS SELECT g AS id FROM generate_series(1, 3) g;
     CREATE TABLE locked AS SELECT g AS id FROM generate_series(1, 5) g;
     CREATE TABLE last AS SELECT g AS id FROM generate_series(1, 7) g;`,
  );
  return db.url;
}

test('each table costs one query: savepoint, timeout, count and release travel together', async (t) => {
  const url = await threeTables(t);
  const query = t.mock.method(pg.Client.prototype, 'query');
  const outcomes = await countTablesExactly(url, TABLES, { concurrency: 1, timeoutMs: 10_000 });
  query.mock.restore();
  assert.deepEqual(Object.fromEntries(outcomes), {
    [tableKey({ schema: 'public', name: 'first' })]: { ok: true, rows: 3 },
    [tableKey({ schema: 'public', name: 'locked' })]: { ok: true, rows: 5 },
    [tableKey({ schema: 'public', name: 'last' })]: { ok: true, rows: 7 },
  });
  // BEGIN, SET LOCAL lock_timeout, one per table, COMMIT.
  assert.equal(query.mock.callCount(), TABLES.length + 3);
});

test('a count over the statement timeout is recorded with its reason, and the tables after it are still counted', async (t) => {
  const url = await threeTables(t);
  const holder = new pg.Client({ connectionString: url });
  await holder.connect();
  try {
    // The count waits for the lock until statement_timeout (well below lock_timeout) cancels it: no race with the clock.
    await holder.query('BEGIN; LOCK TABLE public.locked IN ACCESS EXCLUSIVE MODE');
    const outcomes = await countTablesExactly(url, TABLES, { concurrency: 1, timeoutMs: 100, lockTimeoutMs: 600_000 });
    assert.deepEqual(Object.fromEntries(outcomes), {
      [tableKey({ schema: 'public', name: 'first' })]: { ok: true, rows: 3 },
      [tableKey({ schema: 'public', name: 'locked' })]: { ok: false, reason: 'count(*) exceeded 100 ms', code: '57014' },
      [tableKey({ schema: 'public', name: 'last' })]: { ok: true, rows: 7 },
    });
  } finally {
    await holder.end();
  }
});
