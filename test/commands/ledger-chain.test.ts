// Records filed through the ledger in the target database: two machines (two clones of one records repo)
// deploying to one database file one linear chain; a deploy that bypassed the logbook is named by `audit`,
// and once it is filed, the audit and the built dashboard show full coverage.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { simpleGit } from 'simple-git';
import { deployMigrations } from '../../scripts/demo/prisma-deploy.ts';
import { addMigration, deployCommand, type Workspace } from '../../scripts/demo/workspace.ts';
import { buildSite } from '../../scripts/support/build-site.ts';
import { resolveRecordFile } from '../../src/adapters/fs/list-records.ts';
import { logbookSchemaDdl } from '../../src/adapters/pg/logbook-schema.ts';
import { parseRecordFile } from '../../src/core/record/parse-record.ts';
import type { MigrationRecord } from '../../src/schemas/record.ts';
import { runCli } from '../helpers/cli.ts';
import { sql } from '../helpers/postgres.ts';
import { recordPaths } from '../helpers/record-files.ts';
import { makeRunFixture } from '../helpers/run-fixture.ts';

function records(dir: string): MigrationRecord[] {
  return recordPaths(dir).map((f) => {
    const parsed = parseRecordFile(readFileSync(join(dir, f), 'utf8'), f, { checkBody: false });
    assert.ok(parsed.ok, JSON.stringify(parsed));
    return parsed.value.record;
  });
}

