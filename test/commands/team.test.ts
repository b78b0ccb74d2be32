// A team on one production database: clones of the logbook (each with its own HOME and git identity) share a
// bare records remote; the environment lock lives in the database, so runs from any clone are serialised,
// a run started on one clone is finished or aborted on another, and every record reaches the remote.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { REPO_RUNBOOKS_DIR } from '../../scripts/demo/workspace.ts';
import { type CliResult, runCli } from '../helpers/cli.ts';
import { createTestDatabase, sql } from '../helpers/postgres.ts';
import { recordPaths } from '../helpers/record-files.ts';

interface Clone {
  dir: string;
  home: string;
}

function git(cwd: string, args: string[], home?: string): string {
  return execFileSync('git', args, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', HOME: home ?? cwd, XDG_CONFIG_HOME: join(home ?? cwd, '.config') },
  }).trim();
}

/** A HOME of its own; with a name, its .gitconfig gives git that identity. */
function makeHome(root: string, name: string, identity: boolean): string {
  const home = join(root, `home-${name}`);
  mkdirSync(home, { recursive: true });
  if (identity) writeFileSync(join(home, '.gitconfig'), `[user]\n\tname = Operator ${name}\n\temail = ${name}@example.com\n[commit]\n\tgpgsign = false\n`);
  return home;
}

