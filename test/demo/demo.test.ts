// The demo end to end (small scale): records filed through the real CLI, the site built, and served over HTTP.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runDemo } from '../../scripts/demo/run-demo.ts';
import { resolveRecordFile } from '../../src/adapters/fs/list-records.ts';
import { parseRecordFile } from '../../src/core/record/parse-record.ts';
import { preTableCounts, rollbackTableCounts } from '../../src/core/record/snapshot-access.ts';
import { type StaticServer, serveStatic } from '../helpers/static-server.ts';

describe('npm run demo', () => {
  let server: StaticServer;
  let dir: string;
  let recordsDir: string;
  let siteBuild: string;
  const logs: string[] = [];

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'logbook-demo-'));
    const demo = await runDemo({ workspace: join(dir, 'ws'), scale: 0.02, log: (line) => logs.push(line) });
    await demo.stop();
    recordsDir = demo.workspace.recordsDir;
    siteBuild = join(demo.siteDir, '..');
    server = await serveStatic(demo.siteDir);
  });
  after(async () => {
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
    rmSync(siteBuild, { recursive: true, force: true });
  });

  const page = async (path: string) => {
    const response = await fetch(new URL(path, server.url));
    assert.equal(response.status, 200, path);
    return response.text();
  };

  it('lists a success, a failure, a rollback and a run with lint warnings', async () => {
    // Long names carry <wbr> break points between their words; the text is what people read.
    const history = (await page('/history/')).replaceAll('<wbr>', '');
    for (const status of ['success', 'failed', 'rolled back']) assert.match(history, new RegExp(`>\\s*${status}\\s*<`), status);
    for (const migration of ['add_achievements', 'index_matches_played_at', 'backfill_season_rewards', 'drop_legacy_scores'])
      assert.ok(history.includes(migration), migration);
    const records = JSON.parse(await page('/records.json')) as { records: Array<{ id: string; migrations: string[] }> };
    const indexRuns = records.records.filter((r) => r.migrations.some((n) => n.includes('index_matches_played_at')));
    assert.equal(indexRuns.length, 2, 'staging and production');
    for (const run of indexRuns) assert.match(await page(`/records/${run.id}/`), /require-concurrent-index-creation/);
  });

  it('shows the rolled-back record with its counts after restore matching the backup', async () => {
    const records = JSON.parse(await page('/records.json')) as { records: Array<{ id: string; status: string }> };
    const rolled = records.records.find((r) => r.status === 'rolled-back');
    assert.ok(rolled, 'a rolled-back record exists');
    const html = await page(`/records/${rolled.id}/`);
    assert.match(html, /Rolled back/);
    assert.match(html, /After restore/);
    const parsed = parseRecordFile(readFileSync(resolveRecordFile(recordsDir, rolled.id), 'utf8'), `${rolled.id}.mdx`);
    assert.ok(parsed.ok);
    const restored = rollbackTableCounts(parsed.value.record)!.find((t) => t.name === 'leaderboard_entries')!;
    const atBackup = preTableCounts(parsed.value.record).find((t) => t.name === 'leaderboard_entries')!;
    assert.equal(restored.rows, atBackup.rows, 'the restore brought the pre-migration count back');
    const row = html.slice(html.indexOf('public.leaderboard_entries'), html.indexOf('public.leaderboard_entries') + 400);
    assert.ok(row.includes(restored.rows.toLocaleString('en-US')), 'the page shows the restored count');
  });

  it("shows the destructive migration's acceptance and the lock each statement took on its record page", async () => {
    const records = JSON.parse(await page('/records.json')) as { records: Array<{ id: string; migrations: string[] }> };
    const destructive = records.records.find((r) => r.migrations.some((n) => n.includes('drop_legacy_scores')))!;
    const html = await page(`/records/${destructive.id}/`);
    assert.match(html, /id="lint-acceptances"[\s\S]*ban-drop-column[\s\S]*legacy_score has been unused since the v2 scoring/);
    assert.match(html, /id="locks"[\s\S]*ACCESS EXCLUSIVE on public\.leaderboard_entries \([\d,]+ rows/);
  });
});
