// Runs that are interrupted, resumed, done step by step, rolled back, tampered with, or carry a password.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { simpleGit } from 'simple-git';
import { addMigration, deployCommand } from '../../scripts/demo/workspace.ts';
import { withDatabase } from '../../src/adapters/pg/client.ts';
import { checklistEntries } from '../../src/core/record/record-checklist.ts';
import { parseRecordFile } from '../../src/core/record/parse-record.ts';
import type { MigrationRecord } from '../../src/schemas/record.ts';
import { sql } from '../helpers/postgres.ts';
import { recordPaths } from '../helpers/record-files.ts';
import { isCompactSnapshot, postTableCounts, preTableCounts } from '../../src/core/record/snapshot-access.ts';
import { readSnapshotDetail } from '../../src/adapters/fs/snapshot-store.ts';
import { detailOfWhole } from '../../src/core/record/snapshot-files.ts';
import type { Snapshot } from '../../src/schemas/snapshot.ts';
import { makeRunFixture, type RunFixture } from '../helpers/run-fixture.ts';

const ENTRY = fileURLToPath(new URL('../../scripts/logbook.mjs', import.meta.url));

function recordFiles(f: RunFixture): string[] {
  return recordPaths(f.ws.recordsDir)
    .sort()
    .map((n) => join(f.ws.recordsDir, n));
}

function readRecord(file: string): MigrationRecord {
  const parsed = parseRecordFile(readFileSync(file, 'utf8'), file.split('/').pop()!);
  assert.ok(parsed.ok, JSON.stringify(!parsed.ok && parsed.problems));
  return parsed.value.record;
}

/** Rows of the environment lock in the target database (the tool's schema exists once a run took the lock). */
async function lockRows(f: RunFixture): Promise<number> {
  const [row] = await sql<{ n: number }>(f.url, 'SELECT count(*)::int AS n FROM logbook.lock');
  return row!.n;
}

function journals(f: RunFixture): Array<Record<string, unknown>> {
  const dir = join(f.ws.stateDir, 'runs');
  return existsSync(dir)
    ? readdirSync(dir)
        .filter((n) => n.endsWith('.json') && !n.startsWith('.'))
        .map((n) => JSON.parse(readFileSync(join(dir, n), 'utf8')) as Record<string, unknown>)
    : [];
}

async function counts(url: string): Promise<Record<string, number>> {
  const rows = await sql<{ t: string; n: string }>(
    url,
    `
    SELECT 'public.' || relname AS t, (xpath('/row/n/text()', query_to_xml('SELECT count(*) AS n FROM public.' || quote_ident(relname), false, true, '')))[1]::text AS n
      FROM pg_class WHERE relkind = 'r' AND relnamespace = 'public'::regnamespace ORDER BY 1`,
  );
  return Object.fromEntries(rows.map((r) => [r.t, Number(r.n)]));
}

/** Start a run whose migration is slow, SIGKILL the logbook process once the migration has started. */
async function killDuringMigration(f: RunFixture): Promise<Record<string, unknown>> {
  // The migration waits for a file the test writes, so it is surely still alive while resume/abort are tried.
  const slowDeploy = ['sh', '-c', 'until [ -e go ]; do sleep 0.1; done; exec "$@"', 'sh', ...deployCommand(f.ws)];
  const child = spawn(process.execPath, [ENTRY, 'run', '--config', f.ws.configFile, '--env', f.ws.environment, '--', ...slowDeploy], {
    cwd: f.ws.dir,
    env: { ...process.env, ...f.env },
    stdio: 'ignore',
  });
  let journal: Record<string, unknown> | undefined;
  for (let i = 0; i < 600 && !(journal?.migrateStartedAt && journal.process); i++) {
    await new Promise((r) => setTimeout(r, 50));
    journal = journals(f)[0];
  }
  assert.ok(journal?.migrateStartedAt, 'the run reached the migration');
  child.kill('SIGKILL');
  await new Promise((r) => child.once('close', r));
  return journal!;
}

