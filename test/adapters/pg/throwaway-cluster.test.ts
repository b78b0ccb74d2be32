import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createTestDatabase, sql } from '../../helpers/postgres.ts';

test('a fresh test database on the throwaway server answers through pg', async (t) => {
  const db = await createTestDatabase(t);
  await sql(db.url, 'CREATE TABLE t (id int); INSERT INTO t SELECT generate_series(1, 42)');
  const [row] = await sql<{ n: number }>(db.url, 'SELECT count(*)::int AS n FROM t');
  assert.equal(row?.n, 42);
  const [who] = await sql<{ db: string }>(db.url, 'SELECT current_database() AS db');
  assert.equal(who?.db, db.name);
});
