// The lock report against PostgreSQL itself: each statement runs inside an open transaction on a seeded
// database, and the strongest lock pg_locks shows on each table must be the one the report names.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import pg from 'pg';
import { takeSnapshot } from '../../../src/adapters/pg/snapshot.ts';
import { parseMigrationSql } from '../../../src/adapters/squawk/parse-sql.ts';
import { buildLockReport } from '../../../src/core/lint/lock-report.ts';
import { logbookConfigSchema } from '../../../src/schemas/config.ts';
import { LOCK_MODES, type LockMode } from '../../../src/schemas/findings.ts';
import { createTestDatabase, sql } from '../../helpers/postgres.ts';

const SEED = `
  CREATE TABLE "User" (id int PRIMARY KEY, email text, name varchar(20), age int);
  CREATE TABLE "Post" (id int PRIMARY KEY, "authorId" int, title text, body text);
  CREATE TABLE "Tag" (id serial PRIMARY KEY, "userId" int);
  CREATE TABLE "Comment" (id int PRIMARY KEY, "postId" int REFERENCES "Post"(id));
  CREATE SCHEMA audit;
  CREATE TABLE audit."Log" (id int, "userId" int);
  INSERT INTO "User" SELECT g, 'u' || g, 'n' || g, g FROM generate_series(1, 2000) g;
  INSERT INTO "Post" SELECT g, 1 + g % 2000, 't', 'b' FROM generate_series(1, 3000) g;
  INSERT INTO "Tag" ("userId") SELECT 1 + g % 2000 FROM generate_series(1, 500) g;
  INSERT INTO "Comment" SELECT g, 1 + g % 3000 FROM generate_series(1, 100) g;
  INSERT INTO audit."Log" SELECT g, g FROM generate_series(1, 10) g;
  ALTER TABLE "Post" ADD CONSTRAINT "Post_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "User"(id) NOT VALID;
  CREATE INDEX "User_email_idx" ON "User"(email);
  CREATE INDEX "Log_userId_idx" ON audit."Log"("userId");
  ANALYZE;
`;

/** Statements that run in a transaction: checked against pg_locks. */
const STATEMENTS = [
  'CREATE INDEX "User_name_idx" ON "User"("name");',
  'DROP INDEX "User_email_idx";',
  'DROP INDEX audit."Log_userId_idx";',
  'ALTER TABLE "User" ALTER COLUMN "name" SET NOT NULL;',
  'ALTER TABLE "User" ALTER COLUMN "name" SET DATA TYPE text;',
  'ALTER TABLE "User" ADD COLUMN "score" integer DEFAULT 0;',
  'ALTER TABLE "User" DROP COLUMN "age";',
  'ALTER TABLE "Tag" ADD CONSTRAINT "Tag_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id");',
  'ALTER TABLE "Tag" ADD CONSTRAINT "Tag_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") NOT VALID;',
  'ALTER TABLE "Post" VALIDATE CONSTRAINT "Post_authorId_fkey";',
  'ALTER TABLE "Post" DROP CONSTRAINT "Post_authorId_fkey";',
  'DROP TABLE "Post" CASCADE;',
  'DROP TABLE "Comment";',
  'TRUNCATE "Tag";',
  'TRUNCATE "User" CASCADE;',
  'ALTER TABLE "User" RENAME COLUMN "email" TO "mail";',
  'ALTER TABLE "User" ADD CONSTRAINT "User_email_key" UNIQUE ("email");',
  'ALTER TABLE "User" ADD CONSTRAINT "User_age_check" CHECK ("age" >= 0) NOT VALID;',
  'ALTER TABLE "User" SET (fillfactor = 70);',
  'CREATE TABLE "Fresh" (id int PRIMARY KEY, "userId" int REFERENCES "User"(id));',
  'INSERT INTO "Tag" ("userId") SELECT id FROM "User" WHERE id < 10;',
  `UPDATE "Post" SET title = 'x' WHERE "authorId" IN (SELECT id FROM "User" WHERE age > 10);`,
  'DELETE FROM audit."Log" WHERE id > 5;',
  'CREATE TRIGGER "Tag_noop" BEFORE UPDATE ON "Tag" FOR EACH ROW EXECUTE FUNCTION suppress_redundant_updates_trigger();',
];

