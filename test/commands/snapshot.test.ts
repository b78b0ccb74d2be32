// logbook snapshot end to end: output, flags, error classes with exit codes, and the password never shown.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { withDatabase } from '../../src/adapters/pg/client.ts';
import { snapshotSchema } from '../../src/schemas/snapshot.ts';
import { runCli } from '../helpers/cli.ts';
import { createTestDatabase, sql } from '../helpers/postgres.ts';

const PASSWORD = 'Hunter2-very-secret-pw';

/** A role that must log in with PASSWORD (the throwaway cluster only trusts `postgres`). */
async function roleUrl(t: Parameters<typeof createTestDatabase>[0], dbUrl: string, dbName: string, password = PASSWORD): Promise<string> {
  const role = `app_${dbName}`;
  await sql(dbUrl, `CREATE ROLE ${role} LOGIN PASSWORD '${PASSWORD}'; GRANT SELECT ON ALL TABLES IN SCHEMA public TO ${role}`);
  t.after(() => sql(withDatabase(dbUrl, 'postgres'), `DROP ROLE IF EXISTS ${role}`).then(() => {}));
  const url = new URL(dbUrl);
  url.username = role;
  url.password = password;
  return url.toString();
}

const noSecret = (text: string) => assert.ok(!text.includes(PASSWORD) && !text.includes(encodeURIComponent(PASSWORD)), `password leaked:\n${text}`);

test('snapshot as a password role: JSON parses with the schema and the password appears nowhere', async (t) => {
  const db = await createTestDatabase(t);
  await sql(db.url, 'CREATE TABLE t (id int PRIMARY KEY); INSERT INTO t SELECT generate_series(1, 42)');
  const url = await roleUrl(t, db.url, db.name);

  const json = await runCli(['snapshot', '--json'], { env: { DATABASE_URL: url } });
  assert.equal(json.code, 0, json.stderr);
  const snapshot = snapshotSchema.parse(JSON.parse(json.stdout));
  assert.equal(snapshot.tables.find((table) => table.name === 't')?.rows, 42);
  noSecret(json.stdout + json.stderr);

  const text = await runCli(['snapshot', '--db', url]);
  assert.equal(text.code, 0, text.stderr);
  assert.match(text.stdout, /public\.t\s+42 rows \(exact\)/);
  assert.match(text.stderr, /:\*\*\*@127\.0\.0\.1/, 'the URL is shown redacted');
  noSecret(text.stdout + text.stderr);
});

test('connection failures: one line of cause, one of what to do, a class exit code, and no password', async (t) => {
  const db = await createTestDatabase(t);
  const url = await roleUrl(t, db.url, db.name);

  const wrong = await runCli(['snapshot', '--db', url.replace(encodeURIComponent(PASSWORD), `${PASSWORD}-typo`)]);
  assert.equal(wrong.code, 3);
  assert.match(wrong.stderr, /error: taking a snapshot: authentication failed for .*:\*\*\*@/);
  assert.match(wrong.stderr, /next: check the user and password/);
  noSecret(wrong.stdout + wrong.stderr);

  const missing = await runCli(['snapshot', '--json', '--db', withDatabase(url, 'no_such_database')]);
  assert.equal(missing.code, 3);
  assert.match(missing.stderr, /database does not exist/);
  noSecret(missing.stdout + missing.stderr);

  const unreachable = await runCli(['snapshot', '--db', url.replace(/:(\d+)\//, ':1/')]);
  assert.equal(unreachable.code, 3);
  assert.match(unreachable.stderr, /nothing is listening/);
  noSecret(unreachable.stdout + unreachable.stderr);

  await sql(db.url, `REVOKE CONNECT ON DATABASE ${db.name} FROM PUBLIC`);
  const denied = await runCli(['snapshot', '--db', url]);
  assert.equal(denied.code, 4);
  assert.match(denied.stderr, /permission denied/);
  noSecret(denied.stdout + denied.stderr);
});

test('--exact and --estimate together are a usage error', async () => {
  const result = await runCli(['snapshot', '--exact', '--estimate', '--db', 'postgresql://x@127.0.0.1:1/x']);
  assert.equal(result.code, 2);
  assert.match(result.stderr, /contradict/);
});