describe('the ledger', () => {
  it('two machines deploying one database file one linear chain, signed by each operator, verified against the ledger', async (t) => {
    const f = await makeRunFixture(t);
    // Each machine signs with its own key; both are allowed signers, and signatures are required from the start.
    const keys = mkdtempSync(join(tmpdir(), 'logbook-keys-'));
    t.after(() => rmSync(keys, { recursive: true, force: true }));
    for (const name of ['ada', 'ci']) execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', name, '-f', join(keys, name)]);
    writeFileSync(
      join(f.ws.dir, 'allowed_signers'),
      ['ada@example.com', 'ci@example.com'].map((p, i) => `${p} ${readFileSync(join(keys, `${['ada', 'ci'][i]}.pub`), 'utf8')}`).join(''),
    );
    const config = JSON.parse(readFileSync(f.ws.configFile, 'utf8'));
    writeFileSync(f.ws.configFile, JSON.stringify({ ...config, signing: { allowedSigners: 'allowed_signers', requiredFrom: 1 } }, null, 2));
    await simpleGit(f.ws.dir).add('.').commit('sign records');
    const remote = mkdtempSync(join(tmpdir(), 'logbook-remote-'));
    const machineB = mkdtempSync(join(tmpdir(), 'logbook-machine-b-'));
    t.after(() => rmSync(remote, { recursive: true, force: true }));
    t.after(() => rmSync(machineB, { recursive: true, force: true }));
    await simpleGit(remote).init(true);
    await simpleGit(f.ws.dir).addRemote('origin', remote).push(['-u', 'origin', 'HEAD:main']);
    await simpleGit().clone(remote, machineB, ['--branch', 'main']);
    await simpleGit(machineB).addConfig('user.name', 'Machine B').addConfig('user.email', 'b@example.com');

    // Machine A deploys the first migration.
    await addMigration(f.ws, '20251201090000_add_achievements');
    const a = await f.cli(['run', '--env', 'staging', '--', ...deployCommand(f.ws)], { LOGBOOK_SIGNING_KEY: join(keys, 'ada') });
    assert.equal(a.code, 0, a.stderr);
    assert.match(a.stderr, /record filed: .* — #1 in the staging ledger/);

    // Machine B has not pulled A's record; it deploys the next migration from its own clone.
    const b: Workspace = {
      ...f.ws,
      dir: machineB,
      appDir: join(machineB, 'app'),
      configFile: join(machineB, 'logbook.config.json'),
      recordsDir: join(machineB, 'content', 'records'),
      stateDir: join(machineB, '.logbook'),
      backupsDir: join(machineB, '.logbook', 'backups'),
    };
    cpSync(f.ws.appDir, b.appDir, { recursive: true });
    await addMigration(b, '20251203090000_index_matches_played_at');
    const runB = await runCli(['run', '--config', b.configFile, '--env', 'staging', '--', ...deployCommand(b)], {
      cwd: machineB,
      env: { ...f.env, LOGBOOK_SIGNING_KEY: join(keys, 'ci') },
    });
    assert.equal(runB.code, 0, runB.stderr);
    assert.match(runB.stderr, /— #2 in the staging ledger/);

    const [first] = records(f.ws.recordsDir);
    const [second] = records(b.recordsDir);
    assert.equal(second!.integrity.seq, 2);
    assert.equal(second!.integrity.previous, first!.integrity.digest, "B's record links to A's, which B never saw");

    // B pushes, A pulls: one linear chain, intact against the ledger and git.
    await simpleGit(machineB).push('origin', 'HEAD:main');
    await simpleGit(f.ws.dir).pull('origin', 'main', ['--no-rebase']);
    const verify = await f.cli(['verify', '--env', 'staging']);
    assert.equal(verify.code, 0, verify.stdout + verify.stderr);
    assert.match(verify.stdout, /ok: 2 record\(s\) intact, chains unbroken, checked against the staging ledger and git history/);
    assert.match(verify.stdout, new RegExp(`SIGNED\\s+${first!.id}: ada@example\\.com`));
    assert.match(verify.stdout, new RegExp(`SIGNED\\s+${second!.id}: ci@example\\.com`));
    const ledger = await sql<{ seq: number; record_id: string }>(f.url, 'SELECT seq, record_id FROM logbook.ledger ORDER BY seq');
    assert.deepEqual(
      ledger.map((r) => [r.seq, r.record_id]),
      [
        [1, first!.id],
        [2, second!.id],
      ],
    );
  });

  it('when the ledger cannot be used at filing time the record is filed unanchored; sync anchors it', async (t) => {
    const f = await makeRunFixture(t);
    await addMigration(f.ws, '20251201090000_add_achievements');
    // The ledger's schema is made unusable for this role: filing cannot reach the ledger, the deploy still ends recorded.
    // (The lock table stays usable: the environment lock lives in the same schema.)
    await sql(f.url, `${logbookSchemaDdl().join(';\n')}; DROP TABLE logbook.ledger; CREATE TABLE logbook.ledger (broken int)`);
    const run = await f.run();
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, /filed UNANCHORED/);
    const [unanchored] = records(f.ws.recordsDir);
    assert.equal(unanchored!.integrity.unanchored, true);
    const before = await f.cli(['verify']);
    assert.equal(before.code, 1);
    assert.match(before.stdout, /UNANCHORED .*run `logbook sync --env staging`/);

    await sql(f.url, 'DROP SCHEMA logbook CASCADE');
    const sync = await f.cli(['sync', '--env', 'staging']);
    assert.equal(sync.code, 0, sync.stderr);
    const [anchored] = records(f.ws.recordsDir);
    assert.equal(anchored!.integrity.seq, 1);
    // sync commits the record where it is filed (its dated folder), not at a path rebuilt from its id.
    const commit = (await simpleGit(f.ws.recordsDir).raw(['show', '--name-only', '--format=%s', 'HEAD'])).trim().split('\n');
    assert.match(commit[0]!, /^logbook: anchor /);
    assert.ok(commit.at(-1)!.endsWith(`content/records/${recordPaths(f.ws.recordsDir)[0]}`), commit.join(' | '));
    assert.match(recordPaths(f.ws.recordsDir)[0]!, /^\d{4}\/\d{2}\//);
    assert.equal(anchored!.integrity.unanchored, undefined);
    assert.deepEqual(anchored!.integrity.sections, unanchored!.integrity.sections);
    const after = await f.cli(['verify', '--env', 'staging']);
    assert.equal(after.code, 0, after.stdout + after.stderr);
  });

  it('audit names a migration applied outside the logbook; once filed, full coverage, shown by the dashboard', async (t) => {
    const f = await makeRunFixture(t);
    await addMigration(f.ws, '20251201090000_add_achievements');
    assert.equal((await f.run()).code, 0);
    const covered = await f.cli(['audit', '--env', 'staging']);
    assert.equal(covered.code, 0, covered.stdout + covered.stderr);

    // Someone runs `prisma migrate deploy` by hand.
    await addMigration(f.ws, '20251203090000_index_matches_played_at');
    await deployMigrations(f.url, join(f.ws.appDir, 'prisma', 'migrations'));
    const gap = await f.cli(['audit', '--env', 'staging', '--json']);
    assert.equal(gap.code, 1);
    const audit = JSON.parse(gap.stdout);
    assert.deepEqual(
      audit.gaps.map((g: { kind: string; migration: string }) => [g.kind, g.migration]),
      [['unrecorded', '20251203090000_index_matches_played_at']],
    );
    const text = await f.cli(['audit', '--env', 'staging']);
    assert.match(text.stdout, /UNRECORDED\s+20251203090000_index_matches_played_at was applied at .* with no record/);

    const filed = await f.cli(['audit', '--env', 'staging', '--file-gaps', '--reason', 'hotfix run by hand during the incident', '--write']);
    assert.equal(filed.code, 0, filed.stdout + filed.stderr);
    assert.match(filed.stdout, /ok: all (\d+) applied migration\(s\) of .* are recorded/);
    const gapRecord = records(f.ws.recordsDir).find((r) => r.migrations.includes('20251203090000_index_matches_played_at'))!;
    assert.equal(gapRecord.execution, null);
    assert.match(gapRecord.timeline[0]!.detail!, /filed after the fact by `logbook audit`: hotfix run by hand/);
    assert.equal((await f.cli(['verify', '--env', 'staging'])).code, 0);

    const written = JSON.parse(readFileSync(join(f.ws.dir, 'content', 'audits', 'staging.json'), 'utf8'));
    assert.equal(written.ok, true);
    const { outDir } = await buildSite({ recordsDir: f.ws.recordsDir, search: false });
    t.after(() => rmSync(join(outDir, '..'), { recursive: true, force: true }));
    const home = readFileSync(join(outDir, 'index.html'), 'utf8');
    assert.match(home, new RegExp(`<strong>staging</strong>: ✔ all ${written.applied} applied migrations recorded`));
  });

  it('a rollback is its own event in the chain; the ledger survives restoring a backup that predates it; invalid prose does not stop it', async (t) => {
    const f = await makeRunFixture(t);
    await addMigration(f.ws, '20251201090000_add_achievements');
    assert.equal((await f.run()).code, 0);
    await addMigration(f.ws, '20251208090000_drop_legacy_scores');
    assert.equal((await f.run()).code, 0);
    const second = records(f.ws.recordsDir).find((r) => r.integrity.seq === 2)!;
    const file = resolveRecordFile(f.ws.recordsDir, second.id);
    writeFileSync(file, readFileSync(file, 'utf8').replace('## Notes\n\n_Nothing recorded yet._', '## Notes\n\nThe swap took <5ms.'));

    // Backups leave the tool's schema out; the swap carries the current ledger into the swapped-in database.
    const rolled = await f.cli(['rollback', '--record', second.id, '--yes']);
    assert.equal(rolled.code, 0, rolled.stderr);
    const ledger = await sql<{ seq: number; record_id: string }>(f.url, 'SELECT seq, record_id FROM logbook.ledger ORDER BY seq');
    assert.deepEqual(
      ledger.map((r) => r.record_id),
      [records(f.ws.recordsDir).find((r) => r.integrity.seq === 1)!.id, second.id, `${second.id}#rollback`],
    );
    const updated = records(f.ws.recordsDir).find((r) => r.id === second.id)!;
    assert.equal(updated.integrity.digest, second.integrity.digest, 'the filed digest is kept');
    assert.equal(updated.integrity.rollbackEvent?.seq, 3);
    assert.match(readFileSync(file, 'utf8'), /The swap took <5ms\./);

    // The next record follows the rollback event.
    await addMigration(f.ws, '20251203090000_index_matches_played_at');
    assert.equal((await f.run()).code, 0);
    const third = records(f.ws.recordsDir).find((r) => r.integrity.seq === 4)!;
    assert.equal(third.integrity.previous, updated.integrity.rollbackEvent!.digest);
    const verify = await f.cli(['verify', '--env', 'staging']);
    assert.equal(verify.code, 0, verify.stdout + verify.stderr);
  });
});
