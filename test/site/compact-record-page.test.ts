// The record page from both record forms: a compact record (counts in the MDX, schema changes stored once) and a
// record with full snapshots inline show the same counts and diff.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { buildSite, siteBuildDir } from '../../scripts/support/build-site.ts';
import { writeSnapshotFiles } from '../../src/adapters/fs/snapshot-store.ts';
import { isCompactSnapshot } from '../../src/core/record/snapshot-access.ts';
import { compactRecordOf } from '../helpers/compact-synthetic.ts';
import { writeRecordFiles } from '../helpers/record-files.ts';
import { makeIndex, makeRecord, makeSnapshot } from '../helpers/synthetic.ts';

const pre = makeSnapshot({ tables: { players: 100, 'billing.invoices': 40 }, indexes: [makeIndex('players', 'players_pkey')] });
const post = makeSnapshot({
  tables: { players: 120, 'billing.invoices': 40, matches: 10 },
  indexes: [
    makeIndex('players', 'players_pkey'),
    makeIndex('matches', 'matches_player_idx', 'CREATE INDEX matches_player_idx ON public.matches USING btree (player_id)'),
  ],
});
post.columns = [{ schema: 'public', table: 'matches', name: 'player_id', type: 'bigint', nullable: false, default: null }];
pre.columns = [];
const full = makeRecord({ id: '2026-01-01-add-matches-production', pre, post });
const { record: compact, files } = compactRecordOf(makeRecord({ id: '2026-01-02-add-matches-staging', environment: 'staging', pre, post }));

let work: string;
let dist: string;
const build = siteBuildDir('compact-record-page');

before(async () => {
  work = mkdtempSync(join(tmpdir(), 'logbook-compact-site-'));
  const recordsDir = join(work, 'records');
  writeRecordFiles(recordsDir, [{ record: full }, { record: compact }]);
  await writeSnapshotFiles(recordsDir, files);
  dist = (await buildSite({ recordsDir, outDir: join(build, 'dist'), search: false })).outDir;
});

after(() => {
  if (work) rmSync(work, { recursive: true, force: true });
  rmSync(build, { recursive: true, force: true });
});

const page = (id: string) => readFileSync(join(dist, 'records', id, 'index.html'), 'utf8');
const row = (html: string, table: string) => {
  const at = html.indexOf(`data-table="${table}"`);
  assert.ok(at > 0, `a row for ${table}`);
  return html.slice(at, html.indexOf('</tr>', at)).replace(/<[^>]+>/g, ' ');
};

describe('the record page for both record forms', () => {
  it('shows the same counts, totals and added index for a compact record and a full one', () => {
    assert.ok(isCompactSnapshot(compact.pre) && !isCompactSnapshot(full.pre));
    for (const id of [full.id, compact.id]) {
      const html = page(id);
      assert.match(row(html, 'public.players'), /100\s+120\s+\+20 \(\+20\.0 %\)/);
      assert.match(row(html, 'billing.invoices'), /40\s+40/);
      assert.match(row(html, 'public.matches'), /new/);
      assert.match(html, /140 → 170 rows in total/);
      assert.match(html, /matches_player_idx/);
      assert.match(html, /CREATE INDEX matches_player_idx ON public\.matches USING btree \(player_id\)/);
    }
  });

  it('shows the column changes a compact record stores', () => {
    const html = page(compact.id);
    assert.match(html, /id="schema-changes"/);
    assert.match(html.replace(/<[^>]+>/g, ''), /\+ added player_id on public\.matches — bigint NOT NULL/);
    assert.doesNotMatch(page(full.id), /id="schema-changes"/, 'an older record has no column capture to show');
  });
});
