// logbook lint end to end: squawk findings per statement, pending-only with a database, escalation on large tables.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { runCli } from '../helpers/cli.ts';
import { createTestDatabase, sql } from '../helpers/postgres.ts';
import { makeMigrationsFolder, sha256, writePrismaHistory } from '../helpers/prisma.ts';
import { DEFAULT_EXCLUDED_LINT_RULES } from '../../src/schemas/config.ts';

const RISKY = [
  '-- Prisma-style migration with every classic footgun',
  'ALTER TABLE "User" DROP COLUMN "age";',
  'CREATE INDEX "User_email_idx" ON "User"("email");',
  '',
  'ALTER TABLE "User" ALTER COLUMN "name" SET DATA TYPE TEXT;',
  'ALTER TABLE "Post" ADD CONSTRAINT "Post_authorId_fkey"',
  '  FOREIGN KEY ("authorId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;',
  'ALTER TABLE "Post" ALTER COLUMN "title" SET NOT NULL;',
  '',
].join('\n');

interface Finding {
  migration: string;
  rule: string;
  line: number;
  statement: string;
  severity: string;
  table?: string;
  escalated?: string;
}

test('lint --all without a database reports each risky statement with rule, line and statement', async (t) => {
  const dir = makeMigrationsFolder(t, { '20250101000000_risky': RISKY });
  const result = await runCli(['lint', '--all', '--migrations', dir, '--json'], { env: { DATABASE_URL: undefined } });
  assert.equal(result.code, 1, result.stderr);
  assert.match(result.stderr, /no database URL: linting every migration/);
  const { findings } = JSON.parse(result.stdout) as { findings: Finding[] };
  const find = (rule: string) => findings.find((f) => f.rule === rule);
  const expectations: Array<[string, number, RegExp]> = [
    ['ban-drop-column', 2, /^ALTER TABLE "User" DROP COLUMN "age";$/],
    ['require-concurrent-index-creation', 3, /^CREATE INDEX "User_email_idx"/],
    ['changing-column-type', 5, /SET DATA TYPE TEXT;$/],
    ['adding-foreign-key-constraint', 6, /FOREIGN KEY \("authorId"\) REFERENCES "User"/],
    ['constraint-missing-not-valid', 6, /ADD CONSTRAINT "Post_authorId_fkey"/],
    ['adding-not-nullable-field', 8, /SET NOT NULL;$/],
  ];
  for (const [rule, line, statement] of expectations) {
    const finding = find(rule);
    assert.ok(finding, `${rule} reported`);
    assert.equal(finding.migration, '20250101000000_risky');
    assert.equal(finding.line, line, rule);
    assert.match(finding.statement, statement, rule);
    assert.equal(finding.escalated, undefined, 'no table sizes without a database');
  }
  assert.equal(find('changing-column-type')?.table, 'User', 'a quoted identifier keeps its case');
  const text = await runCli(['lint', '--all', '--migrations', dir], { env: { DATABASE_URL: undefined } });
  assert.match(text.stdout, /migration\.sql:2 {2}WARNING {2}ban-drop-column/);
  assert.match(text.stdout, /> CREATE INDEX "User_email_idx" ON "User"\("email"\);/);
});

test('with a database, lint covers only pending migrations and escalates locks on large tables with their row count', async (t) => {
  const db = await createTestDatabase(t);
  const applied = 'CREATE TABLE "User" (id serial PRIMARY KEY, email text, name varchar(20), age int);\n';
  await sql(db.url, `${applied} INSERT INTO "User" (email) SELECT 'u' || g FROM generate_series(1, 3000) g; ANALYZE "User";`);
  await writePrismaHistory(db.url, [{ name: '20240101000000_init', checksum: sha256(applied) }]);
  const dir = makeMigrationsFolder(t, {
    '20240101000000_init': applied + 'ALTER TABLE "User" DROP COLUMN "legacy";\n', // applied (edited): not linted
    '20250101000000_index': 'CREATE INDEX "User_email_idx" ON "User"("email");\nDROP TABLE IF EXISTS "Other";\n',
  });
  const result = await runCli(['lint', '--db', db.url, '--migrations', dir, '--large-table-rows', '1000', '--json']);
  assert.equal(result.code, 1, result.stderr);
  const { migrations, findings } = JSON.parse(result.stdout) as { migrations: string[]; findings: Finding[] };
  assert.deepEqual(migrations, ['20250101000000_index']);
  assert.ok(findings.every((f) => f.migration === '20250101000000_index'));
  const index = findings.find((f) => f.rule === 'require-concurrent-index-creation');
  assert.equal(index?.severity, 'error');
  assert.equal(index?.table, 'public."User"', 'shown as PostgreSQL writes it, so it is never confused with another table');
  assert.match(index?.escalated ?? '', /public\."User" has 3,000 rows .*lock all 3,000 rows/);

  // Below the threshold the same finding keeps squawk's severity.
  const small = await runCli(['lint', '--db', db.url, '--migrations', dir, '--large-table-rows', '5000', '--json']);
  const calm = (JSON.parse(small.stdout) as { findings: Finding[] }).findings.find((f) => f.rule === 'require-concurrent-index-creation');
  assert.equal(calm?.severity, 'warning');
  assert.equal(calm?.escalated, undefined);
});

