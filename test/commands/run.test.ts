// `logbook run` around real migrations of the demo app, on the throwaway PostgreSQL.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { simpleGit } from 'simple-git';
import { addMigration, deployCommand } from '../../scripts/demo/workspace.ts';
import { parseMdx } from '../../src/core/mdx-syntax.ts';
import { checklistEntries } from '../../src/core/record/record-checklist.ts';
import { parseRecordFile } from '../../src/core/record/parse-record.ts';
import type { MigrationRecord } from '../../src/schemas/record.ts';
import { sql } from '../helpers/postgres.ts';
import { recordPaths } from '../helpers/record-files.ts';
import { postTableCounts, preTableCounts, recordDiff } from '../../src/core/record/snapshot-access.ts';
import { makeRunFixture } from '../helpers/run-fixture.ts';

function records(dir: string): Array<{ file: string; record: MigrationRecord; source: string }> {
  return recordPaths(dir)
    .sort()
    .map((f) => {
      const source = readFileSync(join(dir, f), 'utf8');
      const parsed = parseRecordFile(source, f);
      assert.ok(parsed.ok, `record ${f} validates: ${parsed.ok ? '' : JSON.stringify(parsed.problems)}`);
      return { file: join(dir, f), record: parsed.value.record, source };
    });
}

async function psqlCounts(url: string): Promise<Record<string, number>> {
  const tables = await sql<{ t: string }>(url, "SELECT schemaname || '.' || tablename AS t FROM pg_tables WHERE schemaname = 'public' ORDER BY 1");
  const counts: Record<string, number> = {};
  for (const { t } of tables) counts[t] = Number((await sql<{ n: string }>(url, `SELECT count(*) AS n FROM ${t}`))[0]!.n);
  return counts;
}

