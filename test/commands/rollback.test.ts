// `logbook rollback` on migrations that create objects the backup does not hold.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parseRecordFile } from '../../src/core/record/parse-record.ts';
import { addMigration } from '../../src/demo/workspace.ts';
import type { MigrationRecord } from '../../src/schemas/record.ts';
import { sql } from '../helpers/postgres.ts';
import { makeRunFixture, type RunFixture } from '../helpers/run-fixture.ts';

function onlyRecord(f: RunFixture): { file: string; record: MigrationRecord } {
  const [name] = readdirSync(f.ws.recordsDir).filter((n) => n.endsWith('.mdx'));
  const file = join(f.ws.recordsDir, name!);
  const parsed = parseRecordFile(readFileSync(file, 'utf8'), name!);
  assert.ok(parsed.ok);
  return { file, record: parsed.value.record };
}

async function schemaOf(url: string): Promise<unknown> {
  return sql(url, `SELECT n.nspname, c.relname, c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                    WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%' ORDER BY 1, 2`);
}

async function migrateThenRollBack(t: Parameters<typeof makeRunFixture>[0], migration: string, setup?: string) {
  const f = await makeRunFixture(t);
  if (setup) await sql(f.url, setup);
  await addMigration(f.ws, '20251220090000_under_test', { sql: migration });
  const ran = await f.run();
  assert.equal(ran.code, 0, ran.stderr);
  const { file, record } = onlyRecord(f);
  const before = { schema: await schemaOf(f.url), source: readFileSync(file, 'utf8') };
  const rolled = await f.cli(['rollback', '--record', record.id, '--yes']);
  return { f, file, record, before, rolled };
}

describe('rollback stop-gap: objects the backup does not hold', () => {
  it('refuses a migration that added a table and a FK from an existing table to it, changing nothing', async (t) => {
    const { f, file, before, rolled } = await migrateThenRollBack(t, 'CREATE TABLE teams (id int PRIMARY KEY); ALTER TABLE players ADD COLUMN team_id int REFERENCES teams(id);');
    assert.equal(rolled.code, 10, rolled.stderr);
    assert.match(rolled.stderr, /table \("public", "teams"\)/);
    assert.match(rolled.stderr, /Nothing was changed/);
    assert.deepEqual(await schemaOf(f.url), before.schema);
    assert.equal(readFileSync(file, 'utf8'), before.source, 'the record is untouched');
  });

  it('refuses a migration that created an enum type and an extension', async (t) => {
    const { f, rolled, before } = await migrateThenRollBack(t, "CREATE TYPE tier AS ENUM ('gold', 'silver'); CREATE EXTENSION citext; ALTER TABLE players ADD COLUMN tier tier, ADD COLUMN nick citext;");
    assert.equal(rolled.code, 10, rolled.stderr);
    assert.match(rolled.stderr, /type \("public", "tier"\)/);
    assert.match(rolled.stderr, /extension \("citext"\)/);
    assert.doesNotMatch(rolled.stderr, /function \("public", "citext/, 'extension members are not listed on their own');
    assert.deepEqual(await schemaOf(f.url), before.schema);
  });

  it('refuses a migration that created "users.v2" beside users, and users keeps its rows', async (t) => {
    const { f, rolled } = await migrateThenRollBack(t, 'CREATE TABLE "users.v2" (id int PRIMARY KEY);', 'CREATE TABLE users (id int PRIMARY KEY); INSERT INTO users SELECT generate_series(1, 40);');
    assert.equal(rolled.code, 10, rolled.stderr);
    assert.match(rolled.stderr, /table \("public", "users\.v2"\)/);
    const [users] = await sql<{ n: string }>(f.url, 'SELECT count(*) AS n FROM users');
    assert.equal(Number(users!.n), 40);
    const [v2] = await sql<{ t: string | null }>(f.url, `SELECT to_regclass('public."users.v2"')::text AS t`);
    assert.equal(v2!.t, '"users.v2"');
  });
});