describe('a team on one database', { concurrency: false }, () => {
  let root: string;
  let remote: string;
  let url: string;
  let migrateScript: string;
  const clones: Record<string, Clone> = {};
  const cleanups: Array<() => unknown> = [];
  after(async () => {
    for (const fn of cleanups.reverse()) await fn();
  });

  const cloneOf = (name: string, identity = true): Clone => {
    const home = makeHome(root, name, identity);
    const dir = join(root, `clone-${name}`);
    git(root, ['clone', '-q', remote, dir], home);
    return { dir, home };
  };

  const cli = (clone: Clone, args: string[], extra: Record<string, string | undefined> = {}): Promise<CliResult> =>
    runCli([args[0]!, '--config', join(clone.dir, 'logbook.config.json'), ...args.slice(1)], {
      cwd: clone.dir,
      env: {
        HOME: clone.home,
        XDG_CONFIG_HOME: join(clone.home, '.config'),
        GIT_CONFIG_NOSYSTEM: '1',
        TEAM_DB: url,
        DATABASE_URL: '',
        CI: '1',
        GITHUB_STEP_SUMMARY: undefined,
        ...extra,
      },
    });

  const run = (clone: Clone, who: string, extra: string[] = []) =>
    cli(clone, ['run', '--env', 'production', '--migration', who, ...extra, '--', migrateScript, who]);
  const runIdOf = (result: CliResult) => /run (production-\d{14}-[0-9a-f]{4}) on production/.exec(result.stderr)?.[1];
  const remoteRecords = () =>
    git(remote, ['ls-tree', '-r', '--name-only', 'main', 'content/records/'])
      .split('\n')
      .filter((n) => n.endsWith('.mdx'));
  const lockRows = async () => (await sql<{ n: number }>(url, 'SELECT count(*)::int AS n FROM logbook.lock'))[0]!.n;

  /** A fresh clone of the remote verifies every record (chains, digests, the ledger). */
  const verifyFreshClone = async (name: string) => {
    const fresh = cloneOf(name);
    const result = await cli(fresh, ['verify']);
    assert.equal(result.code, 0, `verify in a fresh clone of the remote:\n${result.stdout}\n${result.stderr}`);
  };

  before(async () => {
    root = mkdtempSync(join(tmpdir(), 'logbook-team-'));
    cleanups.push(() => rmSync(root, { recursive: true, force: true }));
    url = (await createTestDatabase({ after: (fn: () => unknown) => void cleanups.push(fn) } as never, 'team')).url;
    await sql(url, 'CREATE TABLE deploy_log (id serial PRIMARY KEY, who text NOT NULL, what text NOT NULL)');
    // The "migration": logs its start and end into a table, with time in between for another to overlap if it could.
    migrateScript = join(root, 'migrate.sh');
    writeFileSync(
      migrateScript,
      `#!/bin/sh\npsql "$TEAM_DB" -qAtc "INSERT INTO deploy_log (who, what) VALUES ('$1', 'start')"\nsleep 1\npsql "$TEAM_DB" -qAtc "INSERT INTO deploy_log (who, what) VALUES ('$1', 'end')"\n`,
    );
    chmodSync(migrateScript, 0o755);

    remote = join(root, 'records.git');
    git(root, ['init', '-q', '--bare', '-b', 'main', remote]);
    const seedHome = makeHome(root, 'seed', true);
    const seed = join(root, 'seed');
    git(root, ['clone', '-q', remote, seed], seedHome);
    mkdirSync(join(seed, 'content', 'records'), { recursive: true });
    writeFileSync(join(seed, 'content', 'records', '.gitkeep'), '');
    writeFileSync(join(seed, '.gitignore'), '.logbook/\n');
    const config = {
      environments: { production: { databaseUrlEnv: 'TEAM_DB' }, 'prod-alias': { databaseUrlEnv: 'TEAM_DB' } },
      paths: { records: 'content/records', runbooks: REPO_RUNBOOKS_DIR, backups: '.logbook/backups', state: '.logbook' },
      commit: true,
      git: { push: true },
    };
    writeFileSync(join(seed, 'logbook.config.json'), `${JSON.stringify(config, null, 2)}\n`);
    git(seed, ['add', '.'], seedHome);
    git(seed, ['commit', '-qm', 'logbook workspace'], seedHome);
    git(seed, ['push', '-q', 'origin', 'HEAD:main'], seedHome);
    for (const name of ['a', 'b', 'c']) clones[name] = cloneOf(name);
  });

  it("a run started on clone A blocks clone B (exit 13, naming A's host and run), and B finishes it from the database-held journal", async () => {
    const { a, b } = clones as Record<'a' | 'b', Clone>;
    const started = await cli(a, ['start', '--env', 'production', '--migration', 'by-hand']);
    assert.equal(started.code, 0, started.stderr);
    const runId = runIdOf(started);
    assert.ok(runId, started.stderr);

    const refused = await run(b, 'b-refused');
    assert.equal(refused.code, 13, refused.stderr);
    assert.ok(refused.stderr.includes(runId!), `names the run: ${refused.stderr}`);
    assert.ok(refused.stderr.includes(hostname()), `names the host: ${refused.stderr}`);
    assert.match(refused.stderr, /awaits `logbook finish`/);

    assert.ok(!existsSync(join(b.dir, '.logbook', 'runs', `${runId}.json`)), "B holds no journal of A's run");
    const finished = await cli(b, ['finish', '--env', 'production']);
    assert.equal(finished.code, 0, finished.stderr);
    assert.equal(await lockRows(), 0, 'the lock is free again');
    const records = remoteRecords();
    assert.equal(records.length, 1, 'B pushed the record');
    const text = git(remote, ['show', `main:${records[0]}`]);
    assert.match(text, /performedBy:\n {2}name: Operator a\n/, "the record is A's run, performed by A");
    assert.match(text, /clone-a\/\.logbook\/backups\//, 'with the backup A took');
    // A's stale journal cannot finish the run a second time.
    const again = await cli(a, ['finish', '--run', runId!]);
    assert.equal(again.code, 2, again.stderr);
    assert.match(again.stderr, /no longer open in the database/);
    assert.equal(remoteRecords().length, 1, 'no duplicate record');
  });

  it('abort works from another clone and from the clone that started the run', async () => {
    const { a, c } = clones as Record<'a' | 'c', Clone>;
    const first = await cli(a, ['start', '--env', 'production', '--migration', 'abort-elsewhere']);
    assert.equal(first.code, 0, first.stderr);
    const elsewhere = await cli(c, ['abort', '--env', 'production', '--reason', 'changed our mind']);
    // `start` marks the migration as possibly run; with no Prisma history to read back, the record says interrupted (11).
    assert.equal(elsewhere.code, 11, elsewhere.stderr);
    assert.equal(await lockRows(), 0);

    const second = await cli(a, ['start', '--env', 'production', '--migration', 'abort-here']);
    assert.equal(second.code, 0, second.stderr);
    const here = await cli(a, ['abort', '--run', runIdOf(second)!]);
    assert.equal(here.code, 11, here.stderr);
    assert.equal(await lockRows(), 0);
    assert.equal(remoteRecords().length, 3, 'both aborted records reached the remote');
  });

  it('two environment names for one database are serialised, and a rollback while a run holds the lock exits 13', async () => {
    const { a, b } = clones as Record<'a' | 'b', Clone>;
    const done = await run(b, 'b-to-roll-back');
    assert.equal(done.code, 0, done.stderr);
    const recordId = recordPaths(join(b.dir, 'content', 'records'))
      .filter((n) => n.includes('b-to-roll-back'))[0]!
      .split('/')
      .pop()!
      .replace(/\.mdx$/, '');

    const started = await cli(a, ['start', '--env', 'production', '--migration', 'holding']);
    assert.equal(started.code, 0, started.stderr);
    const alias = await cli(b, ['run', '--env', 'prod-alias', '--migration', 'alias', '--', migrateScript, 'alias']);
    assert.equal(alias.code, 13, alias.stderr);
    assert.ok(alias.stderr.includes(runIdOf(started)!), alias.stderr);

    const rollback = await cli(b, ['rollback', '--record', recordId, '--yes']);
    assert.equal(rollback.code, 13, rollback.stderr);
    assert.ok(rollback.stderr.includes(runIdOf(started)!), rollback.stderr);

    const aborted = await cli(a, ['abort', '--env', 'production']);
    assert.equal(aborted.code, 11, aborted.stderr);
    const log = await sql<{ who: string }>(url, 'SELECT who FROM deploy_log');
    assert.ok(!log.some((row) => row.who === 'alias'), 'the refused run never ran its command');
  });

  it('3 clones x 3 runs with --wait never overlap, every record reaches the remote, and a fresh clone verifies', async () => {
    const before = remoteRecords().length;
    await sql(url, 'TRUNCATE deploy_log');
    const results = await Promise.all(
      (['a', 'b', 'c'] as const).map(async (name) => {
        const out: CliResult[] = [];
        for (let i = 0; i < 3; i++) out.push(await run(clones[name]!, `${name}-${i}`, ['--wait', '5m']));
        return out;
      }),
    );
    for (const result of results.flat()) assert.equal(result.code, 0, result.stderr);
    const log = await sql<{ who: string; what: string }>(url, 'SELECT who, what FROM deploy_log ORDER BY id');
    assert.equal(log.length, 18);
    for (let i = 0; i < log.length; i += 2) {
      assert.deepEqual([log[i]!.what, log[i + 1]!.what, log[i + 1]!.who], ['start', 'end', log[i]!.who], `the log interleaves at ${i}: ${JSON.stringify(log)}`);
    }
    assert.equal(remoteRecords().length, before + 9, 'every record reached the remote');
    assert.equal(git(remote, ['rev-list', '--count', '--merges', 'main']), '0', 'a linear history');
    await verifyFreshClone('verify-1');
  });

  it('an unreachable remote during filing exits 15 with the record committed locally; sync pushes it later', async () => {
    const { c } = clones as Record<'c', Clone>;
    git(c.dir, ['remote', 'set-url', 'origin', join(root, 'gone.git')], c.home);
    const before = remoteRecords().length;
    const result = await run(c, 'c-offline');
    assert.equal(result.code, 15, result.stderr);
    assert.match(result.stderr, /could not be pushed/);
    assert.match(result.stderr, /logbook sync/);
    assert.equal(git(c.dir, ['status', '--porcelain'], c.home), '', 'the record is committed locally');
    assert.match(git(c.dir, ['log', '-1', '--format=%s'], c.home), /c-offline/);
    assert.equal(remoteRecords().length, before);
    assert.equal(await lockRows(), 0, 'the environment is free');

    git(c.dir, ['remote', 'set-url', 'origin', remote], c.home);
    const synced = await cli(c, ['sync', '--env', 'production']);
    assert.equal(synced.code, 0, synced.stderr);
    assert.equal(remoteRecords().length, before + 1);
    await verifyFreshClone('verify-2');
  });

  it('pre-flight refuses before any database change when git has no identity', async () => {
    const nobody = cloneOf('nobody', false);
    const ledger = async () => (await sql<{ n: number }>(url, 'SELECT count(*)::int AS n FROM logbook.ledger'))[0]!.n;
    const ledgerBefore = await ledger();
    const logBefore = (await sql(url, 'SELECT 1 FROM deploy_log')).length;
    const result = await run(nobody, 'nobody');
    assert.equal(result.code, 10, result.stderr);
    assert.match(result.stderr, /git has no identity/);
    assert.equal(await lockRows(), 0, 'no lock was taken');
    assert.equal(await ledger(), ledgerBefore);
    assert.equal((await sql(url, 'SELECT 1 FROM deploy_log')).length, logBefore, 'the migration never ran');
    assert.equal(recordPaths(join(nobody.dir, 'content', 'records')).length, remoteRecords().length, 'no record was filed');
  });
  it('a CI-like invocation (no TTY, CI=true, a job summary file, stdin closed) prints one JSON object, writes the summary and copies the backup', async () => {
    const ci = cloneOf('ci');
    const durable = join(root, 'durable');
    mkdirSync(durable);
    const configFile = join(ci.dir, 'logbook.config.json');
    const config = JSON.parse(readFileSync(configFile, 'utf8'));
    // The paths arrive as environment variables only; the location is what the record names.
    config.backup = {
      copyTo: { command: `cp "$LOGBOOK_BACKUP_ARCHIVE" "$LOGBOOK_BACKUP_SIDECAR" ${JSON.stringify(durable)}/`, location: 'durable://{environment}/{file}' },
    };
    writeFileSync(configFile, JSON.stringify(config));
    const summary = join(root, 'step-summary.md');
    writeFileSync(summary, '# earlier step\n');
    const started = Date.now();
    const result = await cli(ci, ['run', '--env', 'production', '--migration', 'ci-1', '--json', '--', migrateScript, 'ci-1'], {
      CI: 'true',
      GITHUB_STEP_SUMMARY: summary,
      GITHUB_ACTOR: 'octo-person',
    });
    assert.equal(result.code, 0, result.stderr);
    assert.ok(Date.now() - started < 120_000, 'never waited for input');
    const report = JSON.parse(result.stdout) as {
      outcome: string;
      exitCode: number;
      record: { id: string; path: string; status: string };
      migrations: string[];
      backup: { path: string; copiedTo: string };
    };
    assert.equal(report.outcome, 'success');
    assert.equal(report.exitCode, 0);
    assert.deepEqual(report.migrations, ['ci-1']);
    assert.ok(existsSync(report.record.path), report.record.path);
    assert.equal(report.record.status, 'success');
    const file = report.backup.path.split('/').pop()!;
    assert.equal(report.backup.copiedTo, `durable://production/${file}`);
    assert.deepEqual(readdirSync(durable).sort(), [file, `${file}.meta.json`].sort(), 'copyTo ran with the archive and sidecar paths');
    assert.match(
      readFileSync(report.record.path, 'utf8'),
      new RegExp(`copiedTo: durable://production/${file.replace(/\./g, '\\.')}`),
      'the record names the durable copy',
    );
    const filed = readFileSync(report.record.path, 'utf8');
    assert.match(filed, /performedBy:\n {2}name: octo-person\n/, 'the person who started the job performed it');
    assert.match(filed, /committedBy:\n {2}name: Operator ci\n {2}email: ci@example\.com\n/, 'the CI identity committed it');
    const markdown = readFileSync(summary, 'utf8');
    assert.ok(markdown.startsWith('# earlier step\n'), 'the summary is appended to, not replaced');
    assert.match(markdown, /## Migration Logbook: `run` on production — success \(exit 0\)/);
    assert.match(markdown, /`ci-1`/);
    assert.match(markdown, /### Row counts[\s\S]*deploy_log \| \d+ \| \d+ \| \+2/);
    assert.match(markdown, /### Migration lint/);
    assert.match(markdown, /durable copy: `durable:\/\/production\//);
    assert.ok(!/no backup\.copyTo/.test(result.stderr), 'no warning when a durable copy is configured');
  });
});
