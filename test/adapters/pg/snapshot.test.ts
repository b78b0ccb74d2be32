// takeSnapshot against a real database: two schemas, a partitioned table, empty tables, a table above the exact threshold.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { withDatabase } from '../../../src/adapters/pg/client.ts';
import { takeSnapshot } from '../../../src/adapters/pg/snapshot.ts';
import { logbookConfigSchema } from '../../../src/schemas/config.ts';
import { type Snapshot, snapshotSchema } from '../../../src/schemas/snapshot.ts';
import { createTestDatabase, sql } from '../../helpers/postgres.ts';

const SETUP = `
  CREATE SCHEMA billing;
  CREATE TABLE public.users (id serial PRIMARY KEY, email text NOT NULL UNIQUE, name text);
  CREATE INDEX users_name_lower_idx ON public.users (lower(name)) WHERE name IS NOT NULL;
  INSERT INTO public.users (email, name) SELECT 'u' || g || '@x.test', 'User ' || g FROM generate_series(1, 250) g;
  CREATE TABLE public.empty_things (id bigint PRIMARY KEY);
  CREATE TABLE billing.invoices (id serial PRIMARY KEY, user_id int NOT NULL REFERENCES public.users(id), total numeric);
  INSERT INTO billing.invoices (user_id, total) SELECT 1 + g % 250, g FROM generate_series(1, 420) g;
  CREATE TABLE billing.refunds (id serial PRIMARY KEY, invoice_id int);
  ALTER TABLE billing.refunds ADD CONSTRAINT refunds_invoice_fk FOREIGN KEY (invoice_id) REFERENCES billing.invoices(id) NOT VALID;
  CREATE TABLE public.events (id bigserial PRIMARY KEY, payload text);
  INSERT INTO public.events (payload) SELECT repeat('x', 20) FROM generate_series(1, 5000);
  CREATE TABLE public.measurements (at date NOT NULL, value int) PARTITION BY RANGE (at);
  CREATE TABLE public.measurements_2025 PARTITION OF public.measurements FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
  CREATE TABLE billing.measurements_2026 PARTITION OF public.measurements FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
  CREATE INDEX measurements_at_idx ON public.measurements (at);
  INSERT INTO public.measurements SELECT date '2025-06-01' + (g % 400), g FROM generate_series(1, 900) g;
  ANALYZE;`;

const capture = (overrides: Record<string, number> = {}) => logbookConfigSchema.parse({ capture: overrides }).capture;
const table = (snapshot: Snapshot, name: string) => {
  const found = snapshot.tables.find((t) => `${t.schema}.${t.name}` === name);
  assert.ok(found, `${name} is in the snapshot`);
  return found;
};

test('auto mode: exact counts below the threshold equal count(*), the large table is an estimate', async (t) => {
  const db = await createTestDatabase(t);
  await sql(db.url, SETUP);
  const snapshot = await takeSnapshot(db.url, { mode: 'auto', capture: capture({ exactCountThreshold: 1000 }), migrationsDir: null });
  assert.doesNotThrow(() => snapshotSchema.parse(snapshot));

  // Every user table in both schemas, partitions folded into their parent.
  assert.deepEqual(
    snapshot.tables.map((t) => `${t.schema}.${t.name}`),
    ['billing.invoices', 'billing.refunds', 'public.empty_things', 'public.events', 'public.measurements', 'public.users'],
  );
  for (const name of ['billing.invoices', 'billing.refunds', 'public.empty_things', 'public.measurements', 'public.users']) {
    const [actual] = await sql<{ n: string }>(db.url, `SELECT count(*) AS n FROM ${name}`);
    assert.equal(table(snapshot, name).counted, 'exact', name);
    assert.equal(table(snapshot, name).rows, Number(actual!.n), name);
  }
  assert.equal(table(snapshot, 'public.empty_things').rows, 0);

  const events = table(snapshot, 'public.events');
  assert.equal(events.counted, 'estimate');
  assert.equal(events.rows, 5000); // ANALYZE saw every row of a table this small
  assert.ok(events.lastAnalyzed, 'an estimate is dated by its last analyze');
  assert.ok(events.tableBytes > 0 && events.indexBytes > 0);

  const measurements = table(snapshot, 'public.measurements');
  assert.equal(measurements.kind, 'partitioned');
  assert.equal(measurements.rows, 900);
  assert.deepEqual(measurements.partitions, ['billing.measurements_2026', 'public.measurements_2025']);
  assert.ok(measurements.tableBytes > 0, 'a partitioned table sums its partitions');

  // Every index, with its definition exactly as PostgreSQL prints it.
  const expected = await sql<{ schemaname: string; indexname: string; indexdef: string }>(
    db.url,
    `SELECT schemaname, indexname, indexdef FROM pg_indexes WHERE schemaname IN ('public', 'billing') ORDER BY 1, 2`,
  );
  const listed = new Map(snapshot.indexes.map((i) => [`${i.schema}.${i.name}`, i]));
  assert.equal(snapshot.indexes.length, expected.length);
  for (const row of expected) assert.equal(listed.get(`${row.schemaname}.${row.indexname}`)?.definition, row.indexdef);
  assert.equal(listed.get('public.users_email_key')?.unique, true);
  assert.equal(listed.get('public.users_pkey')?.primary, true);
  assert.equal(listed.get('public.measurements_at_idx')?.table, 'measurements');

  const fks = new Map(snapshot.foreignKeys.map((fk) => [fk.name, fk]));
  assert.equal(fks.get('refunds_invoice_fk')?.validated, false, 'NOT VALID foreign key is marked');
  assert.equal(fks.get('invoices_user_id_fkey')?.validated, true);
  assert.deepEqual(fks.get('invoices_user_id_fkey')?.references, { schema: 'public', name: 'users' }, 'the referenced table is a (schema, name) pair');
  const columns = new Map((snapshot.columns ?? []).map((c) => [`${c.schema}.${c.table}.${c.name}`, c]));
  assert.deepEqual(columns.get('public.users.id'), {
    schema: 'public',
    table: 'users',
    name: 'id',
    type: 'integer',
    nullable: false,
    default: "nextval('users_id_seq'::regclass)",
  });
  assert.equal(columns.get('public.users.name')?.nullable, true);
  assert.equal(columns.get('public.measurements.at')?.type, 'date');
  assert.ok(![...columns.keys()].some((k) => k.startsWith('public.measurements_2025.')), 'partitions are captured at their parent');
  assert.ok(snapshot.extensions.some((e) => e.name === 'plpgsql'));
  assert.equal(snapshot.database, db.name);
  assert.match(snapshot.serverVersion, /^\d+/);
  assert.ok(snapshot.databaseBytes > 0);
  assert.equal(snapshot.migrations.hasHistory, false, 'no _prisma_migrations table is a state, not a crash');
});

