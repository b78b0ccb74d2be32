// A rollback refuses (exit 10, nothing changed) when the server lacks room for the second copy it restores beside.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { it } from 'node:test';
import { fingerprint } from '../helpers/database-equivalence.ts';
import { sql, testServerUrl } from '../helpers/postgres.ts';
import { migratedFixture, siblingDatabases } from '../helpers/rollback-fixture.ts';

it('not enough disk for the copy: exit 10, the database, the record and the server unchanged', async (t) => {
  if (process.env.LOGBOOK_TEST_DATABASE_URL) return t.skip("needs the tests' own local server (a tablespace on a local tmpfs)");
  const mountPoint = mkdtempSync(join(tmpdir(), 'logbook-tiny-rb-'));
  const server = await testServerUrl();
  const tablespace = `tiny_rb_${process.pid}_${Date.now().toString(36)}`;
  let name = '';
  t.after(async () => {
    if (name) await sql(server, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`).catch(() => {});
    await sql(server, `DROP TABLESPACE IF EXISTS ${tablespace}`).catch(() => {});
    spawnSync('umount', [mountPoint]);
    rmSync(mountPoint, { recursive: true, force: true });
  });
  const m = await migratedFixture(t, 'CREATE TABLE teams (id int PRIMARY KEY);');
  name = new URL(m.f.url).pathname.slice(1);
  const bytes = Number((await sql<{ b: string }>(server, 'SELECT pg_database_size($1)::text AS b', [name]))[0]!.b);
  // Room for the database itself and a little more, never for a second copy.
  const size = Math.ceil((bytes * 1.4) / 1048576) + 1;
  if (spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${size}m`, 'tmpfs', mountPoint]).status !== 0) return t.skip('cannot mount a tmpfs here (needs root)');
  chownSync(
    mountPoint,
    Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' })),
    Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' })),
  );
  await sql(server, `CREATE TABLESPACE ${tablespace} LOCATION '${mountPoint}'`);
  await sql(server, `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1`, [name]);
  await sql(server, `ALTER DATABASE "${name}" SET TABLESPACE ${tablespace}`);
  const before = await fingerprint(m.f.url);
  const source = readFileSync(m.file, 'utf8');
  const refused = await m.f.cli(['rollback', '--record', m.record.id, '--yes']);
  assert.equal(refused.code, 10, refused.stderr);
  assert.match(refused.stderr, /not enough disk on the server for a second copy of .*: .* free, about .* needed; nothing was changed/);
  assert.deepEqual(await fingerprint(m.f.url), before);
  assert.equal(readFileSync(m.file, 'utf8'), source);
  assert.deepEqual(await siblingDatabases(m.f), []);
  assert.deepEqual(await sql(m.f.url, 'SELECT run_id FROM logbook.lock'), [], 'lock released');
  // Back to the default tablespace so the fixture's own clean-up can drop it.
  await sql(server, `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1`, [name]);
  await sql(server, `ALTER DATABASE "${name}" SET TABLESPACE pg_default`);
});
