import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { diffSnapshots, summariseDiff } from '../../../src/core/diff/diff-snapshots.ts';
import { makeIndex, makeMigration, makeSnapshot } from '../../helpers/synthetic.ts';

describe('diffSnapshots', () => {
  const pre = makeSnapshot({
    tables: { players: 1000, matches: 500, 'audit.events': 40, legacy: 7 },
    indexes: [makeIndex('players', 'players_pkey'), makeIndex('matches', 'matches_player_idx')],
    migrations: [makeMigration('001_init'), makeMigration('002_matches', 'pending')],
  });
  const post = makeSnapshot({
    tables: { players: 1100, matches: 300, 'audit.events': 40, seasons: 4 },
    indexes: [
      makeIndex('players', 'players_pkey'),
      makeIndex('matches', 'matches_player_idx', 'CREATE INDEX matches_player_idx ON public.matches USING btree (player1_id, player2_id)'),
      makeIndex('seasons', 'seasons_pkey'),
    ],
    migrations: [makeMigration('001_init'), makeMigration('002_matches')],
  });
  const diff = diffSnapshots(pre, post, { maxRowLossShare: 0.1 });

  it('gives per-table deltas, absolute and relative', () => {
    const players = diff.tables.find((t) => t.table === 'public.players');
    assert.deepEqual([players?.before, players?.after, players?.delta], [1000, 1100, 100]);
    assert.equal(players?.share, 0.1);
    assert.equal(diff.tables.find((t) => t.table === 'audit.events')?.change, 'unchanged');
  });

  it('lists tables added and dropped', () => {
    assert.deepEqual(diff.tablesAdded, ['public.seasons']);
    assert.deepEqual(diff.tablesDropped, ['public.legacy']);
  });

  it('lists indexes added and changed', () => {
    assert.deepEqual(
      diff.indexesAdded.map((i) => i.name),
      ['seasons_pkey'],
    );
    assert.deepEqual(
      diff.indexesChanged.map((i) => i.name),
      ['matches_player_idx'],
    );
    assert.deepEqual(diff.indexesDropped, []);
  });

  it('lists migrations newly applied', () => {
    assert.deepEqual(diff.migrationsApplied, ['002_matches']);
  });

  it('flags row loss above the allowed share and dropped tables that had rows', () => {
    assert.deepEqual(
      diff.anomalies.map((a) => [a.kind, a.table]),
      [
        ['row-loss', 'public.matches'],
        ['dropped-with-rows', 'public.legacy'],
      ].sort((a, b) => (a[1]! < b[1]! ? -1 : 1)),
    );
    assert.equal(
      diffSnapshots(pre, post, { maxRowLossShare: 0.5 }).anomalies.some((a) => a.kind === 'row-loss'),
      false,
    );
  });

  it('summarises the biggest moves in one line', () => {
    assert.match(summariseDiff(diff), /public\.matches −200 \(−40\.0 %\)/);
    assert.equal(summariseDiff(diffSnapshots(pre, pre)), 'no row-count changes');
    const bookkeeping = diffSnapshots(makeSnapshot({ tables: { _prisma_migrations: 3 } }), makeSnapshot({ tables: { _prisma_migrations: 4 } }));
    assert.equal(summariseDiff(bookkeeping), 'no row-count changes');
  });
});