/** pg_locks' mode names (AccessExclusiveLock) in the documentation's words (ACCESS EXCLUSIVE). */
const documented = (mode: string) =>
  mode
    .replace(/Lock$/, '')
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toUpperCase() as LockMode;
const rank = (mode: LockMode) => LOCK_MODES.indexOf(mode);

interface Observed {
  /** schema.name → strongest mode, for every user table the statement locked. */
  strongest: Map<string, LockMode>;
}

async function observeLocks(url: string, statement: string): Promise<Observed> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('BEGIN');
    // Names first: a dropped table is gone from pg_class once the statement ran, its lock is not.
    const tables =
      "SELECT oid::int8 AS oid, relnamespace::regnamespace::text AS schema, relname FROM pg_class WHERE relkind IN ('r', 'p') AND relnamespace IN ('public'::regnamespace, 'audit'::regnamespace)";
    const names = new Map<string, string>();
    for (const row of (await client.query<{ oid: string; schema: string; relname: string }>(tables)).rows)
      names.set(row.oid, `${row.schema.replace(/"/g, '')}.${row.relname}`);
    await client.query(statement);
    for (const row of (await client.query<{ oid: string; schema: string; relname: string }>(tables)).rows)
      names.set(row.oid, `${row.schema.replace(/"/g, '')}.${row.relname}`);
    const locks = await client.query<{ relation: string; mode: string }>(
      "SELECT relation::int8 AS relation, mode FROM pg_locks WHERE pid = pg_backend_pid() AND locktype = 'relation' AND granted",
    );
    const strongest = new Map<string, LockMode>();
    for (const { relation, mode } of locks.rows) {
      const name = names.get(relation);
      if (!name) continue;
      const before = strongest.get(name);
      if (!before || rank(documented(mode)) > rank(before)) strongest.set(name, documented(mode));
    }
    return { strongest };
  } finally {
    await client.query('ROLLBACK').catch(() => {});
    await client.end();
  }
}

test('the strongest lock the report names on each table is the one pg_locks shows while the statement runs', async (t) => {
  const db = await createTestDatabase(t, 'locks');
  await sql(db.url, SEED);
  const snapshot = await takeSnapshot(db.url, { mode: 'estimate', capture: logbookConfigSchema.parse({}).capture, migrationsDir: null });
  for (const statement of STATEMENTS) {
    const { statements } = await parseMigrationSql(statement);
    const [analyzed] = buildLockReport([{ name: 'm', file: 'm/migration.sql', statements }], snapshot);
    assert.ok(analyzed, statement);
    const reported = new Map(analyzed.report.locks.map((l) => [`${l.schema}.${l.table}`, l.mode]));
    const observed = await observeLocks(db.url, statement);
    assert.ok(reported.size > 0, `${statement}: the report names a table`);
    for (const [table, mode] of reported) assert.equal(mode, observed.strongest.get(table), `${statement}: ${table}`);
    // Nothing the statement blocks on is missing from the report (ACCESS SHARE alone blocks nobody but ACCESS EXCLUSIVE).
    for (const [table, mode] of observed.strongest) {
      if (mode !== 'ACCESS SHARE')
        assert.equal(reported.get(table), mode, `${statement}: pg_locks shows ${mode} on ${table}, the report ${reported.get(table) ?? 'nothing'}`);
    }
  }
});

