// A database closed to connections is reopened by `resume` / `abort` only when a copy of that very database is
// beside it (a swap interrupted mid-way), not because another database's copy has a name it starts with.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { withDatabase } from '../../src/adapters/pg/client.ts';
import { runCli } from '../helpers/cli.ts';
import { createTestDatabase, sql, testServerUrl } from '../helpers/postgres.ts';

test('abort leaves a database closed by hand closed when only a shorter-named database has a _restoring_ copy', async (t) => {
  const db = await createTestDatabase(t, 'shop_eu');
  const server = await testServerUrl();
  const cwd = await mkdtemp(join(tmpdir(), 'logbook-reopen-'));
  // Another database, "shop", is being restored beside right now: its copy's name is a prefix of ours plus the suffix.
  const other = `shop_restoring_20250101T000000`;
  await sql(server, `CREATE DATABASE "${other}"`);
  t.after(async () => {
    await sql(server, `DROP DATABASE IF EXISTS "${other}"`);
    await rm(cwd, { recursive: true, force: true });
  });
  // A DBA closed ours on purpose.
  await sql(server, `ALTER DATABASE "${db.name}" WITH ALLOW_CONNECTIONS false`);
  const aborted = await runCli(['abort', '--db', db.url], { cwd });
  assert.notEqual(aborted.code, 0);
  assert.doesNotMatch(aborted.stderr, /by an interrupted swap/);
  const [row] = await sql<{ datallowconn: boolean }>(withDatabase(server, 'postgres'), 'SELECT datallowconn FROM pg_database WHERE datname = $1', [db.name]);
  assert.equal(row!.datallowconn, false, 'still closed, as the DBA left it');
});
