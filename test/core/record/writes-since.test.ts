// writesSinceMigration: counts, largest ids and last-modified times each tell a table changed; older records without marks judge by counts.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { writesSinceMigration } from '../../../src/core/record/rollback-preconditions.ts';
import type { MigrationRecord } from '../../../src/schemas/record.ts';

const table = (name: string, rows: number, counted: 'exact' | 'estimate' = 'exact') => ({ schema: 'public', name, rows, counted });
const post = (writeMarks?: unknown[]) =>
  ({
    pre: { tables: [] },
    post: { tables: [table('a', 3), table('b', 3), table('big', 9, 'estimate')], ...(writeMarks ? { writeMarks } : {}) },
  }) as unknown as Pick<MigrationRecord, 'pre' | 'post'>;

test('equal counts hide nothing when the marks moved; no marks means counts only', () => {
  const marks = [
    { schema: 'public', name: 'a', idColumn: 'id', maxId: '3' },
    { schema: 'public', name: 'big', modifiedColumn: 'updated_at', lastModified: '2026-01-01T00:00:00.000000' },
  ];
  const now = [
    { schema: 'public', name: 'a', rows: 3 },
    { schema: 'public', name: 'b', rows: 4 },
    { schema: 'public', name: 'big', rows: 9 },
  ];
  const moved = [
    { schema: 'public', name: 'a', idColumn: 'id', maxId: '4' },
    { schema: 'public', name: 'big', modifiedColumn: 'updated_at', lastModified: '2026-02-01T00:00:00.000000' },
  ];
  const result = writesSinceMigration(post(marks), now, moved);
  assert.deepEqual(
    result.changed.map((w) => [w.name, w.why]),
    [
      ['a', ['max id']],
      ['b', ['rows']],
      ['big', ['last modified']],
    ],
  );
  assert.deepEqual(result.unknown, []);
  const same = writesSinceMigration(post(marks), now, marks);
  assert.deepEqual(
    same.changed.map((w) => w.name),
    ['b'],
  );
  assert.deepEqual(same.unknown, [{ schema: 'public', name: 'big' }], 'an estimated table whose marks did not move still cannot be judged by its count');
  const older = writesSinceMigration(post(), now, moved);
  assert.deepEqual(
    older.changed.map((w) => w.name),
    ['b'],
    'a record without marks compares counts only',
  );
});