test('exact mode counts every table; estimate mode counts none', async (t) => {
  const db = await createTestDatabase(t);
  await sql(db.url, SETUP);
  const exact = await takeSnapshot(db.url, { mode: 'exact', capture: capture({ exactCountThreshold: 10 }), migrationsDir: null });
  assert.ok(exact.tables.every((t) => t.counted === 'exact'));
  assert.equal(table(exact, 'public.events').rows, 5000);

  await sql(db.url, 'INSERT INTO public.empty_things SELECT generate_series(1, 10)'); // not analyzed yet: the estimate lags
  const estimated = await takeSnapshot(db.url, { mode: 'estimate', capture: capture(), migrationsDir: null });
  assert.ok(estimated.tables.every((t) => t.counted === 'estimate' && t.countNote === undefined));
  assert.equal(table(estimated, 'public.users').rows, 250);
});

test('a table the role cannot read falls back to the estimate and says why', async (t) => {
  const db = await createTestDatabase(t);
  await sql(db.url, SETUP);
  const role = `reader_${db.name}`;
  await sql(db.url, `CREATE ROLE ${role} LOGIN PASSWORD 'reader-pass-123'; GRANT USAGE ON SCHEMA billing TO ${role}; GRANT SELECT ON public.users TO ${role}`);
  // After hooks run after the database is dropped (which removes the grants); the role is cluster-wide.
  t.after(() => sql(withDatabase(db.url, 'postgres'), `DROP ROLE IF EXISTS ${role}`).then(() => {}));
  const url = db.url.replace('postgres@', `${role}:reader-pass-123@`);
  const snapshot = await takeSnapshot(url, { mode: 'exact', capture: capture(), migrationsDir: null });
  assert.equal(table(snapshot, 'public.users').counted, 'exact');
  const events = table(snapshot, 'public.events');
  assert.equal(events.counted, 'estimate');
  assert.match(events.countNote ?? '', /no SELECT permission/);
  assert.equal(events.rows, 5000);
});

test('a lock held by another session stops the capture at lock_timeout instead of waiting', async (t) => {
  const db = await createTestDatabase(t);
  await sql(db.url, SETUP);
  const pg = (await import('pg')).default;
  const holder = new pg.Client({ connectionString: db.url });
  await holder.connect();
  try {
    await holder.query('BEGIN; LOCK TABLE public.events IN ACCESS EXCLUSIVE MODE');
    await assert.rejects(
      takeSnapshot(db.url, { mode: 'estimate', capture: capture({ lockTimeoutMs: 200 }), migrationsDir: null }),
      (error: Error & { code?: string; outcome?: string }) => error.code === 'E_DB_LOCK_TIMEOUT' && error.outcome === 'query-refused',
    );
  } finally {
    await holder.end();
  }
});

test('exact counts describe the instant the capture began, even while rows are inserted', async (t) => {
  const db = await createTestDatabase(t);
  await sql(db.url, 'CREATE TABLE busy (id serial PRIMARY KEY); INSERT INTO busy SELECT FROM generate_series(1, 100)');
  const snapshot = await takeSnapshot(db.url, {
    mode: 'exact',
    capture: capture(),
    migrationsDir: null,
    // Called just before the parallel counts start: a write committed now (synchronously, from another
    // process) is after the capture's snapshot, so the counts must not see it.
    onProgress: () => {
      const insert = spawnSync('psql', ['-X', '-q', '-c', 'INSERT INTO busy SELECT FROM generate_series(1, 50)', db.url]);
      assert.equal(insert.status, 0, String(insert.stderr));
    },
  });
  assert.equal(table(snapshot, 'public.busy').rows, 100);
  assert.equal(table(snapshot, 'public.busy').counted, 'exact');
  assert.equal(Number((await sql<{ n: string }>(db.url, 'SELECT count(*) AS n FROM busy'))[0]!.n), 150);
});
