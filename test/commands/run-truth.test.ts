// The record tells the truth in every outcome: maintenance left or not, a database gone after the
// migration, Ctrl-C with a grandchild, resume after kill -9, a failing migration in the middle of a
// history, a failed migration already present, unconfigured steps, hostile paths and check SQL.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { setUpGameDatabase } from '../../scripts/demo/game-database.ts';
import { addMigration, deployCommand } from '../../scripts/demo/workspace.ts';
import { startThrowawayCluster } from '../../scripts/support/throwaway-cluster.ts';
import { checklistEntries } from '../../src/core/record/record-checklist.ts';
import { parseRecordFile } from '../../src/core/record/parse-record.ts';
import type { MigrationRecord } from '../../src/schemas/record.ts';
import { sql } from '../helpers/postgres.ts';
import { recordPaths } from '../helpers/record-files.ts';
import { makeRunFixture, type RunFixture } from '../helpers/run-fixture.ts';

const ENTRY = fileURLToPath(new URL('../../scripts/logbook.mjs', import.meta.url));
const ENV = { databaseUrlEnv: 'LOGBOOK_TEST_DB', appRepo: 'app', smokeBaseUrlEnv: 'LOGBOOK_TEST_API' };

function records(f: RunFixture): MigrationRecord[] {
  return recordPaths(f.ws.recordsDir)
    .sort()
    .map((n) => {
      const parsed = parseRecordFile(readFileSync(join(f.ws.recordsDir, n), 'utf8'), n);
      assert.ok(parsed.ok, JSON.stringify(!parsed.ok && parsed.problems));
      return parsed.value.record;
    });
}

// biome-ignore lint/suspicious/noExplicitAny: the journal is read as untyped JSON to assert on its raw shape.
function journal(f: RunFixture): Record<string, any> | undefined {
  const dir = join(f.ws.stateDir, 'runs');
  const names = existsSync(dir) ? readdirSync(dir).filter((n) => n.endsWith('.json') && !n.startsWith('.')) : [];
  return names.length ? JSON.parse(readFileSync(join(dir, names[0]!), 'utf8')) : undefined;
}

