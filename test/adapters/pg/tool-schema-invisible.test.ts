// The tool's own schema describes the logbook, not the user's database: snapshots, counts and backups never show it.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { acquireDatabaseLock } from '../../../src/adapters/pg/environment-lock.ts';
import { takeSnapshot } from '../../../src/adapters/pg/snapshot.ts';
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
