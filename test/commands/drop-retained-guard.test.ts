// `rollback --drop-retained` drops only a database a swap left closed: one named like a kept database that takes
// connections may be what the app now uses (pointed at it by hand to go back), and DROP ... WITH (FORCE) would end its sessions.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { withDatabase } from '../../src/adapters/pg/client.ts';
import { runCli } from '../helpers/cli.ts';
import { createTestDatabase, sql, testServerUrl } from '../helpers/postgres.ts';

test('--drop-retained refuses a database named like a kept one that takes connections, and drops it once closed', async (t) => {
  const db = await createTestDatabase(t, 'dr');
  const server = await testServerUrl();
  const name = `${db.name}_replaced_20250101T000000`;
  await sql(server, `CREATE DATABASE "${name}"`);
  t.after(() => sql(server, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
  await sql(withDatabase(server, name), 'CREATE TABLE orders (id int PRIMARY KEY); INSERT INTO orders VALUES (1)');
  const exists = async () => (await sql(server, 'SELECT 1 FROM pg_database WHERE datname = $1', [name])).length === 1;

  const refused = await runCli(['rollback', '--drop-retained', name, '--db', db.url, '--yes']);
  assert.equal(refused.code, 10, refused.stderr);
  assert.match(refused.stderr, /takes connections/);
  assert.match(refused.stderr, /nothing was changed/);
  assert.ok(await exists(), 'not dropped');
  assert.deepEqual(await sql(withDatabase(server, name), 'SELECT id FROM orders'), [{ id: 1 }]);

  await sql(server, `ALTER DATABASE "${name}" WITH ALLOW_CONNECTIONS false`);
  const dropped = await runCli(['rollback', '--drop-retained', name, '--db', db.url, '--yes']);
  assert.equal(dropped.code, 0, dropped.stderr);
  assert.equal(await exists(), false);
});