function spawnRun(f: RunFixture, command: string[]) {
  const child = spawn(process.execPath, [ENTRY, 'run', '--config', f.ws.configFile, '--env', f.ws.environment, '--', ...command], {
    cwd: f.ws.dir,
    env: { ...process.env, ...f.env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const closed = new Promise<number | null>((r) => child.once('close', r));
  return { child, closed, stderr: () => stderr };
}

async function until(what: string, test: () => boolean, ms = 30_000): Promise<void> {
  for (const end = Date.now() + ms; Date.now() < end; ) {
    if (test()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.fail(`timed out waiting for ${what}`);
}

/** Alive and not a zombie (an orphan nobody reaped is dead for our purposes). */
function processLives(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z /s.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

function groupLives(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

async function tableExists(url: string, name: string): Promise<boolean> {
  const [row] = await sql<{ t: string | null }>(url, 'SELECT to_regclass($1)::text AS t', [name]);
  return row?.t !== null;
}

const toolDone = (record: MigrationRecord) =>
  checklistEntries(record.checklist)
    .filter((c) => c.by === 'tool')
    .map((c) => c.stepId);

describe('the record tells the truth', () => {
  it('a maintenance leave that fails exits 14 with a banner, status unverified, the migration applied', async (t) => {
    const f = await makeRunFixture(t, {
      config: {
        environments: { staging: { ...ENV, maintenance: { enter: 'touch in-maintenance', leave: 'echo cannot reach the load balancer >&2; exit 3' } } },
      },
    });
    await addMigration(f.ws, '20251201090000_add_achievements');
    const result = await f.run();
    assert.equal(result.code, 14, result.stderr);
    assert.match(result.stderr, /THE APPLICATION IS STILL IN MAINTENANCE MODE/);
    assert.match(result.stderr, /leave maintenance mode by hand NOW/);
    const [record] = records(f);
    assert.equal(record!.status, 'unverified');
    assert.match(record!.outcome.warnings!.join('\n'), /maintenance mode was not left: .* exited 3/);
    assert.equal(record!.execution!.downtimeMs, null, 'no downtime is claimed for a window that never closed');
    assert.ok(!toolDone(record!).includes('cleanup.remove-maintenance-mode'), 'leaving maintenance is not claimed');
    assert.ok(existsSync(join(f.ws.dir, 'in-maintenance')), 'the app really is still in maintenance');
    assert.ok(await tableExists(f.url, 'public.achievements'), 'the migration was applied');
  });

  it('a database gone after the migration is unverified (12), with no post snapshot and the checks named as not run', async (t) => {
    const cluster = await startThrowawayCluster();
    t.after(() => cluster.stop());
    await setUpGameDatabase(cluster.url, { scale: 0.01 });
    const f = await makeRunFixture(t, { databaseUrl: cluster.url });
    await addMigration(f.ws, '20251201090000_add_achievements');
    // The migration succeeds, then the server dies (the postmaster is killed): nothing after can connect.
    const stopServer = `kill -9 "$(head -1 '${join(cluster.dir, 'data', 'postmaster.pid')}')"`;
    const result = await f.cli(['run', '--env', f.ws.environment, '--', 'sh', '-c', `"$@" && ${stopServer}`, 'sh', ...deployCommand(f.ws)]);
    assert.equal(result.code, 12, result.stderr);
    const [record] = records(f);
    assert.equal(record!.status, 'unverified');
    assert.equal(record!.post, null);
    assert.equal(record!.execution!.exitCode, 0);
    const warnings = record!.outcome.warnings!.join('\n');
    assert.match(warnings, /the post-migration snapshot was not taken/);
    assert.match(warnings, /the integrity checks could not run/);
    assert.ok(!toolDone(record!).includes('verification.run-integrity-checks'), 'checks that did not run are not claimed');
  });

  it('Ctrl-C while a grandchild ignores SIGTERM: the whole group is killed after the grace period, exit 130', async (t) => {
    const f = await makeRunFixture(t, { config: { process: { stopGraceMs: 1500 } } });
    const stubborn = ['sh', '-c', 'trap "" TERM INT; sleep 1000 & echo $! > grandchild.pid; touch migrating; wait'];
    const run = spawnRun(f, stubborn);
    let grandchild = 0;
    let pgid = 0;
    // Whatever the assertions say, nothing this test started may outlive it (a stray group would hang the suite).
    t.after(() => {
      run.child.kill('SIGKILL');
      for (const target of [grandchild, -pgid]) {
        try {
          if (target) process.kill(target, 'SIGKILL');
        } catch {
          // already gone
        }
      }
    });
    await until('the migration to start', () => existsSync(join(f.ws.appDir, 'grandchild.pid')) && existsSync(join(f.ws.appDir, 'migrating')));
    grandchild = Number(readFileSync(join(f.ws.appDir, 'grandchild.pid'), 'utf8'));
    // The journal names the group once the command is running; on a loaded machine that can trail the command's first output.
    await until('the run to record its process group', () => typeof journal(f)?.process?.pgid === 'number');
    pgid = journal(f)!.process.pgid as number;
    assert.ok(processLives(grandchild));
    const interrupted = Date.now();
    run.child.kill('SIGINT');
    const code = await run.closed;
    const took = Date.now() - interrupted;
    assert.equal(code, 130, run.stderr());
    assert.ok(took < 1500 + 5000, `exited ${took} ms after Ctrl-C`);
    assert.ok(took >= 1400, 'SIGKILL came only after the grace period');
    await until('the grandchild to be gone', () => !processLives(grandchild), 2000);
    assert.ok(!groupLives(pgid) || !processLives(grandchild));
    assert.match(run.stderr(), /logbook resume --run/);
  });

  it('resume after kill -9 leaves maintenance mode and records the real downtime', async (t) => {
    const f = await makeRunFixture(t, {
      config: { environments: { staging: { ...ENV, maintenance: { enter: 'touch in-maintenance', leave: 'rm in-maintenance' } } } },
    });
    await addMigration(f.ws, '20251201090000_add_achievements');
    // Its output goes to a file, so the orphaned migration is not killed by SIGPIPE when the logbook dies.
    const run = spawnRun(f, ['sh', '-c', 'sleep 1; exec "$@" > deploy.log 2>&1', 'sh', ...deployCommand(f.ws)]);
    await until('the migration to start', () => journal(f)?.process?.what === 'migration');
    const pgid = journal(f)!.process.pgid as number;
    run.child.kill('SIGKILL');
    await run.closed;
    await until('the orphaned migration to end', () => !groupLives(pgid));
    assert.ok(existsSync(join(f.ws.dir, 'in-maintenance')), 'the killed run never left maintenance');

    const resumed = await f.cli(['resume', '--status', 'success']);
    assert.equal(resumed.code, 0, resumed.stderr);
    assert.ok(!existsSync(join(f.ws.dir, 'in-maintenance')), 'resume left maintenance mode');
    const [record] = records(f);
    assert.equal(record!.status, 'success');
    assert.ok(record!.execution!.downtimeMs! >= 1000, `downtime ${record!.execution!.downtimeMs} covers the time until resume`);
    assert.match(record!.outcome.warnings!.join('\n'), /maintenance mode was left by `rm in-maintenance` after the run was interrupted/);
    assert.deepEqual(record!.migrationOutcomes, [{ name: '20251201090000_add_achievements', outcome: 'applied' }]);
  });

  it("a history whose middle migration fails names it with Prisma's error; the next run is refused (10) until it is resolved", async (t) => {
    const f = await makeRunFixture(t);
    await addMigration(f.ws, '20251201090000_add_achievements');
    await addMigration(f.ws, '20251202000000_broken', { sql: 'ALTER TABLE players ADD COLUMN rank integer;\nSELECT 1 / 0;\n' });
    await addMigration(f.ws, '20251203090000_index_matches_played_at');
    const failed = await f.run();
    assert.equal(failed.code, 11, failed.stderr);
    const [record] = records(f);
    assert.equal(record!.status, 'failed');
    assert.equal(record!.title, '20251202000000_broken failed (1 applied before it, 1 not run)');
    assert.deepEqual(record!.migrations, ['20251201090000_add_achievements', '20251202000000_broken']);
    assert.deepEqual(
      record!.migrationOutcomes!.map((m) => [m.name, m.outcome]),
      [
        ['20251201090000_add_achievements', 'applied'],
        ['20251202000000_broken', 'failed'],
        ['20251203090000_index_matches_played_at', 'not-run'],
      ],
    );
    assert.match(record!.migrationOutcomes![1]!.logs!, /division by zero/);
    assert.ok(await tableExists(f.url, 'public.achievements'));
    assert.equal(await tableExists(f.url, 'public.matches_played_at_idx'), false, 'the migration after the failed one never ran');

    const backupsBefore = readdirSync(f.ws.backupsDir).length;
    const refused = await f.run();
    assert.equal(refused.code, 10, refused.stderr);
    assert.match(refused.stderr, /already has a failed migration: 20251202000000_broken/);
    assert.match(refused.stderr, /prisma migrate resolve --rolled-back 20251202000000_broken/);
    const second = records(f)[1]!;
    assert.equal(second.status, 'aborted');
    assert.equal(second.execution, null);
    assert.equal(readdirSync(f.ws.backupsDir).length, backupsBefore, 'no backup was taken for a run that cannot go through');
  });

  it('a plain SQL command on a database without _prisma_migrations: the record says so and keeps the names given', async (t) => {
    const f = await makeRunFixture(t);
    await sql(f.url, 'DROP TABLE _prisma_migrations');
    const result = await f.cli([
      'run',
      '--env',
      f.ws.environment,
      '--migration',
      'add-audit-table',
      '--',
      'psql',
      '-q',
      '-c',
      'CREATE TABLE audit (id int)',
      f.url,
    ]);
    assert.equal(result.code, 0, result.stderr);
    const [record] = records(f);
    assert.equal(record!.status, 'success');
    assert.deepEqual(record!.migrations, ['add-audit-table']);
    assert.equal(record!.migrationOutcomes, undefined);
    assert.match(record!.outcome.warnings!.join('\n'), /no _prisma_migrations table: the migrations listed are the names given with --migration/);
    assert.ok(await tableExists(f.url, 'public.audit'));
  });

  it('abort after `start` when nothing was run by hand is aborted (10); nothing is claimed to have changed', async (t) => {
    const f = await makeRunFixture(t);
    await addMigration(f.ws, '20251201090000_add_achievements');
    const started = await f.cli(['start', '--env', f.ws.environment]);
    assert.equal(started.code, 0, started.stderr);
    const aborted = await f.cli(['abort', '--reason', 'change window closed']);
    assert.equal(aborted.code, 10, aborted.stderr);
    const [record] = records(f);
    assert.equal(record!.status, 'aborted');
    assert.equal(record!.execution, null);
    assert.deepEqual(
      record!.migrationOutcomes!.map((m) => m.outcome),
      ['not-run'],
    );
    assert.equal(await tableExists(f.url, 'public.achievements'), false);
  });

  it('smoke checks and maintenance mode that are not configured are not claimed as done, and are asked of the person', async (t) => {
    const f = await makeRunFixture(t, { config: { smoke: [] } });
    await addMigration(f.ws, '20251201090000_add_achievements');
    // --interactive with every answer left blank: the questions show which steps are the person's.
    const result = await f.cli(['run', '--env', f.ws.environment, '--interactive', '--', ...deployCommand(f.ws)], {}, '\n'.repeat(200));
    assert.equal(result.code, 0, result.stderr);
    for (const step of ['app-deploy.verify-health-check', 'pre-migration.set-maintenance-mode', 'environment.verify-credentials'])
      assert.match(result.stderr, new RegExp(`  ${step.replace('.', '\\.')} — `), `${step} is asked`);
    for (const step of ['backup.create-full-backup', 'execution.run-migrate-deploy'])
      assert.doesNotMatch(result.stderr, new RegExp(`  ${step.replace('.', '\\.')} — `), `${step} was done by the run, not asked`);
    const [record] = records(f);
    assert.equal(record!.status, 'success');
    const done = toolDone(record!);
    for (const step of [
      'app-deploy.verify-health-check',
      'functional-testing.leaderboard',
      'pre-migration.set-maintenance-mode',
      'cleanup.remove-maintenance-mode',
    ])
      assert.ok(!done.includes(step), step);
    assert.ok(done.includes('backup.create-full-backup') && done.includes('execution.run-migrate-deploy'), 'what the run did is still claimed');
    assert.equal(record!.timeline.find((p) => p.phase === 'smoke')!.status, 'skipped');
  });

  it('refuses --env, --run and --record that would leave their folders, writing nothing', async (t) => {
    const f = await makeRunFixture(t);
    const env = await f.cli(['run', '--env', '../../x', '--', ...deployCommand(f.ws)]);
    assert.equal(env.code, 2, env.stderr);
    assert.match(env.stderr, /"\.\.\/\.\.\/x" is not an environment name/);
    assert.ok(!existsSync(join(f.ws.stateDir, 'locks')) && !existsSync(join(f.ws.dir, '..', 'x.lock')), 'no lock written anywhere');
    const run = await f.cli(['resume', '--run', '../../x']);
    assert.equal(run.code, 2, run.stderr);
    assert.match(run.stderr, /is not a run id/);
    const record = await f.cli(['rollback', '--record', '../../x', '--yes']);
    assert.equal(record.code, 2, record.stderr);
    assert.match(record.stderr, /"\.\.\/\.\.\/x" is not a record id/);
  });

  it('a check that tries "SELECT 1; COMMIT; DELETE …" is refused and deletes nothing', async (t) => {
    const f = await makeRunFixture(t, {
      config: {
        checks: [
          { name: 'sneaky', sql: 'SELECT 1; COMMIT; DELETE FROM matches', expect: { equals: 1 } },
          { name: 'ends the transaction', sql: 'COMMIT', expect: { equals: 0 } },
        ],
      },
    });
    const [before] = await sql<{ n: string }>(f.url, 'SELECT count(*) AS n FROM matches');
    const result = await f.run();
    assert.equal(result.code, 12, result.stderr);
    const [after] = await sql<{ n: string }>(f.url, 'SELECT count(*) AS n FROM matches');
    assert.equal(after!.n, before!.n, 'nothing was deleted');
    assert.ok(Number(before!.n) > 0);
    const [record] = records(f);
    assert.equal(record!.status, 'unverified');
    assert.match(record!.checks.find((c) => c.name === 'sneaky')!.detail, /cannot insert multiple commands into a prepared statement/);
    assert.match(record!.checks.find((c) => c.name === 'ends the transaction')!.detail, /may not control the transaction/);
  });
});
