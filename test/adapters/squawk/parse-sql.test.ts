// parseMigrationSql: PostgreSQL's parser on a migration file, positions in characters (its offsets are UTF-8 bytes).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseMigrationSql } from '../../../src/adapters/squawk/parse-sql.ts';
import { buildLockReport } from '../../../src/core/lint/lock-report.ts';

test('statements keep their text and line after multi-byte names and comments', async () => {
  const sql = [
    '-- Überschrift: ünïcødé vorne',
    'CREATE TABLE "Spieler☃" (id int, "näme" text);',
    '',
    '/* ☃☃ */ ALTER TABLE "Spieler☃" ALTER COLUMN "näme" SET NOT NULL;',
    'DROP TABLE "Spieler☃"',
  ].join('\n');
  const { statements, error } = await parseMigrationSql(sql);
  assert.equal(error, undefined);
  assert.deepEqual(
    statements.map((s) => [s.line, s.text]),
    [
      [2, 'CREATE TABLE "Spieler☃" (id int, "näme" text);'],
      [4, 'ALTER TABLE "Spieler☃" ALTER COLUMN "näme" SET NOT NULL;'],
      [5, 'DROP TABLE "Spieler☃"'],
    ],
  );
  for (const s of statements) assert.equal(sql.slice(s.start, s.start + 5), s.text.slice(0, 5));
  const report = buildLockReport([{ name: 'm', file: 'm/migration.sql', statements }], null);
  assert.deepEqual(
    report.map((r) => r.locks.columns.setNotNull),
    [[], ['näme'], []],
  );
  assert.deepEqual(
    report.map((r) => r.report.locks.map((l) => [l.table, l.created])),
    [[['Spieler☃', true]], [['Spieler☃', true]], [['Spieler☃', true]]],
  );
});

test('a file the parser rejects still yields its statements, without trees, and says why', async () => {
  const { statements, error } = await parseMigrationSql('CREATE TABLE a (id int);\nALTER TABLE a ADD COLUMN oops;\n');
  assert.match(error ?? '', /syntax error/);
  assert.deepEqual(
    statements.map((s) => [s.line, s.node]),
    [
      [1, null],
      [2, null],
    ],
  );
  const [first] = buildLockReport([{ name: 'm', file: 'm/migration.sql', statements }], null);
  assert.match(first!.report.note ?? '', /parser did not accept this file/);
});

test('a table created in the batch stays new under its new name', async () => {
  const { statements } = await parseMigrationSql('CREATE TABLE "a" (id int);\nALTER TABLE "a" RENAME TO "b";\nCREATE INDEX "b_idx" ON "b"(id);\n');
  const report = buildLockReport([{ name: 'm', file: 'm/migration.sql', statements }], null);
  assert.deepEqual(
    report.at(-1)!.report.locks.map((l) => [l.table, l.mode, l.created]),
    [['b', 'SHARE', true]],
  );
});