/** The killed run's migration keeps working in its own process group; wait until all of it has ended. */
async function groupEnded(f: RunFixture): Promise<void> {
  writeFileSync(join(f.ws.appDir, 'go'), '');
  const pgid = (journals(f)[0]!.process as { pgid: number }).pgid;
  for (let i = 0; i < 400; i++) {
    try {
      process.kill(-pgid, 0);
    } catch {
      return;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.fail(`process group ${pgid} is still alive`);
}

describe('run lifecycle', () => {
  it('loses nothing when killed with SIGKILL during the migration; resume completes the record', async (t) => {
    const f = await makeRunFixture(t);
    await addMigration(f.ws, '20251201090000_add_achievements');
    const journal = await killDuringMigration(f);
    const early = await f.cli(['resume', '--run', String(journal!.runId), '--status', 'failed']);
    assert.equal(early.code, 13, 'resume refuses while the migration still runs');
    assert.match(early.stderr, /the migration of run .* is still running \(process group \d+: \d+ /);
    assert.equal(recordFiles(f).length, 0);

    const stale = await f.run();
    assert.equal(stale.code, 13, 'a new run is refused while the killed one is unfinished');
    assert.match(stale.stderr, /run \S+ \(staging\) on \S+ \(process \d+\) since .* was interrupted: its process is gone/);
    assert.match(stale.stderr, /logbook resume --run/);

    await groupEnded(f);

    const resumed = await f.cli(['resume', '--run', String(journal!.runId), '--status', 'failed']);
    assert.equal(resumed.code, 11, resumed.stderr);
    const [file] = recordFiles(f);
    const record = readRecord(file!);
    const before = journal as { pre: Snapshot; backup: NonNullable<MigrationRecord['backup']> };
    assert.ok(isCompactSnapshot(record.pre));
    const filedPre = await readSnapshotDetail(f.ws.recordsDir, record.pre.full);
    assert.deepEqual(
      { ...filedPre, writeMarks: [], markPrints: false },
      { ...detailOfWhole(before.pre), writeMarks: [] },
      'the pre snapshot captured before the kill is the one filed',
    );
    assert.deepEqual(filedPre?.writeMarks, [], 'a pre keeps no write-mark values: only the post is compared again');
    assert.deepEqual(
      preTableCounts(record).map((t) => [t.schema, t.name, t.rows]),
      before.pre.tables.map((t) => [t.schema, t.name, t.rows]),
    );
    assert.equal(record.backup!.sha256, before.backup.sha256);
    assert.equal(record.execution!.signal, 'unobserved');
    assert.equal(record.status, 'failed');
    assert.ok(record.post, 'the state after the interruption is captured');
    assert.equal(await lockRows(f), 0, 'lock released');
  });

  it("abort refuses while the killed run's migration lives, then files it as interrupted with what the database says", async (t) => {
    const f = await makeRunFixture(t);
    await addMigration(f.ws, '20251201090000_add_achievements');
    await killDuringMigration(f);
    const early = await f.cli(['abort', '--reason', 'deployer gave up']);
    assert.equal(early.code, 13, early.stderr);
    assert.match(early.stderr, /is still running \(process group \d+/);
    assert.equal(recordFiles(f).length, 0, 'no record while the migration may still write');
    assert.equal(await lockRows(f), 1, 'the lock is kept');
    await groupEnded(f);
    const aborted = await f.cli(['abort', '--reason', 'deployer gave up']);
    assert.equal(aborted.code, 11, aborted.stderr);
    const record = readRecord(recordFiles(f)[0]!);
    assert.equal(record.status, 'interrupted');
    // The orphan dies on its first write to the dead logbook's pipe (SIGPIPE), wherever it was: the record says what the database says.
    const [row] = await sql<{ finished: boolean | null }>(
      f.url,
      "SELECT finished_at IS NOT NULL AS finished FROM _prisma_migrations WHERE migration_name = '20251201090000_add_achievements'",
    );
    const expected = row === undefined ? 'not-run' : row.finished ? 'applied' : 'failed';
    assert.deepEqual(
      record.migrationOutcomes!.map((m) => [m.name, m.outcome]),
      [['20251201090000_add_achievements', expected]],
      'what the orphaned migration did, read back',
    );
    assert.equal(record.execution!.signal, 'unobserved');
    assert.ok(record.post, 'the state after the interruption is captured');
    assert.equal(record.outcome.abortReason, 'deployer gave up');
    assert.equal(await lockRows(f), 0);
  });

  it('Ctrl-C before the migration runs closes the run as aborted: record filed, lock free, maintenance left', async (t) => {
    const f = await makeRunFixture(t, {
      config: {
        environments: {
          staging: {
            databaseUrlEnv: 'LOGBOOK_TEST_DB',
            appRepo: 'app',
            smokeBaseUrlEnv: 'LOGBOOK_TEST_API',
            maintenance: { enter: 'touch in-maintenance && sleep 5', leave: 'rm -f in-maintenance' },
          },
        },
      },
    });
    await addMigration(f.ws, '20251201090000_add_achievements');
    const child = spawn(process.execPath, [ENTRY, 'run', '--config', f.ws.configFile, '--env', f.ws.environment, '--', ...deployCommand(f.ws)], {
      cwd: f.ws.dir,
      env: { ...process.env, ...f.env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    for (let i = 0; i < 600 && !existsSync(join(f.ws.dir, 'in-maintenance')); i++) await new Promise((r) => setTimeout(r, 50));
    assert.ok(existsSync(join(f.ws.dir, 'in-maintenance')), 'maintenance mode was entered');
    child.kill('SIGINT');
    const code = await new Promise((r) => child.once('close', r));
    assert.equal(code, 130, stderr);
    assert.match(stderr, /stopped before the migration ran/);
    assert.ok(!existsSync(join(f.ws.dir, 'in-maintenance')), 'maintenance mode was left');
    const [exists] = await sql<{ t: string | null }>(f.url, "SELECT to_regclass('public.achievements')::text AS t");
    assert.equal(exists?.t, null, 'the migration never ran');
    const record = readRecord(recordFiles(f)[0]!);
    assert.equal(record.status, 'aborted');
    assert.match(record.outcome.abortReason ?? '', /SIGINT/);
    assert.equal(await lockRows(f), 0, 'no lock left behind');
    assert.equal((await f.run()).code, 0, 'the environment is free for the next run');
  });

  it('a second Ctrl-C during the migration still leaves maintenance mode before exiting', async (t) => {
    const f = await makeRunFixture(t, {
      config: {
        environments: {
          staging: {
            databaseUrlEnv: 'LOGBOOK_TEST_DB',
            appRepo: 'app',
            smokeBaseUrlEnv: 'LOGBOOK_TEST_API',
            maintenance: { enter: 'touch in-maintenance', leave: 'rm -f in-maintenance' },
          },
        },
      },
    });
    const stubborn = ['sh', '-c', 'trap "" TERM INT; touch migrating; sleep 3'];
    const child = spawn(process.execPath, [ENTRY, 'run', '--config', f.ws.configFile, '--env', f.ws.environment, '--', ...stubborn], {
      cwd: f.ws.dir,
      env: { ...process.env, ...f.env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    for (let i = 0; i < 600 && !existsSync(join(f.ws.appDir, 'migrating')); i++) await new Promise((r) => setTimeout(r, 50));
    child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 300));
    child.kill('SIGTERM');
    const code = await new Promise((r) => child.once('close', r));
    assert.equal(code, 130, stderr);
    assert.match(stderr, /still stopping the migration and leaving maintenance mode/);
    assert.ok(!existsSync(join(f.ws.dir, 'in-maintenance')), 'maintenance mode was left');
  });

  it('a full disk while filing leaves no half-written record; resume files it once there is room', async (t) => {
    const f = await makeRunFixture(t, { commit: false }); // a tmpfs records folder is another filesystem, where git does not look for the repository
    await addMigration(f.ws, '20251201090000_add_achievements');
    t.after(() => spawnSync('umount', [f.ws.recordsDir]));
    if (spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=8k', 'tmpfs', f.ws.recordsDir]).status !== 0) return t.skip('cannot mount a tmpfs here (needs root)');
    const full = await f.run();
    assert.notEqual(full.code, 0);
    assert.match(full.stderr, /no space left to write/);
    assert.match(full.stderr, /logbook resume --run/);
    // Snapshot files go first; the disk may have taken one (an orphan, never referenced) but no record and no temp file.
    const left = readdirSync(f.ws.recordsDir, { recursive: true, withFileTypes: true })
      .filter((d) => !d.isDirectory())
      .map((d) => relative(f.ws.recordsDir, join(d.parentPath, d.name)));
    assert.deepEqual(
      left.filter((n) => n.endsWith('.tmp') || !n.startsWith('_snapshots')),
      [],
      'no record and no temp file',
    );
    spawnSync('umount', [f.ws.recordsDir]);
    const runId = String(journals(f)[0]!.runId);
    const resumed = await f.cli(['resume', '--run', runId]);
    assert.equal(resumed.code, 0, resumed.stderr);
    const record = readRecord(recordFiles(f)[0]!);
    assert.equal(record.status, 'success');
    assert.ok(postTableCounts(record)!.some((t) => t.name === 'achievements'));
  });

  it('start and finish around a migration run by hand, with a person-ticked checklist', async (t) => {
    const f = await makeRunFixture(t);
    await addMigration(f.ws, '20251201090000_add_achievements');
    const started = await f.cli(['start', '--env', f.ws.environment]);
    assert.equal(started.code, 0, started.stderr);
    const again = await f.cli(['start', '--env', f.ws.environment]);
    assert.equal(again.code, 13);
    assert.match(again.stderr, /awaits `logbook finish`/);

    const [cmd, ...args] = deployCommand(f.ws);
    assert.equal(spawnSync(cmd!, args, { env: { ...process.env, DATABASE_URL: f.url } }).status, 0);
    const checklist = join(f.ws.dir, 'checklist.json');
    writeFileSync(
      checklist,
      JSON.stringify({
        runbook: 'production-migration',
        steps: {
          'communication.notify-team': { state: 'done' },
          'environment.verify-backup-retention': { state: 'skipped', reason: 'policy reviewed last week' },
        },
      }),
    );
    const finished = await f.cli(['finish', '--checklist', checklist]);
    assert.equal(finished.code, 0, finished.stderr);
    const record = readRecord(recordFiles(f)[0]!);
    assert.equal(record.status, 'success');
    assert.ok(postTableCounts(record)!.some((t) => t.name === 'achievements'));
    const skipped = checklistEntries(record.checklist).find((c) => c.stepId === 'environment.verify-backup-retention');
    assert.deepEqual(skipped, { stepId: 'environment.verify-backup-retention', state: 'skipped', by: 'person', reason: 'policy reviewed last week' });
    assert.ok(checklistEntries(record.checklist).some((c) => c.stepId === 'backup.create-full-backup' && c.by === 'tool'));
  });

  it('finish --interactive asks about the manual steps and records the answers', async (t) => {
    const f = await makeRunFixture(t);
    assert.equal((await f.cli(['start', '--env', f.ws.environment])).code, 0);
    // done; skipped, with a reason; not applicable, no reason; then stop asking.
    const finished = await f.cli(['finish', '--interactive'], {}, 'd\ns\nno time tonight\nn\n\nq\n');
    assert.equal(finished.code, 0, finished.stderr);
    assert.match(finished.stderr, /steps are yours to report/);
    const record = readRecord(recordFiles(f)[0]!);
    const person = checklistEntries(record.checklist).filter((c) => c.by === 'person');
    assert.deepEqual(person, [
      { stepId: 'environment.verify-credentials', state: 'done', by: 'person' },
      { stepId: 'environment.check-storage-space', state: 'skipped', by: 'person', reason: 'no time tonight' },
      { stepId: 'environment.verify-backup-retention', state: 'not-applicable', by: 'person' },
    ]);
  });

  it("rollback restores the pre-migration counts, appends to the record and keeps people's notes", async (t) => {
    const f = await makeRunFixture(t);
    await addMigration(f.ws, '20251208090000_drop_legacy_scores');
    const before = await counts(f.url);
    const ran = await f.run();
    assert.equal(ran.code, 0, ran.stderr);
    assert.ok((await counts(f.url))['public.leaderboard_entries']! < before['public.leaderboard_entries']!);
    const [file] = recordFiles(f);
    const record = readRecord(file!);
    assert.ok(
      record.checks.some((c) => c.kind === 'anomaly' && c.status === 'warn'),
      'the row loss is flagged',
    );
    const withNote = readFileSync(file!, 'utf8').replace(
      '## Notes\n\n_Nothing recorded yet._',
      '## Notes\n\nDeployer: *watched* the {leaderboard} page — fine.',
    );
    writeFileSync(file!, withNote.replace('{leaderboard}', '\\{leaderboard\\}'));

    const refused = await f.cli(['rollback', '--record', record.id]);
    assert.equal(refused.code, 2, 'no --yes and no terminal: refused');
    const rolled = await f.cli(['rollback', '--record', record.id, '--yes']);
    assert.equal(rolled.code, 0, rolled.stderr);
    const after = await counts(f.url);
    assert.deepEqual(after, before, 'counts are back to the pre-migration counts');
    const updated = readRecord(file!);
    assert.equal(updated.status, 'rolled-back');
    assert.equal(updated.rollback!.matchesBackup, true);
    assert.equal(updated.rollback!.statusBefore, 'success');
    const source = readFileSync(file!, 'utf8');
    assert.match(source, /Deployer: \*watched\* the \\\{leaderboard\\\} page — fine\./);
    assert.match(source, /## Rollback/);
    assert.equal((await f.cli(['verify'])).code, 0);
  });

  it('rollback with a damaged backup changes nothing: no table dropped, record untouched', async (t) => {
    const f = await makeRunFixture(t);
    await addMigration(f.ws, '20251201090000_add_achievements');
    assert.equal((await f.run()).code, 0);
    const [file] = recordFiles(f);
    const before = readFileSync(file!, 'utf8');
    const archive = readRecord(file!).backup!.path;
    const bytes = readFileSync(archive);
    bytes[bytes.length >> 1]! ^= 0xff;
    writeFileSync(archive, bytes);
    const rolled = await f.cli(['rollback', '--record', readRecord(file!).id, '--yes']);
    assert.equal(rolled.code, 5, rolled.stderr);
    assert.match(rolled.stderr, /sha256 mismatch/);
    const [exists] = await sql<{ t: string | null }>(f.url, "SELECT to_regclass('public.achievements')::text AS t");
    assert.equal(exists?.t, 'achievements', 'the table the migration created is still there');
    assert.equal(readFileSync(file!, 'utf8'), before);
  });

  it('records that cannot be committed stop the run in pre-flight, before the database is touched', async (t) => {
    const outside = mkdtempSync(join(tmpdir(), 'logbook-no-git-'));
    t.after(() => rmSync(outside, { recursive: true, force: true }));
    const f = await makeRunFixture(t, { config: { paths: { records: outside } } });
    await addMigration(f.ws, '20251201090000_add_achievements');
    const first = await f.run();
    assert.equal(first.code, 10, first.stderr);
    assert.match(first.stderr, /is not inside a git repository, so records cannot be committed/);
    assert.equal(recordPaths(outside).length, 0);
    const [schema] = await sql<{ present: boolean }>(f.url, "SELECT to_regnamespace('logbook') IS NOT NULL AS present");
    assert.equal(schema!.present, false, 'the lock (and the tool schema) were never created');
    const [table] = await sql<{ t: string | null }>(f.url, "SELECT to_regclass('public.achievements')::text AS t");
    assert.equal(table!.t, null, 'the migration never ran');
  });

  it('verify catches a hand-edited row count and a deleted record, and passes an untouched history', async (t) => {
    const f = await makeRunFixture(t);
    await addMigration(f.ws, '20251201090000_add_achievements');
    assert.equal((await f.run()).code, 0);
    await addMigration(f.ws, '20251203090000_index_matches_played_at');
    assert.equal((await f.run()).code, 0);
    await addMigration(f.ws, '20251208090000_drop_legacy_scores');
    assert.equal((await f.run()).code, 0);
    const files = recordFiles(f);
    assert.equal(files.length, 3);
    assert.equal((await f.cli(['verify'])).code, 0);

    const original = readFileSync(files[0]!, 'utf8');
    // The first players count in a compact record is the pre snapshot's: `- [players, rows, counted, bytes]`.
    const edited = original.replace(/(- \[players, )(\d+)/, (_, head: string, n: string) => `${head}${Number(n) + 1}`);
    assert.notEqual(edited, original);
    writeFileSync(files[0]!, edited);
    const caught = await f.cli(['verify']);
    assert.equal(caught.code, 1);
    assert.match(caught.stdout, new RegExp(`EDITED\\s+${readRecord(files[0]!).id}: facts edited in: pre`));
    writeFileSync(files[0]!, original);

    rmSync(files[1]!);
    const missing = await f.cli(['verify']);
    assert.equal(missing.code, 1);
    // Records filed through the ledger have positions: the gap is named by position.
    assert.match(missing.stdout, /MISSING\s+staging: position 2 is missing: the chain jumps from .*add-achievements.* to .*drop-legacy-scores/);
  });

  it('a password in the database URL appears nowhere: record, journal, output, git', async (t) => {
    const password = 'S3cret-p@ss:w/rd%';
    const probe = await makeRunFixture(t);
    const role = `app_${Date.now().toString(36)}`;
    await sql(probe.url, `CREATE ROLE ${role} LOGIN SUPERUSER PASSWORD '${password}'`);
    t.after(() => sql(probe.url, `DROP OWNED BY ${role}; DROP ROLE IF EXISTS ${role}`).catch(() => {}));
    const server = new URL(probe.url);
    server.username = role;
    server.password = encodeURIComponent(password);
    const secretUrl = withDatabase(server.toString(), server.pathname.slice(1));
    const f = await makeRunFixture(t, { databaseUrl: secretUrl });
    await sql(f.url, `ALTER DATABASE "${new URL(f.url).pathname.slice(1)}" OWNER TO ${role}`);
    await addMigration(f.ws, '20251201090000_add_achievements');
    const result = await f.cli(['run', '--env', f.ws.environment, '--', ...deployCommand(f.ws), secretUrl]);
    assert.equal(result.code, 0, result.stderr);
    const backups = readdirSync(f.ws.backupsDir).filter((n) => n.endsWith('.meta.json'));
    assert.equal(backups.length, 1);
    const haystacks = {
      sidecar: readFileSync(join(f.ws.backupsDir, backups[0]!), 'utf8'),
      stdout: result.stdout,
      stderr: result.stderr,
      records: recordFiles(f)
        .map((file) => readFileSync(file, 'utf8'))
        .join('\n'),
      journals: JSON.stringify(journals(f)),
      git: await simpleGit(f.ws.dir).raw(['log', '-p', '--all']),
    };
    assert.ok(haystacks.records.includes(`${role}:***@`), 'the record names the user with the password redacted');
    for (const [where, text] of Object.entries(haystacks)) {
      for (const secret of [password, encodeURIComponent(password)]) assert.ok(!text.includes(secret), `password found in ${where}`);
    }
  });
});