describe('logbook run', () => {
  it('files a validated record around a successful migration, with counts, index, backup and provenance', async (t) => {
    const f = await makeRunFixture(t);
    const before = await psqlCounts(f.url);
    await addMigration(f.ws, '20251201090000_add_achievements');
    const result = await f.run();
    assert.equal(result.code, 0, result.stderr);
    const after = await psqlCounts(f.url);

    const [filed] = records(f.ws.recordsDir);
    const record = filed!.record;
    assert.equal(record.status, 'success');
    assert.deepEqual(record.migrations, ['20251201090000_add_achievements']);
    const pre = Object.fromEntries(preTableCounts(record).map((x) => [`${x.schema}.${x.name}`, x.rows]));
    const post = Object.fromEntries(postTableCounts(record)!.map((x) => [`${x.schema}.${x.name}`, x.rows]));
    assert.deepEqual(pre, before);
    assert.deepEqual(post, after);
    assert.ok(after['public.achievements']! > 0);
    const diff = recordDiff(record)!;
    assert.deepEqual(diff.indexesAdded.map((i) => i.name).sort(), ['achievements_pkey', 'achievements_player_id_idx']);
    assert.deepEqual(diff.migrationsApplied, ['20251201090000_add_achievements']);

    const archive = readFileSync(record.backup!.path);
    assert.equal(createHash('sha256').update(archive).digest('hex'), record.backup!.sha256);
    assert.equal(record.backup!.verification?.ok, true);
    assert.ok(record.execution!.durationMs > 0);
    assert.equal(record.execution!.exitCode, 0);
    assert.equal(record.code!.commit, (await simpleGit(f.ws.appDir).revparse(['HEAD'])).trim());
    assert.equal(record.performedBy.name, 'Demo Deployer');
    assert.deepEqual(
      record.checks.filter((c) => c.status !== 'pass'),
      [],
    );
    assert.ok(record.checks.some((c) => c.kind === 'smoke' && c.name === 'health'));
    assert.ok(
      record.checks.some((c) => c.kind === 'orphans'),
      'the NOT VALID foreign key got an orphan check',
    );
    assert.ok(checklistEntries(record.checklist).some((c) => c.stepId === 'backup.create-full-backup' && c.by === 'tool'));
    const log = await simpleGit(f.ws.dir).log();
    assert.match(log.latest!.message, /staging .*success/);

    const verify = await f.cli(['verify']);
    assert.equal(verify.code, 0, verify.stdout + verify.stderr);
  });

  it('records a failing migration as failed with its exit code and output, and exits 11', async (t) => {
    const f = await makeRunFixture(t);
    await addMigration(f.ws, '20251205090000_backfill_season_rewards');
    const result = await f.run();
    assert.equal(result.code, 11, result.stderr);
    const { record } = records(f.ws.recordsDir)[0]!;
    assert.equal(record.status, 'failed');
    assert.equal(record.execution!.exitCode, 1);
    assert.match(record.execution!.outputTail, /prize_budget/);
    assert.ok(record.post, 'the post-migration state is still captured');
  });

  it('exits 12 when the migration succeeds but an integrity check fails, and records the numbers', async (t) => {
    const f = await makeRunFixture(t, {
      config: {
        checks: [
          {
            name: 'every player earned an achievement',
            sql: 'SELECT count(*) FROM players p WHERE NOT EXISTS (SELECT 1 FROM achievements a WHERE a.player_id = p.id)',
            expect: { equals: 0 },
          },
        ],
      },
    });
    await addMigration(f.ws, '20251201090000_add_achievements');
    const result = await f.run();
    assert.equal(result.code, 12, result.stderr);
    const { record } = records(f.ws.recordsDir)[0]!;
    assert.equal(record.status, 'unverified', 'a failed check is not a success');
    assert.match(record.outcome.warnings!.join('\n'), /1 check\(s\) failed: every player earned an achievement/);
    const check = record.checks.find((c) => c.name === 'every player earned an achievement')!;
    assert.equal(check.status, 'fail');
    assert.ok(check.value! > 0);
    assert.match(check.detail, /expected = 0/);
  });

  it('never runs the migration when the backup cannot be written, and files an aborted record', async (t) => {
    // A path below a regular file: no one, not even root, can create the backup folder there.
    const blocker = join(mkdtempSync(join(tmpdir(), 'logbook-blocker-')), 'file');
    writeFileSync(blocker, 'not a folder');
    const f = await makeRunFixture(t, { config: { paths: { backups: join(blocker, 'backups') } } });
    await addMigration(f.ws, '20251201090000_add_achievements');
    const result = await f.run();
    assert.equal(result.code, 10, result.stderr);
    const [exists] = await sql<{ t: string | null }>(f.url, "SELECT to_regclass('public.achievements')::text AS t");
    assert.equal(exists?.t, null, 'the table the migration would create does not exist');
    const { record } = records(f.ws.recordsDir)[0]!;
    assert.equal(record.status, 'aborted');
    assert.equal(record.execution, null);
    assert.match(record.outcome.abortReason ?? '', /backup/i);
  });

  it('accepts a Prisma-style URL with ?schema= and ?connection_limit= (libpq tools would reject them)', async (t) => {
    const probe = await makeRunFixture(t);
    const prismaUrl = `${probe.url}?schema=public&connection_limit=5`;
    await addMigration(probe.ws, '20251201090000_add_achievements');
    const result = await probe.cli(['run', '--env', probe.ws.environment, '--', ...deployCommand(probe.ws)], { LOGBOOK_TEST_DB: prismaUrl });
    assert.equal(result.code, 0, result.stderr);
    assert.equal(records(probe.ws.recordsDir)[0]!.record.backup!.verification?.ok, true);
  });

  it('refuses a second concurrent run on the same environment', async (t) => {
    const f = await makeRunFixture(t);
    const slow = f.cli(['run', '--env', f.ws.environment, '--', process.execPath, '-e', 'setTimeout(() => {}, 4000)']);
    // The lock is a row in the tool's schema of the target database (and an advisory lock while the run lives).
    const lockRows = () =>
      sql<{ n: number }>(f.url, 'SELECT count(*)::int AS n FROM logbook.lock').then(
        (rows) => rows[0]!.n,
        () => 0,
      );
    for (let i = 0; i < 200 && !(await lockRows()); i++) await new Promise((r) => setTimeout(r, 50));
    const second = await f.run();
    assert.equal(second.code, 13);
    assert.match(second.stderr, /database \S+ is locked: run \S+ \(staging\) on \S+ \(process \d+\) since .* is working on it/);
    assert.equal((await slow).code, 0);
    assert.equal(await lockRows(), 0, 'lock released');
  });

  it('keeps a migration name with <script> and { inert, and the record still validates', async (t) => {
    const f = await makeRunFixture(t);
    const name = '<script>alert(1)</script> {process.exit(1)}';
    const result = await f.run(['--migration', name]);
    assert.equal(result.code, 0, result.stderr);
    const { record, source } = records(f.ws.recordsDir)[0]!;
    assert.deepEqual(record.migrations, [name]);
    // Parsed as MDX, the body holds no JSX, no expression and no raw HTML: the name is only text.
    const kinds = new Set<string>();
    const walk = (node: { type: string; children?: unknown[] }) => {
      kinds.add(node.type);
      for (const child of node.children ?? []) walk(child as { type: string; children?: unknown[] });
    };
    walk(parseMdx(source));
    for (const dangerous of ['mdxJsxFlowElement', 'mdxJsxTextElement', 'mdxFlowExpression', 'mdxTextExpression', 'html'])
      assert.ok(!kinds.has(dangerous), dangerous);
    assert.match(source, /# \\<script\\>alert/);
  });
});
