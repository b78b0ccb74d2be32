// logbook lint end to end: findings per statement and rule, pending-only with a database, severity tiers,
// escalation on large tables, context (tables the batch creates), --fail-on, and the CI formats.
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
  assert.equal(find('changing-column-type')?.table, '"User"', 'a quoted identifier keeps its case, and is shown quoted');
  const text = await runCli(['lint', '--all', '--migrations', dir], { env: { DATABASE_URL: undefined } });
  assert.match(text.stdout, /migration\.sql:2 {2}ERROR {2}ban-drop-column/);
  assert.match(text.stdout, /> CREATE INDEX "User_email_idx" ON "User"\("email"\);/);
});

test('with a database, lint covers only pending migrations and escalates locks on large tables with their row count', async (t) => {
  const db = await createTestDatabase(t);
  const applied = 'CREATE TABLE "User" (id serial PRIMARY KEY, email text, name varchar(20), age int);\n';
  await sql(db.url, `${applied} INSERT INTO "User" (email) SELECT 'u' || g FROM generate_series(1, 3000) g; ANALYZE "User";`);
  await writePrismaHistory(db.url, [{ name: '20240101000000_init', checksum: sha256(applied) }]);
  const dir = makeMigrationsFolder(t, {
    '20240101000000_init': `${applied}ALTER TABLE "User" DROP COLUMN "legacy";\n`, // applied (edited): not linted
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
  assert.match(index?.escalated ?? '', /public\."User" has 3,000 rows .*takes SHARE on it and scans it .*locking all 3,000 rows/);

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
    assert.equal(result.code, 0, `nothing at the default fail level (error): ${result.stderr}`);
    return new Set((JSON.parse(result.stdout) as { findings: Finding[] }).findings.map((f) => f.rule));
  };
  const style = [
    'prefer-robust-stmts',
    'prefer-bigint-over-int',
    'prefer-identity',
    'prefer-timestamp-tz',
    'require-lock-timeout',
    'require-statement-timeout',
  ];
  assert.ok(style.every((rule) => DEFAULT_EXCLUDED_LINT_RULES.includes(rule)));

  const defaults = await rulesOf([]);
  assert.ok(!defaults.has('require-concurrent-index-creation'), `the index is on the table the migration creates: ${[...defaults].join(', ')}`);
  assert.deepEqual(
    DEFAULT_EXCLUDED_LINT_RULES.filter((rule) => defaults.has(rule)),
    [],
  );

  const everything = await rulesOf(['--all-rules']);
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

/** A seeded database (User 5,000 rows, Post 3,000) with one applied migration, and pending ones to lint. */
async function seeded(t: Parameters<typeof createTestDatabase>[0], pending: Record<string, string>) {
  const db = await createTestDatabase(t);
  const applied = [
    'CREATE TABLE "User" (id serial PRIMARY KEY, email text, name varchar(40), age int);',
    'CREATE TABLE "Post" (id serial PRIMARY KEY, "authorId" int, title text);',
    'CREATE TABLE "Document" (id serial PRIMARY KEY, body text);',
    "CREATE TYPE \"Role\" AS ENUM ('USER', 'ADMIN');",
    'CREATE INDEX "User_email_idx" ON "User"("email");',
    '',
  ].join('\n');
  await sql(
    db.url,
    `${applied} INSERT INTO "User" (email, name) SELECT 'u' || g, 'n' || g FROM generate_series(1, 5000) g;
    INSERT INTO "Post" ("authorId", title) SELECT 1 + g % 5000, 't' FROM generate_series(1, 3000) g;
    INSERT INTO "Document" (body) SELECT 'd' FROM generate_series(1, 10) g; ANALYZE;`,
  );
  await writePrismaHistory(db.url, [{ name: '20240101000000_init', checksum: sha256(applied) }]);
  const dir = makeMigrationsFolder(t, { '20240101000000_init': applied, ...pending });
  const lint = async (extra: string[] = []) => {
    const result = await runCli(['lint', '--db', db.url, '--migrations', dir, '--large-table-rows', '1000', ...extra]);
    return result;
  };
  return { db, dir, lint };
}

const byRule = <F extends Finding>(findings: F[], rule: string): F[] => findings.filter((f) => f.rule === rule);

interface FullFinding extends Finding {
  columns?: string[];
  alsoRules?: string[];
  safeAlternative?: string;
  message: string;
  lock?: string;
  target?: { schema: string | null; name: string };
  accepted?: { reason: string; source: string };
}

test('severity tiers, context and one finding per statement and rule, on fixture migrations over a seeded database', async (t) => {
  const { lint } = await seeded(t, {
    '20250101000000_risky': [
      'DROP TABLE "Document";', // 1: data loss on a 10-row table: error
      'ALTER TABLE "User" DROP COLUMN "age";', // 2: data loss: error
      'ALTER TABLE "User" ALTER COLUMN "name" SET DATA TYPE TEXT;', // 3: rewrite of a large table: error with rows
      'CREATE INDEX "User_name_idx" ON "User"("name");', // 4: blocking on a large table: error
      'DROP INDEX "User_email_idx";', // 5: names no table; resolved through the snapshot, escalated
      'ALTER TABLE "Post" ADD CONSTRAINT "Post_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "User"("id");', // 6: one finding, not two
      'ALTER TABLE "Post" ALTER COLUMN "title" SET NOT NULL;', // 7: names the column, suggests the CHECK path
      'ALTER TYPE "Role" ADD VALUE \'OWNER\';', // 8: enum value ordering: info
      'CREATE TABLE "Badge" (id serial PRIMARY KEY, "userId" int NOT NULL, label text);', // 9
      'CREATE INDEX "Badge_userId_idx" ON "Badge"("userId");', // 10: on a table created in the same migration: nothing
      'ALTER TABLE "Badge" ALTER COLUMN "label" SET NOT NULL;', // 11: nothing either
      '',
    ].join('\n'),
    '20250102000000_later':
      'CREATE INDEX "Badge_label_idx" ON "Badge"("label");\nALTER TABLE "Badge" ADD CONSTRAINT "Badge_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") NOT VALID;\n',
  });
  const result = await lint(['--json']);
  assert.equal(result.code, 1, result.stderr);
  const { findings, locks } = JSON.parse(result.stdout) as {
    findings: FullFinding[];
    locks: Array<{ line: number; migration: string; locks: Array<{ table: string; mode: string; created: boolean }> }>;
  };
  const one = (rule: string) => {
    const found = byRule(findings, rule);
    assert.equal(found.length, 1, `${rule}: exactly one finding (${findings.map((f) => `${f.rule}@${f.line}`).join(', ')})`);
    return found[0]!;
  };

  const dropTable = one('ban-drop-table');
  assert.equal(dropTable.severity, 'error', 'data loss is an error on any table, even 10 rows');
  assert.equal(dropTable.table, 'public."Document"');
  const dropColumn = one('ban-drop-column');
  assert.deepEqual([dropColumn.severity, dropColumn.columns, dropColumn.line], ['error', ['age'], 2]);

  const typeChange = one('changing-column-type');
  assert.equal(typeChange.severity, 'error');
  assert.match(typeChange.escalated ?? '', /public\."User" has 5,000 rows .*ACCESS EXCLUSIVE.*rewrites it/);
  assert.deepEqual(typeChange.columns, ['name']);

  const index = byRule(findings, 'require-concurrent-index-creation');
  assert.deepEqual(
    index.map((f) => [f.line, f.severity, f.table]),
    [[4, 'error', 'public."User"']],
    'only the index on the existing large table',
  );
  assert.match(index[0]!.safeAlternative ?? '', /CONCURRENTLY.*only that statement.*lock_timeout/s);

  const dropIndex = one('require-concurrent-index-deletion');
  assert.deepEqual([dropIndex.severity, dropIndex.table, dropIndex.lock], ['error', 'public."User"', 'ACCESS EXCLUSIVE']);
  assert.match(dropIndex.escalated ?? '', /public\."User" has 5,000 rows/);

  const fk = one('adding-foreign-key-constraint');
  assert.equal(byRule(findings, 'constraint-missing-not-valid').length, 0, 'merged into the foreign-key finding');
  assert.deepEqual(fk.alsoRules, ['constraint-missing-not-valid']);
  assert.deepEqual([fk.line, fk.columns, fk.severity], [6, ['authorId'], 'error']);
  assert.match(fk.safeAlternative ?? '', /NOT VALID.*VALIDATE CONSTRAINT/);

  const notNull = byRule(findings, 'adding-not-nullable-field');
  assert.deepEqual(
    notNull.map((f) => [f.line, f.columns, f.target]),
    [[7, ['title'], { schema: 'public', name: 'Post' }]],
    'not on the created table',
  );
  assert.match(notNull[0]!.message, /Column: "title" of public\."Post"/);
  assert.match(notNull[0]!.safeAlternative ?? '', /CHECK \("title" IS NOT NULL\) NOT VALID.*VALIDATE CONSTRAINT.*SET NOT NULL/);

  const enumOrder = one('require-enum-value-ordering');
  assert.deepEqual([enumOrder.severity, enumOrder.line], ['info', 8]);

  assert.deepEqual(
    findings.filter((f) => f.migration === '20250102000000_later'),
    [],
    'tables created earlier in the pending batch are not flagged',
  );
  // The lock report still lists them, marked as created in the batch.
  const later = locks.filter((l) => l.migration === '20250102000000_later');
  assert.deepEqual(
    later.map((l) => l.locks.map((x) => [x.table, x.mode, x.created])),
    [
      [['Badge', 'SHARE', true]],
      [
        ['Badge', 'SHARE ROW EXCLUSIVE', true],
        ['User', 'SHARE ROW EXCLUSIVE', false],
      ],
    ],
  );

  const text = await lint();
  assert.match(text.stdout, /20250101000000_risky\/migration\.sql:5 {2}DROP INDEX\n {6}ACCESS EXCLUSIVE on public\."User" \(5,000 rows, [\d.]+ kB\)/);
  assert.match(text.stdout, /ALTER TABLE … ALTER COLUMN TYPE\n {6}ACCESS EXCLUSIVE on public\."User" \(5,000 rows, [\d.]+ kB\), rewrites it \(~\d+ ms\)/);
});

test("lint.severity sets a rule's tier; escalation by table size still raises a blocking rule", async (t) => {
  const { dir, db } = await seeded(t, {
    '20250101000000_m': 'ALTER TABLE "User" RENAME COLUMN "age" TO "years";\nCREATE INDEX "User_name_idx" ON "User"("name");\n',
  });
  const config = join(dirname(dir), 'logbook.config.json');
  writeFileSync(
    config,
    JSON.stringify({ lint: { largeTableRows: 1000, severity: { 'renaming-column': 'error', 'require-concurrent-index-creation': 'info' } } }),
  );
  const result = await runCli(['lint', '--db', db.url, '--migrations', dir, '--config', config, '--json']);
  const { findings } = JSON.parse(result.stdout) as { findings: FullFinding[] };
  assert.equal(byRule(findings, 'renaming-column')[0]?.severity, 'error');
  assert.equal(byRule(findings, 'require-concurrent-index-creation')[0]?.severity, 'error', 'info by config, error on a 5,000-row table');
});

test('--fail-on sets the exit code; an acceptance comment takes a finding out of it', async (t) => {
  const { lint, dir } = await seeded(t, { '20250101000000_m': 'ALTER TABLE "Post" RENAME COLUMN "title" TO "heading";\n' });
  assert.equal((await lint()).code, 0, 'a warning is below the default fail level (error)');
  assert.equal((await lint(['--fail-on', 'warning'])).code, 1);
  assert.equal((await lint(['--fail-on', 'none'])).code, 0);
  const bad = await lint(['--fail-on', 'fatal']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--fail-on must be error, warning, info or none/);

  writeFileSync(
    join(dir, '20250101000000_m', 'migration.sql'),
    '-- logbook:accept renaming-column: the app reads both names since v4.2\nALTER TABLE "Post" RENAME COLUMN "title" TO "heading";\n',
  );
  const accepted = await lint(['--fail-on', 'warning', '--json']);
  assert.equal(accepted.code, 0, accepted.stderr);
  const { findings, acceptances } = JSON.parse(accepted.stdout) as { findings: FullFinding[]; acceptances: unknown[] };
  assert.deepEqual(findings[0]?.accepted, { reason: 'the app reads both names since v4.2', source: 'comment' });
  assert.deepEqual(acceptances, [
    { migration: '20250101000000_m', rule: 'renaming-column', reason: 'the app reads both names since v4.2', source: 'comment', line: 1 },
  ]);
});

test('lint --format github prints one workflow annotation per finding, escaped, with paths relative to the app repo', async (t) => {
  // A folder name with the characters annotation properties must escape (`,` and `:`).
  const name = '20250101000000_a,b:c';
  const { dir, db } = await seeded(t, {
    [name]: 'ALTER TABLE "User" DROP COLUMN "age";\nCREATE INDEX "User_name_idx" ON "User"("name");\nALTER TYPE "Role" ADD VALUE \'OWNER\';\n',
  });
  const appRepo = dirname(dirname(dir));
  const summary = join(appRepo, 'summary.md');
  const result = await runCli(['lint', '--db', db.url, '--migrations', dir, '--large-table-rows', '100000', '--format', 'github', '--app-repo', appRepo], {
    env: { GITHUB_STEP_SUMMARY: summary },
  });
  assert.equal(result.code, 1, result.stderr);
  const lines = result.stdout.trimEnd().split('\n');
  assert.equal(lines.length, 3, result.stdout);
  // ::LEVEL file=…,line=…,title=…::message, and nothing unescaped that would end a property or the command.
  const annotation = /^::(error|warning|notice) file=([^,:\r\n]+),line=(\d+),title=([^,:\r\n]+)::([^\r\n]*)$/;
  const parsed = lines.map((line) => {
    const match = annotation.exec(line);
    assert.ok(match, `annotation syntax: ${line}`);
    return { level: match[1], file: match[2], line: Number(match[3]), title: match[4], message: match[5]! };
  });
  const file = 'prisma/migrations/20250101000000_a%2Cb%3Ac/migration.sql';
  assert.deepEqual(
    parsed.map((p) => [p.level, p.file, p.line, p.title]),
    [
      ['error', file, 1, 'ban-drop-column on public."User"'],
      ['warning', file, 2, 'require-concurrent-index-creation on public."User"'],
      ['notice', file, 3, 'require-enum-value-ordering'],
    ],
  );
  // Multi-line messages become %0A; a literal % (the lock_timeout URL example) becomes %25.
  assert.match(parsed[1]!.message, /%0ASafe alternative: .*options=-c%2520lock_timeout%253D5s/);
  assert.ok(!/%(?!0A|0D|25)/.test(parsed[1]!.message), 'every % in the data is an escape');
  // The job summary gets the Markdown report.
  assert.match(readFileSync(summary, 'utf8'), /### Migration lint[\s\S]*\| error \| `ban-drop-column` \|/);
});

test('lint --format markdown is a pull-request comment: counts, findings, locks', async (t) => {
  const { lint } = await seeded(t, { '20250101000000_m': 'ALTER TABLE "User" DROP COLUMN "age";\n' });
  const result = await lint(['--format', 'markdown']);
  assert.equal(result.code, 1, result.stderr);
  assert.match(result.stdout, /^### Migration lint\n\n1 migration\(s\) linted: 1 error\(s\), 0 warning\(s\), 0 info\n/);
  assert.match(result.stdout, /\| error \| `ban-drop-column` \| `20250101000000_m\/migration\.sql:1` \| Dropping a column/);
  assert.match(
    result.stdout,
    /#### Locks[\s\S]*\| `20250101000000_m\/migration\.sql:1` \| ALTER TABLE … DROP COLUMN \| ACCESS EXCLUSIVE on public\\\.\\"User\\" \\\(5,000 rows/,
  );
});

test('rules from the lock report: TRUNCATE is data loss, an unflagged rewrite of a large table is blocking, CONCURRENTLY must stand alone in a Prisma migration', async (t) => {
  const { lint } = await seeded(t, {
    '20250101000000_m': 'TRUNCATE "Document";\nALTER TABLE "User" SET LOGGED;\nALTER TABLE "Post" SET LOGGED;\n',
    '20250102000000_concurrently': 'CREATE INDEX CONCURRENTLY "Post_title_idx" ON "Post"("title");\nALTER TABLE "Post" ADD COLUMN "views" integer;\n',
    '20250103000000_alone': 'CREATE INDEX CONCURRENTLY "User_name_idx" ON "User"("name");\n',
  });
  const result = await lint(['--large-table-rows', '4000', '--json']);
  const { findings } = JSON.parse(result.stdout) as { findings: FullFinding[] };
  assert.deepEqual(
    findings.map((f) => [f.migration.slice(15), f.line, f.rule, f.severity]),
    [
      ['m', 1, 'truncate-table', 'error'],
      ['m', 2, 'blocking-lock-on-large-table', 'error'],
      ['concurrently', 1, 'prisma-concurrent-index-not-alone', 'warning'],
    ],
    'SET LOGGED on Post (3,000 rows, under the threshold) and the lone CONCURRENTLY index are fine',
  );
  assert.match(findings[1]!.message, /ALTER TABLE … SET LOGGED takes ACCESS EXCLUSIVE on public\."User" and rewrites it/);
});

test('a type change that can lose data is an error on any table; a widening one is a blocking lock, an error only on a large table', async (t) => {
  const { lint } = await seeded(t, {
    '20250101000000_m': 'ALTER TABLE "Post" ALTER COLUMN "title" TYPE varchar(5);\nALTER TABLE "User" ALTER COLUMN "name" TYPE text;\n',
  });
  const result = await lint(['--large-table-rows', '1000000', '--json']);
  const { findings } = JSON.parse(result.stdout) as { findings: FullFinding[] };
  assert.deepEqual(
    findings.map((f) => [f.line, f.rule, f.severity, f.columns]),
    [
      [1, 'changing-column-type', 'error', ['title']],
      [2, 'changing-column-type', 'warning', ['name']],
    ],
  );
  assert.match(findings[0]!.message, /table\. Converting to varchar\(5\) \("title"\) can truncate values or fail on existing data/);
});
