// The lint gate of `run` and `start`: an unaccepted finding at lint.failOn stops the run before the backup
// (exit 10, aborted record); an acceptance — comment or --accept-lint, with a reason — lets it through and is recorded.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { addMigration } from '../../scripts/demo/workspace.ts';
import { parseRecordFile } from '../../src/core/record/parse-record.ts';
import { preTableCounts } from '../../src/core/record/snapshot-access.ts';
import type { MigrationRecord } from '../../src/schemas/record.ts';
import { sql } from '../helpers/postgres.ts';
import { recordPaths } from '../helpers/record-files.ts';
import { makeRunFixture } from '../helpers/run-fixture.ts';

const DESTRUCTIVE = '20251208090000_drop_legacy_scores';
const demoSql = readFileSync(new URL(`../../scripts/demo/app/pending/${DESTRUCTIVE}/migration.sql`, import.meta.url), 'utf8');
/** The demo's destructive migration without its acceptance comment. */
const unaccepted = demoSql
  .split('\n')
  .filter((line) => !line.includes('logbook:accept'))
  .join('\n');

function onlyRecord(dir: string): MigrationRecord {
  const files = recordPaths(dir);
  assert.equal(files.length, 1, files.join(', '));
  const parsed = parseRecordFile(readFileSync(join(dir, files[0]!), 'utf8'), files[0]!);
  assert.ok(parsed.ok, JSON.stringify(parsed.ok ? '' : parsed.problems));
  return parsed.value.record;
}

const backups = (dir: string) => (existsSync(dir) ? readdirSync(dir) : []);
const legacyColumn = async (url: string) =>
  (
    await sql<{ n: string }>(
      url,
      "SELECT count(*) AS n FROM information_schema.columns WHERE table_name = 'leaderboard_entries' AND column_name = 'legacy_score'",
    )
  )[0]!.n;

describe('the lint gate', () => {
  it('stops `run` before the backup with exit 10 on an unaccepted error, and files an aborted record with the findings', async (t) => {
    const f = await makeRunFixture(t);
    assert.ok(!unaccepted.includes('logbook:accept'));
    await addMigration(f.ws, DESTRUCTIVE, { sql: unaccepted });
    const result = await f.run();
    assert.equal(result.code, 10, result.stderr);
    const output = result.stdout + result.stderr;
    assert.match(
      output,
      /lint stopped the run before the backup: 1 unaccepted finding\(s\) at level error or above: error ban-drop-column in 20251208090000_drop_legacy_scores:2 \(public\.leaderboard_entries\)/,
    );
    assert.match(output, /--accept-lint 20251208090000_drop_legacy_scores:ban-drop-column=REASON/);
    assert.deepEqual(backups(f.ws.backupsDir), [], 'no backup was taken');
    assert.equal(await legacyColumn(f.url), '1', 'the migration did not run');
    const record = onlyRecord(f.ws.recordsDir);
    assert.equal(record.status, 'aborted');
    assert.equal(record.backup, null);
    assert.match(record.outcome.abortReason ?? '', /lint stopped the run/);
    assert.deepEqual(
      record.lint.map((x) => [x.rule, x.severity, x.accepted]),
      [['ban-drop-column', 'error', undefined]],
    );
    assert.ok(record.timeline.some((p) => p.phase === 'lint' && p.status === 'failed'));
    assert.ok(!record.timeline.some((p) => p.phase === 'backup'), 'the backup phase never started');
  });

  it('runs the same migration with its acceptance comment, and the record lists the acceptance and the locks', async (t) => {
    const f = await makeRunFixture(t);
    await addMigration(f.ws, DESTRUCTIVE);
    const result = await f.run();
    assert.equal(result.code, 0, result.stderr);
    assert.equal(await legacyColumn(f.url), '0', 'the migration ran');
    const record = onlyRecord(f.ws.recordsDir);
    assert.equal(record.status, 'success');
    assert.deepEqual(record.lintAcceptances, [
      {
        migration: DESTRUCTIVE,
        rule: 'ban-drop-column',
        reason: 'legacy_score has been unused since the v2 scoring; the verified backup keeps its data',
        source: 'comment',
        line: 2,
      },
    ]);
    const finding = record.lint.find((x) => x.rule === 'ban-drop-column');
    assert.equal(finding?.accepted?.source, 'comment');
    const drop = record.locks?.find((l) => l.kind === 'ALTER TABLE … DROP COLUMN');
    assert.deepEqual(
      drop?.locks.map((l) => [l.schema, l.table, l.mode]),
      [['public', 'leaderboard_entries', 'ACCESS EXCLUSIVE']],
    );
    const leaderboard = preTableCounts(record).find((x) => x.name === 'leaderboard_entries')!;
    assert.ok(drop);
    assert.equal(drop.locks[0]!.rows, leaderboard.rows);
  });

  it('takes --accept-lint MIGRATION:RULE=REASON on `start`, records it, and refuses a malformed one with exit 2', async (t) => {
    const f = await makeRunFixture(t);
    await addMigration(f.ws, DESTRUCTIVE, { sql: unaccepted });
    const malformed = await f.cli(['start', '--env', f.ws.environment, '--accept-lint', `${DESTRUCTIVE}:ban-drop-column`]);
    assert.equal(malformed.code, 2);
    assert.match(malformed.stderr, /say why after "="|MIGRATION:RULE=REASON/);
    assert.deepEqual(recordPaths(f.ws.recordsDir), [], 'nothing filed for a usage error');

    const stopped = await f.cli(['start', '--env', f.ws.environment]);
    assert.equal(stopped.code, 10, stopped.stderr);
    assert.deepEqual(backups(f.ws.backupsDir), []);
    const abortedFile = recordPaths(f.ws.recordsDir)[0]!;

    const started = await f.cli([
      'start',
      '--env',
      f.ws.environment,
      '--accept-lint',
      `${DESTRUCTIVE}:ban-drop-column=column unused since v2, backup verified`,
    ]);
    assert.equal(started.code, 0, started.stderr);
    assert.ok(backups(f.ws.backupsDir).length > 0, 'the backup ran once the finding was accepted');
    const finished = await f.cli(['finish', '--env', f.ws.environment]);
    assert.ok(finished.code === 0, finished.stderr);
    const file = recordPaths(f.ws.recordsDir).find((x) => x !== abortedFile)!;
    const parsed = parseRecordFile(readFileSync(join(f.ws.recordsDir, file), 'utf8'), file);
    assert.ok(parsed.ok);
    assert.deepEqual(parsed.value.record.lintAcceptances, [
      { migration: DESTRUCTIVE, rule: 'ban-drop-column', reason: 'column unused since v2, backup verified', source: 'flag' },
    ]);
  });

  it('lint.failOn none lets every finding through; warning stops on a warning', async (t) => {
    const index = '20251203090000_index_matches_played_at';
    const open = await makeRunFixture(t, { config: { lint: { failOn: 'none' } } });
    await addMigration(open.ws, DESTRUCTIVE, { sql: unaccepted });
    assert.equal((await open.run()).code, 0);
    const strict = await makeRunFixture(t, { config: { lint: { failOn: 'warning' } } });
    await addMigration(strict.ws, index);
    const result = await strict.run();
    assert.equal(result.code, 10, result.stderr);
    assert.match(result.stdout + result.stderr, /warning require-concurrent-index-creation in 20251203090000_index_matches_played_at:2 \(public\.matches\)/);
  });
});