test('lint with nothing pending says so and exits 0', async (t) => {
  const db = await createTestDatabase(t);
  const init = 'CREATE TABLE a (id int);\n';
  await writePrismaHistory(db.url, [{ name: '20240101000000_init', checksum: sha256(init) }]);
  const dir = makeMigrationsFolder(t, { '20240101000000_init': init });
  const result = await runCli(['lint', '--migrations', dir], { env: { DATABASE_URL: db.url } });
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, /nothing to lint: no pending migrations/);
});

test('by default lint leaves out the style rules Prisma migrations always trip; --all-rules shows them', async (t) => {
  const demo = readFileSync(new URL('../../scripts/demo/app/pending/20251201090000_add_achievements/migration.sql', import.meta.url), 'utf8');
  const dir = makeMigrationsFolder(t, { '20251201090000_add_achievements': demo });
  const rulesOf = async (extra: string[]) => {
    const result = await runCli(['lint', '--all', '--migrations', dir, '--json', ...extra], { env: { DATABASE_URL: undefined } });
    assert.equal(result.code, 1, result.stderr);
    return new Set((JSON.parse(result.stdout) as { findings: Finding[] }).findings.map((f) => f.rule));
  };
  const style = ['prefer-robust-stmts', 'prefer-bigint-over-int', 'prefer-identity', 'prefer-timestamp-tz', 'require-lock-timeout', 'require-statement-timeout'];
  assert.ok(style.every((rule) => DEFAULT_EXCLUDED_LINT_RULES.includes(rule)));

  const defaults = await rulesOf([]);
  assert.ok(defaults.has('require-concurrent-index-creation'), [...defaults].join(', '));
  assert.deepEqual(DEFAULT_EXCLUDED_LINT_RULES.filter((rule) => defaults.has(rule)), []);

  const everything = await rulesOf(['--all-rules']);
  assert.ok(everything.has('require-concurrent-index-creation'));
  for (const rule of style) assert.ok(everything.has(rule), `${rule} with --all-rules (got ${[...everything].join(', ')})`);
});

test('the config sets the large-table threshold and the excluded rules; the flag still wins', async (t) => {
  const db = await createTestDatabase(t);
  const applied = 'CREATE TABLE "User" (id serial PRIMARY KEY, email text);\n';
  await sql(db.url, `${applied} INSERT INTO "User" (email) SELECT 'u' || g FROM generate_series(1, 3000) g; ANALYZE "User";`);
  await writePrismaHistory(db.url, [{ name: '20240101000000_init', checksum: sha256(applied) }]);
  const dir = makeMigrationsFolder(t, { '20240101000000_init': applied, '20250101000000_index': 'CREATE INDEX "User_email_idx" ON "User"("email");\n' });
  const config = join(dirname(dir), 'logbook.config.json');
  writeFileSync(config, JSON.stringify({ lint: { largeTableRows: 1000, excludeRules: ['require-concurrent-index-creation'] } }));
  const findingsWith = async (extra: string[]) => {
    const result = await runCli(['lint', '--db', db.url, '--migrations', dir, '--config', config, '--json', ...extra]);
    assert.ok(result.code === 0 || result.code === 1, result.stderr);
    return (JSON.parse(result.stdout) as { findings: Finding[] }).findings.filter((f) => f.rule === 'require-concurrent-index-creation');
  };
  assert.deepEqual(await findingsWith([]), [], 'excluded by the config');
  const [escalated] = await findingsWith(['--all-rules']);
  assert.equal(escalated?.severity, 'error', 'lint.largeTableRows 1000 < 3,000 rows');
  const [calm] = await findingsWith(['--all-rules', '--large-table-rows', '5000']);
  assert.equal(calm?.severity, 'warning');
});
