// countTablesExactly: small tables counted many to a statement, big ones alone, and a table over the timeout gets a
// reason while the others are still counted.
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

test('small tables are counted together: one statement for the batch, between one set-up and the commit', async (t) => {
  const url = await threeTables(t);
  const query = t.mock.method(pg.Client.prototype, 'query');
  const outcomes = await countTablesExactly(url, TABLES, { concurrency: 1, timeoutMs: 10_000 });
  query.mock.restore();
  assert.deepEqual(Object.fromEntries(outcomes), {
    [tableKey({ schema: 'public', name: 'first' })]: { ok: true, rows: 3 },
    [tableKey({ schema: 'public', name: 'locked' })]: { ok: true, rows: 5 },
    [tableKey({ schema: 'public', name: 'last' })]: { ok: true, rows: 7 },
  });
  // Transaction (and snapshot), limits (set_config parameters), the planner's estimates (none were given), the batch, COMMIT.
  assert.equal(query.mock.callCount(), 5);
});

test('a table estimated big is counted on its own, so one statement stays small', async (t) => {
  const url = await threeTables(t);
  const query = t.mock.method(pg.Client.prototype, 'query');
  const hinted = TABLES.map((table) => ({ ...table, rowsHint: table.name === 'locked' ? 5_000_000 : 10 }));
  const outcomes = await countTablesExactly(url, hinted, { concurrency: 1, timeoutMs: 10_000 });
  query.mock.restore();
  assert.deepEqual(
    [...outcomes.values()].map((o) => o.ok && o.rows),
    [3, 5, 7],
  );
  // Transaction, limits, [first], [locked], [last], COMMIT: the estimates were given, so none are read.
  assert.equal(query.mock.callCount(), 6);
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
