// Every rollback refusal exits 10 (13 for a held lock) with a clear message, and changes nothing: same database, same record, no copies.
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { addMigration } from '../../scripts/demo/workspace.ts';
import { runCli } from '../helpers/cli.ts';
import { fingerprint } from '../helpers/database-equivalence.ts';
import { sql } from '../helpers/postgres.ts';
import { migratedFixture, newestRecord, siblingDatabases } from '../helpers/rollback-fixture.ts';

describe('rollback refusals change nothing', () => {
  it('swapped archive, edited record, wrong database, lock held, missing CREATEDB, writes since, later record, unconfigured environment', async (t) => {
    const { f, file, record, reference } = await migratedFixture(
      t,
      'CREATE TABLE teams (id int PRIMARY KEY); ALTER TABLE players ADD COLUMN team_id int REFERENCES teams(id);',
    );
    const source = readFileSync(file, 'utf8');
    const [server] = await sql<{ id: string }>(f.url, 'SELECT system_identifier::text AS id FROM pg_control_system()');
    assert.equal(record.database.systemIdentifier, server!.id, 'the record names its server, which rollback compares');
    const before = await fingerprint(f.url);
    const unchanged = async (what: string) => {
      assert.deepEqual(await fingerprint(f.url), before, `${what}: the database is unchanged`);
      assert.equal(readFileSync(file, 'utf8'), source, `${what}: the record is unchanged`);
      assert.deepEqual(await siblingDatabases(f), [], `${what}: no restoring or replaced copy was left`);
    };
    const rollback = (extra: string[] = [], env: Record<string, string | undefined> = {}) => f.cli(['rollback', '--record', record.id, '--yes', ...extra], env);

    // Another backup's archive and sidecar, put where the record's backup was: consistent with each other, not with the record.
    const archive = record.backup!.path;
    const saved = mkdtempSync(join(tmpdir(), 'logbook-saved-'));
    t.after(() => rmSync(saved, { recursive: true, force: true }));
    copyFileSync(archive, join(saved, 'a'));
    copyFileSync(`${archive}.meta.json`, join(saved, 'm'));
    const other = await runCli(['backup', '--db', reference, '--dir', saved, '--verify', 'none', '--json']);
    assert.equal(other.code, 0, other.stderr);
    const otherPath = (JSON.parse(other.stdout) as { path: string }).path;
    copyFileSync(otherPath, archive);
    copyFileSync(`${otherPath}.meta.json`, `${archive}.meta.json`);
    const swapped = await rollback();
    assert.equal(swapped.code, 10, swapped.stderr);
    assert.match(swapped.stderr, /but the record filed [0-9a-f]{16}… \(the archive and its sidecar were replaced\)/);
    await unchanged('swapped archive');
    copyFileSync(join(saved, 'a'), archive);
    copyFileSync(join(saved, 'm'), `${archive}.meta.json`);

    writeFileSync(
      file,
      // The first count of players in the compact record is the pre snapshot's: `- [players, rows, counted, bytes]`.
      source.replace(/(- \[players, )(\d+)/, (_, head: string, n: string) => `${head}${Number(n) + 1}`),
    );
    const edited = await rollback();
    assert.equal(edited.code, 10, edited.stderr);
    assert.match(edited.stderr, /its captured facts were edited after filing \(pre\)/);
    writeFileSync(file, source);
    await unchanged('edited record');

    const wrong = await rollback(['--db', reference]);
    assert.equal(wrong.code, 10, wrong.stderr);
    assert.match(wrong.stderr, /database "[^"]+_ref" is not the record's/);
    assert.match(wrong.stderr, /--target-moved/);
    await unchanged('wrong database');

    // Another run holds the environment's lock (its row in the tool's schema, as `start` on any machine leaves it).
    await sql(f.url, "INSERT INTO logbook.lock (run_id, environment, host, pid, awaits) VALUES ('staging-other-run', $1, $2, NULL, 'finish')", [
      f.ws.environment,
      hostname(),
    ]);
    const locked = await rollback();
    assert.equal(locked.code, 13, locked.stderr);
    assert.match(locked.stderr, /run staging-other-run \(staging\) on \S+ since .* awaits `logbook finish`/);
    await sql(f.url, 'DELETE FROM logbook.lock');
    await unchanged('lock held');

    const role = `nocreatedb_${Date.now().toString(36)}`;
    // The role may take the environment lock (the tool's schema), but lacks CREATEDB.
    await sql(
      f.url,
      `CREATE ROLE ${role} LOGIN PASSWORD 'pw-${role}'; GRANT pg_read_all_data TO ${role}; GRANT USAGE ON SCHEMA logbook TO ${role}; GRANT SELECT, INSERT, UPDATE, DELETE ON logbook.lock TO ${role}`,
    );
    t.after(() => sql(f.url, `DROP OWNED BY ${role}; DROP ROLE IF EXISTS ${role}`).catch(() => {}));
    const asRole = new URL(f.url);
    asRole.username = role;
    asRole.password = `pw-${role}`;
    const rights = await rollback(['--db', asRole.toString()]);
    assert.equal(rights.code, 10, rights.stderr);
    assert.match(rights.stderr, new RegExp(`the role ${role} cannot restore beside and swap: it lacks CREATEDB`));
    assert.match(rights.stderr, /ALTER DATABASE .* RENAME TO/, 'the manual procedure is printed');
    await unchanged('missing CREATEDB');

    await sql(f.url, "INSERT INTO players (wallet_address, username) VALUES ('written-after-the-migration', 'late')");
    const written = await fingerprint(f.url);
    const lossy = await rollback();
    assert.equal(lossy.code, 10, lossy.stderr);
    assert.match(lossy.stderr, /\("public", "players"\): [\d,]+ rows after the migration, [\d,]+ now/);
    assert.match(lossy.stderr, /--accept-data-loss/);
    assert.deepEqual(await fingerprint(f.url), written);
    assert.equal(readFileSync(file, 'utf8'), source);

    const config = JSON.parse(readFileSync(f.ws.configFile, 'utf8')) as { environments: Record<string, unknown> };
    writeFileSync(f.ws.configFile, JSON.stringify({ ...config, environments: { elsewhere: config.environments[f.ws.environment] } }));
    const unconfigured = await rollback([], { DATABASE_URL: f.url });
    assert.equal(unconfigured.code, 2, unconfigured.stderr);
    assert.match(unconfigured.stderr, /environment "staging" is not configured/);
    writeFileSync(f.ws.configFile, JSON.stringify(config));
    assert.deepEqual(await fingerprint(f.url), written);

    await addMigration(f.ws, '20251221090000_later', { sql: 'CREATE TABLE later_one (id int);' });
    assert.equal((await f.run()).code, 0);
    const later = newestRecord(f).record;
    const blocked = await rollback(['--accept-data-loss']);
    assert.equal(blocked.code, 10, blocked.stderr);
    assert.match(blocked.stderr, new RegExp(`later record\\(s\\) on staging would be silently undone: ${later.id}`));
    assert.match(blocked.stderr, new RegExp(`logbook rollback --record ${later.id}`));
  });

  it('--accept-data-loss rolls back past writes since the migration and records the tables', async (t) => {
    const { f, record } = await migratedFixture(t, 'CREATE TABLE teams (id int PRIMARY KEY);');
    await sql(f.url, "INSERT INTO players (wallet_address, username) VALUES ('written-after-the-migration', 'late')");
    const rolled = await f.cli(['rollback', '--record', record.id, '--yes', '--accept-data-loss']);
    assert.equal(rolled.code, 0, rolled.stderr);
    const updated = newestRecord(f).record;
    assert.deepEqual(
      updated.rollback!.dataLossAccepted!.map((w) => [w.schema, w.name, w.rowsBeforeRollback - w.rowsAfterMigration]),
      [['public', 'players', 1]],
    );
    const [gone] = await sql<{ n: string }>(f.url, "SELECT count(*) AS n FROM players WHERE wallet_address = 'written-after-the-migration'");
    assert.equal(Number(gone!.n), 0);
  });
});
