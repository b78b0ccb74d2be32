// The database target parsed once: for hostile URLs the pg client config, the libpq connection string and
// environment (psql, pg_dump) and the display all name the same database, and the display never holds the password.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import pg from 'pg';
import { connect } from '../../../src/adapters/pg/client.ts';
import { type DatabaseTarget, parseDatabaseTarget } from '../../../src/adapters/pg/target.ts';
import { identityOf } from '../../../src/core/record/rollback-preconditions.ts';
import { createTestDatabase, sql, testServerUrl } from '../../helpers/postgres.ts';

const WHO = "SELECT current_user AS who, current_database() AS db, coalesce(host(inet_server_addr()), 'socket') AS via";

/** Who and where a connection through libpq (psql, with the target's conninfo and environment) lands. */
function throughLibpq(target: DatabaseTarget): { who: string; db: string; via: string } {
  const { dbname, env } = target.libpq;
  const psql = spawnSync('psql', ['-X', '-A', '-t', '-F', '\t', '-w', '-c', WHO, '--dbname', dbname], { encoding: 'utf8', env });
  assert.equal(psql.status, 0, psql.stderr);
  const [who = '', db = '', via = ''] = psql.stdout.trim().split('\t');
  return { who, db, via };
}

async function throughPg(target: DatabaseTarget): Promise<{ who: string; db: string; via: string }> {
  const client = await connect(target, { doing: 'testing the target' });
  try {
    return (await client.query(WHO)).rows[0];
  } finally {
    await client.end();
  }
}

/** The password in every form a leak could take: as is and percent-encoded. */
function assertHidden(text: string, password: string): void {
  for (const form of [password, encodeURIComponent(password)]) assert.ok(!text.includes(form), `${JSON.stringify(text)} shows the password`);
}

describe('database target', () => {
  it('reaches the same role and database through pg and libpq with a hostile password, database name and Prisma parameters', async (t) => {
    const server = new URL(await testServerUrl());
    const role = `target_role_${process.pid}`;
    const password = `p@ss:w/d%?#&='"\\ ü${process.pid}`;
    const database = `target db ü'"${process.pid}`;
    await sql(server.href, `CREATE ROLE ${role} LOGIN PASSWORD ${pg.escapeLiteral(password)}`);
    await sql(server.href, `CREATE DATABASE ${pg.escapeIdentifier(database)} OWNER ${role}`);
    t.after(async () => {
      await sql(server.href, `DROP DATABASE IF EXISTS ${pg.escapeIdentifier(database)} WITH (FORCE)`);
      await sql(server.href, `DROP ROLE IF EXISTS ${role}`);
    });
    const url = `postgresql://${role}:${encodeURIComponent(password)}@${server.host}/${encodeURIComponent(database)}?sslmode=disable&schema=public&connection_limit=3`;
    const target = parseDatabaseTarget(url);

    assert.equal(target.database, database);
    assert.equal(target.user, role);
    assert.equal(target.clientConfig.password, password);
    // libpq would refuse Prisma's parameters; sslmode is libpq's own and stays.
    assert.doesNotMatch(target.libpq.dbname, /schema|connection_limit/);
    assert.match(target.libpq.dbname, /sslmode='disable'/);
    assertHidden(target.libpq.dbname, password);
    assert.equal(target.libpq.env.PGPASSWORD, password);

    const viaPg = await throughPg(target);
    assert.deepEqual(viaPg, { who: role, db: database, via: '127.0.0.1' });
    assert.deepEqual(throughLibpq(target), viaPg);

    assertHidden(target.display, password);
    assert.deepEqual(identityOf(target.display), { host: 'localhost', port: server.port, database });
  });

  it('reaches a unix socket host the same way through pg and libpq', async (t) => {
    const server = await testServerUrl();
    const db = await createTestDatabase(t, 'target_sock');
    const [{ dir, port }] = (await sql<{ dir: string; port: string }>(
      server,
      "SELECT split_part(current_setting('unix_socket_directories'), ',', 1) AS dir, current_setting('port') AS port",
    )) as [{ dir: string; port: string }];
    const target = parseDatabaseTarget(`postgresql://postgres@${encodeURIComponent(dir)}:${port}/${db.name}`);
    assert.equal(target.host, dir);
    assert.match(target.libpq.dbname, new RegExp(`host='${dir.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}'`));
    const viaPg = await throughPg(target);
    assert.deepEqual(viaPg, { who: 'postgres', db: db.name, via: 'socket' });
    assert.deepEqual(throughLibpq(target), viaPg);
    // ?host= names the socket too (the form libpq documents for paths).
    const queryForm = parseDatabaseTarget(`postgresql://postgres@/${db.name}?host=${encodeURIComponent(dir)}&port=${port}`);
    assert.deepEqual([queryForm.host, queryForm.port, queryForm.database], [dir, port, db.name]);
    assert.deepEqual(throughLibpq(queryForm), viaPg);
  });

  it('keeps an IPv6 host, its port and query parameters in all three views', () => {
    const password = 'v6-fake-pass/word';
    const target = parseDatabaseTarget(
      `postgres://app:${encodeURIComponent(password)}@[::1]:5433/game?sslmode=require&application_name=deploy&options=-c%20search_path%3Dgame`,
    );
    assert.deepEqual([target.host, target.port, target.user, target.database], ['::1', '5433', 'app', 'game']);
    assert.equal(target.clientConfig.host, '::1');
    assert.equal(target.clientConfig.port, '5433');
    assert.equal(
      target.libpq.dbname,
      "host='::1' port='5433' user='app' dbname='game' sslmode='require' application_name='deploy' options='-c search_path=game'",
    );
    assert.equal(target.libpq.env.PGPASSWORD, password);
    assertHidden(target.display, password);
    assert.match(target.display, /^postgres:\/\/app:\*\*\*@\[::1\]:5433\/game\?/);
    assert.deepEqual(identityOf(target.display), { host: 'localhost', port: '5433', database: 'game' });
  });

  it('hides a password given as a query parameter, and quotes libpq values that hold quotes and backslashes', () => {
    const password = 'query-fake-pass-0017';
    const target = parseDatabaseTarget(`postgresql://db.example.com/app?user=o'brien&password=${password}`);
    assert.equal(target.user, "o'brien");
    assert.equal(target.libpq.env.PGPASSWORD, password);
    assert.equal(target.libpq.dbname, "host='db.example.com' user='o\\'brien' dbname='app'");
    assertHidden(target.display, password);
    assertHidden(target.libpq.dbname, password);
    assert.equal(target.hasPassword, true);
  });
});
