// The tool's own schema (`logbook`: lock row and ledger) is never part of what describes the user's database:
// snapshots, exact counts, backups and their count checks, the objects a restore compares against.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { withClient } from '../../../src/adapters/pg/client.ts';
import { acquireDatabaseLock } from '../../../src/adapters/pg/environment-lock.ts';
import { ensureLogbookSchema } from '../../../src/adapters/pg/logbook-schema.ts';
import { objectsNotInArchive } from '../../../src/adapters/pg/objects-not-in-archive.ts';
import { takeSnapshot } from '../../../src/adapters/pg/snapshot.ts';
import { listUserTables } from '../../../src/adapters/pg/tables.ts';
import { createBackup } from '../../../src/adapters/pgdump/create-backup.ts';
import { countDatabase } from '../../../src/adapters/pgdump/exact-counts.ts';
import { logbookConfigSchema } from '../../../src/schemas/config.ts';
import { createTestDatabase, sql } from '../../helpers/postgres.ts';

test('snapshots, exact counts and backups leave out the logbook schema, while a run holds its lock row', async (t) => {
  const db = await createTestDatabase(t);
  await sql(db.url, 'CREATE TABLE users (id int PRIMARY KEY); INSERT INTO users SELECT generate_series(1, 5)');
  const lock = await acquireDatabaseLock({ url: db.url, runId: 'staging-1', environment: 'staging' });
  try {
    await sql(db.url, "INSERT INTO logbook.ledger (environment, seq, record_id, digest) VALUES ('staging', 1, 'r1', repeat('a', 64))");
    const snapshot = await takeSnapshot(db.url, { mode: 'exact', capture: logbookConfigSchema.parse({}).capture, migrationsDir: null });
    assert.deepEqual(
      snapshot.tables.map((table) => [table.schema, table.name, table.rows]),
      [['public', 'users', 5]],
    );
    assert.ok(snapshot.indexes.every((index) => index.schema !== 'logbook'));

    const counts = await countDatabase(db.url, { doing: 'counting' });
    assert.deepEqual(
      counts.map((c) => [c.schema, c.name]),
      [['public', 'users']],
    );

    const dir = mkdtempSync(join(tmpdir(), 'logbook-invisible-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const meta = await createBackup({ url: db.url, dir, format: 'custom', jobs: 1, verify: 'list' });
    assert.deepEqual(
      meta.tables.map((c) => [c.schema, c.name]),
      [['public', 'users']],
    );
    const listing = execFileSync('pg_restore', ['--list', meta.path], { encoding: 'utf8' });
    assert.doesNotMatch(listing, /\blogbook\b/, 'the archive holds nothing of the tool schema');
  } finally {
    await lock.release();
  }
});

test("the tool's schema is invisible to snapshots, counts, backups and the objects a restore compares", async (t) => {
  const db = await createTestDatabase(t, 'invisible');
  await sql(db.url, 'CREATE TABLE players (id int PRIMARY KEY, name text)');
  await sql(db.url, "INSERT INTO players VALUES (1, 'a'), (2, 'b')");
  await withClient(db.url, { doing: 'creating the tool schema' }, (client) => ensureLogbookSchema(client));
  await sql(db.url, "INSERT INTO logbook.lock (run_id, environment, host, pid) VALUES ('production-20260101000000-abcd', 'production', 'h', 1)");
  await sql(db.url, "INSERT INTO logbook.ledger (environment, seq, record_id, digest) VALUES ('production', 1, 'r', repeat('a', 64))");

  const tables = await withClient(db.url, { doing: 'listing' }, listUserTables);
  assert.deepEqual(
    tables.map((x) => `${x.schema}.${x.name}`),
    ['public.players'],
  );

  const snapshot = await takeSnapshot(db.url, { mode: 'exact', capture: logbookConfigSchema.parse({}).capture, migrationsDir: null });
  assert.deepEqual(
    snapshot.tables.map((x) => x.schema),
    ['public'],
  );
  assert.ok(
    snapshot.indexes.every((i) => i.schema !== 'logbook'),
    'no index of the lock or ledger',
  );

  const counts = await countDatabase(db.url, { doing: 'counting' });
  assert.deepEqual(
    counts.map((c) => [c.schema, c.name, c.rows]),
    [['public', 'players', 2]],
  );

  const dir = mkdtempSync(join(tmpdir(), 'logbook-invisible-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const meta = await createBackup({ url: db.url, dir, format: 'custom', jobs: 1, verify: 'list' });
  assert.deepEqual(
    meta.tables.map((x) => `${x.schema}.${x.name}`),
    ['public.players'],
    'the sidecar counts only the user tables',
  );
  assert.equal(meta.verification?.ok, true, meta.verification?.detail);
  const listing = execFileSync('pg_restore', ['--list', meta.path], { encoding: 'utf8' });
  assert.ok(!/\blogbook\b/.test(listing), `the archive holds nothing of the tool's schema:\n${listing}`);
  const missing = await objectsNotInArchive(db.url, new Set());
  assert.ok(
    missing.every((o) => o.schema !== 'logbook' && !(o.kind === 'schema' && o.name === 'logbook')),
    'the tool schema is never "new since the backup"',
  );
});
