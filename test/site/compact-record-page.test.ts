// The record page from every record form: a compact record (post counts as differences from pre, schema changes
// stored once), a compact record filed before those differences (every table listed) and a record with full
// snapshots inline show the same counts and diff, and the per-table pages the dropped and created tables.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { buildSite, siteBuildDir } from '../../scripts/support/build-site.ts';
import { writeSnapshotFiles } from '../../src/adapters/fs/snapshot-store.ts';
import { tableSlug } from '../../src/core/names.ts';
import { isCompactSnapshot } from '../../src/core/record/snapshot-access.ts';
import type { CompactSnapshot } from '../../src/schemas/compact-snapshot.ts';
import { compactRecordOf } from '../helpers/compact-synthetic.ts';
import { writeRecordFiles } from '../helpers/record-files.ts';
import { makeIndex, makeRecord, makeSnapshot } from '../helpers/synthetic.ts';

const pre = makeSnapshot({ tables: { players: 100, 'billing.invoices': 40, 'legacy.old_orders': 7 }, indexes: [makeIndex('players', 'players_pkey')] });
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
const { record: older, files: olderFiles } = compactRecordOf(makeRecord({ id: '2026-01-03-add-matches-qa', environment: 'qa', pre, post }), { deltas: false });

let work: string;
let dist: string;
const build = siteBuildDir('compact-record-page');

before(async () => {
  work = mkdtempSync(join(tmpdir(), 'logbook-compact-site-'));
  const recordsDir = join(work, 'records');
  writeRecordFiles(recordsDir, [{ record: full }, { record: compact }, { record: older }]);
  await writeSnapshotFiles(recordsDir, [...files, ...olderFiles]);
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
    assert.equal((compact.post as CompactSnapshot).countsFrom, 'pre');
    assert.equal((older.post as CompactSnapshot).countsFrom, undefined);
    for (const id of [full.id, compact.id, older.id]) {
      const html = page(id);
      assert.match(row(html, 'public.players'), /100\s+120\s+\+20 \(\+20\.0 %\)/);
      assert.match(row(html, 'billing.invoices'), /40\s+40/);
      assert.match(row(html, 'public.matches'), /new/);
      assert.match(row(html, 'legacy.old_orders'), /7\s+—\s+dropped\s+legacy\.old_orders was dropped while it held 7 rows/);
      assert.match(html, /147 → 170 rows in total/);
      assert.match(html, /matches_player_idx/);
      assert.match(html, /CREATE INDEX matches_player_idx ON public\.matches USING btree \(player_id\)/);
    }
  });

  it('lists each record on the pages of the tables it dropped and created, with the counts before and after', () => {
    const tablePage = (table: string) => readFileSync(join(dist, 'tables', tableSlug(table), 'index.html'), 'utf8').replace(/<[^>]+>/g, ' ');
    const dropped = tablePage('legacy.old_orders');
    const created = tablePage('public.matches');
    for (const id of [full.id, compact.id, older.id]) {
      const environment = id.split('-').at(-1)!;
      assert.match(dropped, new RegExp(`${environment}\\s+success\\s+7\\s+—\\s+table dropped`), `${id} on the dropped table's page`);
      assert.match(created, new RegExp(`${environment}\\s+success\\s+—\\s+10\\s+table created`), `${id} on the created table's page`);
    }
  });

  it('shows the column changes a compact record stores', () => {
    const html = page(compact.id);
    assert.match(html, /id="schema-changes"/);
    assert.match(html.replace(/<[^>]+>/g, ''), /\+ added player_id on public\.matches — bigint NOT NULL/);
    assert.doesNotMatch(page(full.id), /id="schema-changes"/, 'an older record has no column capture to show');
  });
});