test('statements that cannot run in a transaction are reported at their documented level', async (t) => {
  const db = await createTestDatabase(t, 'locks');
  await sql(db.url, SEED);
  const snapshot = await takeSnapshot(db.url, { mode: 'estimate', capture: logbookConfigSchema.parse({}).capture, migrationsDir: null });
  const cases: Array<[string, string, LockMode]> = [
    ['CREATE INDEX CONCURRENTLY "User_name_idx" ON "User"("name");', 'public.User', 'SHARE UPDATE EXCLUSIVE'],
    ['DROP INDEX CONCURRENTLY "User_email_idx";', 'public.User', 'SHARE UPDATE EXCLUSIVE'],
    ['REINDEX INDEX CONCURRENTLY "User_email_idx";', 'public.User', 'SHARE UPDATE EXCLUSIVE'],
  ];
  for (const [statement, table, mode] of cases) {
    const { statements } = await parseMigrationSql(statement);
    const [analyzed] = buildLockReport([{ name: 'm', file: 'm/migration.sql', statements }], snapshot);
    assert.deepEqual(
      analyzed!.report.locks.map((l) => [`${l.schema}.${l.table}`, l.mode]),
      [[table, mode]],
      statement,
    );
    assert.match(analyzed!.report.note ?? '', /cannot run inside a transaction/, statement);
    // And it really cannot: PostgreSQL refuses it in a transaction block.
    await assert.rejects(sql(db.url, `BEGIN; ${statement} COMMIT;`), /cannot run inside a transaction block|cannot be executed/);
  }
});

test('sizes, rewrites and scans come from the snapshot, and the server version decides whether a default rewrites', async (t) => {
  const db = await createTestDatabase(t, 'locks');
  await sql(db.url, SEED);
  const snapshot = await takeSnapshot(db.url, { mode: 'exact', capture: logbookConfigSchema.parse({}).capture, migrationsDir: null });
  const report = async (text: string, version = snapshot.serverVersion) => {
    const { statements } = await parseMigrationSql(text);
    return buildLockReport([{ name: 'm', file: 'm/migration.sql', statements }], { ...snapshot, serverVersion: version }).map((a) => a.report);
  };
  const [typeChange] = await report('ALTER TABLE "User" ALTER COLUMN "name" TYPE text;');
  const user = snapshot.tables.find((x) => x.name === 'User')!;
  assert.deepEqual(
    typeChange!.locks.map((l) => [l.table, l.effect, l.rows, l.bytes]),
    [['User', 'rewrite', 2000, user.tableBytes + user.toastBytes + user.indexBytes]],
  );
  assert.ok((typeChange!.locks[0]!.estimatedMs ?? -1) >= 0);
  const [notNull] = await report('ALTER TABLE "User" ALTER COLUMN "name" SET NOT NULL;');
  assert.equal(notNull!.locks[0]!.effect, 'scan');
  const [defaultNow] = await report('ALTER TABLE "User" ADD COLUMN "score" integer DEFAULT 0;');
  assert.equal(defaultNow!.locks[0]!.effect, 'none', 'PostgreSQL 11+ stores a constant default without rewriting');
  const [default10] = await report('ALTER TABLE "User" ADD COLUMN "score" integer DEFAULT 0;', '10.23');
  assert.equal(default10!.locks[0]!.effect, 'rewrite', 'PostgreSQL 10 rewrites the table for any default');
  const [volatile] = await report('ALTER TABLE "User" ADD COLUMN "token" uuid DEFAULT gen_random_uuid();');
  assert.equal(volatile!.locks[0]!.effect, 'rewrite', 'a volatile default rewrites on every version');
  // A table created earlier in the batch is marked, with no size and no estimate.
  const batch = await report('CREATE TABLE "Fresh" (id int, "userId" int);\nCREATE INDEX "Fresh_idx" ON "Fresh"(id);\nDROP INDEX "Fresh_idx";');
  assert.deepEqual(
    batch.map((s) => s.locks.map((l) => [l.table, l.created, l.estimatedMs])),
    [[['Fresh', true, null]], [['Fresh', true, null]], [['Fresh', true, null]]],
  );
  assert.deepEqual(
    batch.map((s) => s.line),
    [1, 2, 3],
  );
});
