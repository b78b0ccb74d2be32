// classifyFindings without squawk or a server: the safe alternative follows the server version in the snapshot.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseMigrationSql } from '../../../src/adapters/squawk/parse-sql.ts';
import { classifyFindings } from '../../../src/core/lint/classify-findings.ts';
import { buildLockReport } from '../../../src/core/lint/lock-report.ts';
import type { Snapshot } from '../../../src/schemas/snapshot.ts';

const snapshotOn = (serverVersion: string): Snapshot => ({
  capturedAt: '2026-01-01T00:00:00.000Z',
  durationMs: 1,
  serverVersion,
  database: 'app',
  databaseBytes: 1,
  tables: [
    {
      schema: 'public',
      name: 'Post',
      kind: 'table',
      rows: 10,
      counted: 'exact',
      lastAnalyzed: null,
      tableBytes: 8192,
      indexBytes: 0,
      toastBytes: 0,
      partitions: [],
    },
  ],
  indexes: [],
  foreignKeys: [],
  extensions: [],
  migrations: { source: 'prisma', hasHistory: true, folder: null, migrations: [] },
});

test('SET NOT NULL: the CHECK path on PostgreSQL 12+, a nullable column with a CHECK before 12', async () => {
  const sql = 'ALTER TABLE "Post" ALTER COLUMN "title" SET NOT NULL;';
  const { statements } = await parseMigrationSql(sql);
  const violation = {
    migration: 'm',
    file: 'm/migration.sql',
    offset: 0,
    line: 1,
    column: 0,
    rule: 'adding-not-nullable-field',
    severity: 'warning' as const,
    message: 'Setting a column `NOT NULL` blocks reads while the table is scanned.',
  };
  const on = (version: string) => {
    const snapshot = snapshotOn(version);
    const analyzed = buildLockReport([{ name: 'm', file: 'm/migration.sql', statements }], snapshot);
    return classifyFindings([violation], analyzed, { snapshot, largeTableRows: 1000 })[0]!;
  };
  assert.match(on('16.2').safeAlternative ?? '', /PostgreSQL 12\+ proves it from the valid CHECK/);
  assert.match(on('11.22').safeAlternative ?? '', /before PostgreSQL 12.*keep "title" nullable/);
  assert.equal(on('16.2').severity, 'warning', '10 rows: below the threshold');
});
