// `logbook rollback` restores beside and swaps: after it, the database equals one that was never migrated.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { TestContext } from 'node:test';
import { describe, it } from 'node:test';
import { assertSameDatabase } from '../helpers/database-equivalence.ts';
import { sql, testServerUrl } from '../helpers/postgres.ts';
import { MIGRATION, migratedFixture, newestRecord } from '../helpers/rollback-fixture.ts';

const migrated = (t: TestContext, migration: string, setup?: string) => migratedFixture(t, migration, setup === undefined ? {} : { setup });
const onlyRecord = newestRecord;

async function rollBackAndCompare(t: TestContext, migration: string, setup?: string) {
  const m = await migrated(t, migration, setup);
  const rolled = await m.f.cli(['rollback', '--record', m.record.id, '--yes']);
  assert.equal(rolled.code, 0, rolled.stderr);
  await assertSameDatabase(m.f.url, m.reference);
  const updated = onlyRecord(m.f).record;
  assert.equal(updated.status, 'rolled-back');
  assert.equal(updated.rollback!.matchesBackup, true);
  const retained = updated.rollback!.retainedDatabase!;
  assert.match(rolled.stdout, new RegExp(`kept as ${retained}`));
  assert.match(rolled.stdout, new RegExp(`migrations pending again: ${MIGRATION}`));

  const status = await m.f.cli(['status', '--env', m.f.ws.environment, '--json']);
  assert.deepEqual((JSON.parse(status.stdout) as { pending: string[] }).pending, [MIGRATION]);
  assert.equal((await m.f.cli(['verify'])).code, 0, 'the record still verifies, with its rollback digest');

  const dropped = await m.f.cli(['rollback', '--drop-retained', retained, '--env', m.f.ws.environment, '--yes']);
  assert.equal(dropped.code, 0, dropped.stderr);
  const redeployed = await m.f.run();
  assert.equal(redeployed.code, 0, `re-deploying the rolled-back migration succeeds: ${redeployed.stderr}`);
  return { ...m, rolled, updated };
}

describe('rollback restores beside and swaps: the database equals one never migrated', () => {
  it('a migration adding a table and a FK from an existing table to it', async (t) => {
    await rollBackAndCompare(
      t,
      "CREATE TABLE teams (id int PRIMARY KEY, name text); INSERT INTO teams VALUES (1, 'a'); ALTER TABLE players ADD COLUMN team_id int REFERENCES teams(id); UPDATE players SET team_id = 1 WHERE id % 2 = 0;",
    );
  });

  it('a migration creating an enum type, an extension and columns using them', async (t) => {
    await rollBackAndCompare(
      t,
      "CREATE TYPE tier AS ENUM ('gold', 'silver'); CREATE EXTENSION citext; ALTER TABLE players ADD COLUMN tier tier DEFAULT 'gold', ADD COLUMN nick citext;",
    );
  });

  it('a migration creating a view over an existing table and a function', async (t) => {
    await rollBackAndCompare(
      t,
      'CREATE VIEW top_players AS SELECT * FROM players ORDER BY id LIMIT 5; CREATE FUNCTION player_count() RETURNS bigint LANGUAGE sql AS $$ SELECT count(*) FROM players $$;',
    );
  });

  it('a migration creating "users.v2" beside users and a schema-qualified name with a dot; users keeps its rows', async (t) => {
    const { f, rolled } = await rollBackAndCompare(
      t,
      'CREATE TABLE "users.v2" (id int PRIMARY KEY); CREATE SCHEMA "app.v2"; CREATE TABLE "app.v2"."users" (id int); INSERT INTO "app.v2"."users" VALUES (1);',
      'CREATE TABLE users (id int PRIMARY KEY); INSERT INTO users SELECT generate_series(1, 40);',
    );
    assert.match(rolled.stderr, /the swap removes 3 object\(s\) created since the backup:/);
    assert.match(rolled.stderr, /table \("public", "users\.v2"\)/);
    assert.match(rolled.stderr, /schema \("app\.v2"\)/);
    const [users] = await sql<{ n: string }>(f.url, 'SELECT count(*) AS n FROM users');
    assert.equal(Number(users!.n), 40);
  });

  it('a migration that renames a column, sets NOT NULL and deletes rows', async (t) => {
    await rollBackAndCompare(
      t,
      'DELETE FROM leaderboard_entries WHERE score < 2500; ALTER TABLE leaderboard_entries RENAME COLUMN legacy_score TO old_score; ALTER TABLE players ALTER COLUMN wallet_address SET NOT NULL;',
    );
  });

  it('carries over the owner, settings, grants and comment of the live database, and says the status in the body', async (t) => {
    const m = await migrated(t, 'CREATE TABLE extra (id int);');
    const name = new URL(m.f.url).pathname.slice(1);
    const role = `ro_${Date.now().toString(36)}`;
    await sql(
      m.f.url,
      `CREATE ROLE ${role}; GRANT CONNECT ON DATABASE "${name}" TO ${role}; REVOKE TEMP ON DATABASE "${name}" FROM PUBLIC;
      ALTER DATABASE "${name}" SET search_path = app, "my schema", public; ALTER DATABASE "${name}" SET statement_timeout = '5s';
      ALTER ROLE ${role} IN DATABASE "${name}" SET work_mem = '8MB'; COMMENT ON DATABASE "${name}" IS 'the game''s database'`,
    );
    t.after(() => sql(m.f.url, `DROP OWNED BY ${role}; DROP ROLE IF EXISTS ${role}`).catch(() => {}));
    const server = await testServerUrl();
    const facts = () =>
      sql(
        server,
        `SELECT pg_get_userbyid(datdba) AS owner, (SELECT array_agg(a::text ORDER BY a::text) FROM unnest(datacl) a) AS acl, shobj_description(oid, 'pg_database') AS comment, datallowconn,
      (SELECT array_agg(coalesce(pg_get_userbyid(setrole)::text, '-') || ' ' || array_to_string(setconfig, ';') ORDER BY setrole) FROM pg_db_role_setting WHERE setdatabase = d.oid) AS settings
      FROM pg_database d WHERE datname = $1`,
        [name],
      );
    const before = await facts();
    const rolled = await m.f.cli(['rollback', '--record', m.record.id, '--yes']);
    assert.equal(rolled.code, 0, rolled.stderr);
    assert.deepEqual(await facts(), before);
    const source = readFileSync(m.file, 'utf8');
    assert.match(source, /\*\*Status:\*\* ↩️ rolled back \(was success\)/);
    assert.doesNotMatch(source, /\*\*Status:\*\* ✅ success/);
    assert.match(source, /the replaced database is kept as `[^`]+_replaced_\d{8}T\d{6}`/);
    const retained = onlyRecord(m.f).record.rollback!.retainedDatabase!;
    const [kept] = await sql<{ datallowconn: boolean }>(server, 'SELECT datallowconn FROM pg_database WHERE datname = $1', [retained]);
    assert.equal(kept?.datallowconn, false, 'the replaced database is kept, closed to connections');
    await sql(server, `DROP DATABASE "${retained}"`);
  });
});
