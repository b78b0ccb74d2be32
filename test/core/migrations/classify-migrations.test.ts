// classifyMigrations / pendingMigrations: the rules that decide each migration's state, without a database.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { classifyMigrations, pendingMigrations, type PrismaMigrationRow } from '../../../src/core/migrations/classify-migrations.ts';

const row = (name: string, extra: Partial<PrismaMigrationRow> = {}): PrismaMigrationRow => ({
  id: name,
  checksum: 'c',
  migrationName: name,
  startedAt: '2025-01-01T00:00:00Z',
  finishedAt: '2025-01-01T00:00:01Z',
  rolledBackAt: null,
  appliedStepsCount: 1,
  logs: null,
  ...extra,
});

test('no folder: nothing pending or missing; no table: no history', () => {
  const dbOnly = classifyMigrations([row('a'), row('b', { finishedAt: null })], null, null);
  assert.deepEqual(
    dbOnly.migrations.map((m) => [m.name, m.status, m.missingFromFolder]),
    [
      ['a', 'applied', false],
      ['b', 'failed', false],
    ],
  );
  assert.equal(dbOnly.folder, null);
  const fresh = classifyMigrations(null, [{ name: 'a', checksums: ['c'] }], '/m');
  assert.equal(fresh.hasHistory, false);
  assert.deepEqual(pendingMigrations(fresh), ['a']);
});

test('a rolled-back migration still in the folder will run again; one gone from the folder will not', () => {
  const state = classifyMigrations(
    [row('a', { rolledBackAt: '2025-01-02T00:00:00Z', finishedAt: null }), row('b', { rolledBackAt: '2025-01-02T00:00:00Z' })],
    [{ name: 'a', checksums: ['other'] }],
    '/m',
  );
  assert.deepEqual(
    state.migrations.map((m) => [m.name, m.status, m.edited]),
    [
      ['a', 'rolled-back', false],
      ['b', 'rolled-back', false],
    ],
  );
  assert.deepEqual(pendingMigrations(state), ['a']);
});
