// Both record forms read the same through the accessors: counts, totals, migrations, backup counts and the diff.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatProblem, problemsFromZod } from '../../../src/core/problems.ts';
import { schemaChanges } from '../../../src/core/record/compact-snapshot.ts';
import { checkRecordDigest } from '../../../src/core/record/digest.ts';
import { backupCounts, isCompactSnapshot, migrationsNotApplied, preTableCounts, recordDiff, snapshotTotals } from '../../../src/core/record/snapshot-access.ts';
import { migrationRecordSchema } from '../../../src/schemas/record.ts';
import { compactRecordOf } from '../../helpers/compact-synthetic.ts';
import { makeBackup, makeIndex, makeMigration, makeRecord, makeSnapshot } from '../../helpers/synthetic.ts';

const pre = makeSnapshot({
  tables: { players: 100, 'billing.invoices': 40, 'x.y': 5 },
  indexes: [makeIndex('players', 'players_pkey'), makeIndex('players', 'players_old_idx')],
  migrations: [makeMigration('20260101000000_init'), makeMigration('20260102000000_add_matches', 'pending')],
});
const post = makeSnapshot({
  tables: { players: 120, 'billing.invoices': 40, matches: 10 },
  indexes: [makeIndex('players', 'players_pkey', 'CREATE UNIQUE INDEX players_pkey ON public.players USING btree (id)'), makeIndex('matches', 'matches_pkey')],
  migrations: [makeMigration('20260101000000_init'), makeMigration('20260102000000_add_matches')],
});
const backup = makeBackup([
  { schema: 'public', name: 'players', rows: 100 },
  { schema: 'billing', name: 'invoices', rows: 40 },
]);
const full = makeRecord({ pre, post, backup });
const { record: compact, files } = compactRecordOf(full);

describe('snapshot accessors', () => {
  it('read counts, totals, pending migrations and backup counts the same from both forms', () => {
    assert.ok(isCompactSnapshot(compact.pre) && !isCompactSnapshot(full.pre));
    const sorted = (list: Array<{ schema: string; name: string }>) => [...list].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
    const counts = (list: Array<{ schema: string; name: string; rows: number; counted: string }>) =>
      list.map(({ schema, name, rows, counted }) => ({ schema, name, rows, counted }));
    assert.deepEqual(sorted(counts(preTableCounts(compact))), sorted(counts(preTableCounts(full))));
    assert.deepEqual(snapshotTotals(compact.post!), snapshotTotals(full.post!));
    assert.deepEqual(
      migrationsNotApplied(compact.pre).map((m) => m.name),
      ['20260102000000_add_matches'],
    );
    assert.deepEqual(migrationsNotApplied(compact.post!), []);
    assert.deepEqual(sorted(backupCounts(compact)), sorted(backupCounts(full)));
    assert.equal(files.filter((f) => f.kind === 'snapshot').length, 2, 'a tree for pre and one for post');
    assert.equal(checkRecordDigest(compact), null);
  });

  it('derive the same diff from compact counts plus stored changes as from two full snapshots', () => {
    const a = recordDiff(full)!;
    const b = recordDiff(compact)!;
    assert.deepEqual(b.tables, a.tables);
    assert.deepEqual(b.anomalies, a.anomalies);
    assert.deepEqual(b.totals, a.totals);
    assert.deepEqual(b.indexesAdded, a.indexesAdded);
    assert.deepEqual(b.indexesDropped, a.indexesDropped);
    assert.deepEqual(b.indexesChanged, a.indexesChanged);
    assert.deepEqual(b.migrationsApplied, a.migrationsApplied);
    assert.deepEqual(
      b.tables.filter((t) => t.change !== 'unchanged').map((t) => [t.table, t.change]),
      [
        ['public.matches', 'added'],
        ['public.players', 'changed'],
        ['x.y', 'dropped'],
      ],
    );
  });

  it('a bad field in either form is named by its path, not as an invalid union', () => {
    for (const record of [full, compact]) {
      const broken = structuredClone(record) as unknown as { pre: { tables: unknown[] } };
      const first = broken.pre.tables[0] as { rows?: unknown; tables?: unknown[][] };
      if (first.tables) first.tables[0]![1] = 'many';
      else first.rows = 'many';
      const parsed = migrationRecordSchema.safeParse(broken);
      assert.ok(!parsed.success);
      const message = problemsFromZod(parsed.error, 'r.mdx').map(formatProblem).join('\n');
      assert.match(message, /^r\.mdx: pre\.tables\.0\.(rows|tables\.0\.1): Invalid input: expected number, received string$/);
    }
  });
});

describe('schema changes', () => {
  it('name no column changes when the pre snapshot predates column capture (a journal resumed across versions)', () => {
    const withColumns = structuredClone(post);
    withColumns.columns = [{ schema: 'public', table: 'players', name: 'id', type: 'bigint', nullable: false, default: null }];
    assert.deepEqual(schemaChanges(pre, withColumns).columns, { added: [], dropped: [], changed: [] });
    const before = structuredClone(withColumns);
    before.columns = [];
    assert.equal(schemaChanges(before, withColumns).columns.added.length, 1);
  });
});
