// The README's SQL for an administrator: the same statements the tool runs, and enough for a role that cannot create schemas.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { acquireDatabaseLock } from '../../../src/adapters/pg/environment-lock.ts';
import { logbookSchemaDdl } from '../../../src/adapters/pg/logbook-schema.ts';
import { createTestDatabase, sql } from '../../helpers/postgres.ts';

const flat = (text: string) => text.replace(/\s+/g, ' ').trim();

function readmeSql(): string {
  const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
  const from = readme.indexOf('For a role that may not create schemas');
  const block = /```sql\n([\s\S]*?)```/.exec(readme.slice(from));
  assert.ok(from >= 0 && block, 'the README documents the administrator SQL');
  return block[1]!;
}

test('the README block holds exactly the statements the tool runs to create its schema', () => {
  const statements = readmeSql()
    .split(/;\s*$/m)
    .map(flat)
    .filter((s) => s && !s.startsWith('GRANT'));
  assert.deepEqual(statements, logbookSchemaDdl().map(flat));
});

test('after the README SQL, a role without CREATE on the database takes the lock and writes the lock row', async (t) => {
  const db = await createTestDatabase(t, 'admin_sql');
  const role = `deployer_${process.pid}_${Date.now().toString(36)}`;
  await sql(db.url, `CREATE ROLE ${role} LOGIN PASSWORD 'deployer-password'`);
  t.after(async () => {
    await sql(db.url, `DROP OWNED BY ${role}`).catch(() => {});
  });
  await sql(db.url, readmeSql().replaceAll('deployer', role));
  const asRole = new URL(db.url);
  asRole.username = role;
  asRole.password = 'deployer-password';
  const [canCreate] = await sql<{ can: boolean }>(asRole.toString(), "SELECT has_database_privilege(current_database(), 'CREATE') AS can");
  assert.equal(canCreate?.can, false, 'the role cannot create the schema itself');
  const lock = await acquireDatabaseLock({ url: asRole.toString(), runId: 'production-1', environment: 'production' });
  const [row] = await sql<{ run_id: string }>(db.url, 'SELECT run_id FROM logbook.lock');
  await lock.release();
  assert.equal(row?.run_id, 'production-1');
});
