// Post, backup and rollback counts stored as differences from pre: they read back exactly as the full forms do,
// the diff and per-table facts show dropped, created, changed and unchanged tables, older compact records (every
// table listed, no marker) still parse, verify and render, and an edited difference is caught by the digest.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildRecordFacts } from '../../../src/core/record/build-record.ts';
import { compactSnapshot, countsRelativeToPre } from '../../../src/core/record/compact-snapshot.ts';
import { formatProblem, problemsFromZod } from '../../../src/core/problems.ts';
import { checkRecordDigest, computeIntegrity } from '../../../src/core/record/digest.ts';
import { parseRecordFile } from '../../../src/core/record/parse-record.ts';
import { renderRecordFile, renderRollbackSection } from '../../../src/core/record/render-record.ts';
import {
  backupCounts,
  isCompactSnapshot,
  latestTableCounts,
  postTableCounts,
  preTableCounts,
  recordDiff,
  rollbackTableCounts,
} from '../../../src/core/record/snapshot-access.ts';
import type { RunJournal } from '../../../src/core/run/journal.ts';
import type { CompactBackup, CompactSnapshot } from '../../../src/schemas/compact-snapshot.ts';
import { type MigrationRecord, migrationRecordSchema } from '../../../src/schemas/record.ts';
import { tableFacts } from '../../../src/site/record-summary.ts';
import { recordView } from '../../../src/site/record-view.ts';
import { compactRecordOf } from '../../helpers/compact-synthetic.ts';
import { makeBackup, makeIndex, makeMigration, makeRecord, makeSnapshot, makeTable } from '../../helpers/synthetic.ts';

// One migration drops `legacy.old_orders`, creates `public.matches`, grows `public.players`, leaves `billing.invoices`
// alone; `public.big` was only estimated at pre, and the dump counted it exactly (a different number).
const pre = makeSnapshot({
  tables: { players: 100, 'billing.invoices': 40, 'legacy.old_orders': 7, big: 9_000_000 },
  indexes: [makeIndex('players', 'players_pkey')],
  migrations: [makeMigration('20260101000000_init'), makeMigration('20260102000000_add_matches', 'pending')],
});
pre.tables = pre.tables.map((t) => (t.name === 'big' ? makeTable('big', 9_000_000, { counted: 'estimate', lastAnalyzed: '2025-12-31T22:00:00.000Z' }) : t));
const post = makeSnapshot({
  tables: { players: 120, 'billing.invoices': 40, matches: 10, big: 9_000_000 },
  indexes: [makeIndex('players', 'players_pkey'), makeIndex('matches', 'matches_pkey')],
  migrations: [makeMigration('20260101000000_init'), makeMigration('20260102000000_add_matches')],
  capturedAt: '2026-01-01T10:02:00.000Z',
});
post.tables = post.tables.map((t) => (t.name === 'big' ? makeTable('big', 9_000_000, { counted: 'estimate', lastAnalyzed: '2025-12-31T22:00:00.000Z' }) : t));
const backup = makeBackup(
  [
    { schema: 'public', name: 'players', rows: 100 },
    { schema: 'billing', name: 'invoices', rows: 40 },
    { schema: 'public', name: 'big', rows: 9_000_123 },
    { schema: 'public', name: 'written_since_pre', rows: 3 },
  ],
  { startedAt: '2026-01-01T10:00:10.000Z', finishedAt: '2026-01-01T10:00:20.000Z', durationMs: 10_000 },
);

const journal = {
  version: 1,
  runId: 'run-1',
  environment: 'production',
  mode: 'run',
  state: 'in-progress',
  pid: null,
  createdAt: '2026-01-01T10:00:00.000Z',
  updatedAt: '2026-01-01T10:00:00.000Z',
  database: { redacted: 'postgresql://app:***@db.internal:5432/game', name: 'game', source: 'DATABASE_URL' },
  migrations: ['20260102000000_add_matches'],
  command: ['npx', 'prisma', 'migrate', 'deploy'],
  commandHadSecrets: false,
  performedBy: { name: 'Ada Lovelace' },
  code: null,
  migrationsDir: null,
  runbook: null,
  pre,
  post,
  backup,
  lint: [],
  timeline: [],
  checks: [],
  checklist: [],
} as unknown as RunJournal;

function filed(facts: Omit<MigrationRecord, 'integrity'>): MigrationRecord {
  return migrationRecordSchema.parse({ ...facts, integrity: computeIntegrity(facts, null, { seq: 1 }) });
}

const delta = filed(
  buildRecordFacts(journal, { id: '2026-01-01-add-matches-production', status: 'success', toolVersion: '0.1.0', finishedAt: '2026-01-01T10:05:00.000Z' }),
);
// The same run as a record with full snapshots inline, and as a compact record filed before the deltas.
const full = makeRecord({ ...delta, schemaVersion: 1, pre, post, changes: undefined, backup });
const older = compactRecordOf(full, { deltas: false }).record;

// Records filed now keep no table sizes (only the totals); older forms carry them inline.
const counts = (list: Array<{ schema: string; name: string; rows: number; counted: string }> | null) =>
  (list ?? []).map(({ schema, name, rows, counted }) => ({ schema, name, rows, counted }));
const sorted = <T>(list: T[]) => [...list].sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));
const names = (groups: Array<{ schema: string; tables: Array<[string, ...unknown[]]> }>) => groups.flatMap((g) => g.tables.map(([n]) => `${g.schema}.${n}`));

describe('counts stored as differences from pre', () => {
  it('store only the tables that differ, are new or are gone', () => {
    const storedPost = delta.post as CompactSnapshot;
    assert.equal(storedPost.countsFrom, 'pre');
    assert.deepEqual(names(storedPost.tables), ['public.matches', 'public.players']);
    assert.deepEqual(storedPost.tablesGone, [{ schema: 'legacy', tables: ['old_orders'] }]);
    assert.equal(storedPost.totals.tables, 4, 'totals still describe the whole snapshot');
    const storedBackup = delta.backup as CompactBackup;
    assert.equal(storedBackup.countsFrom, 'pre');
    assert.deepEqual(names(storedBackup.tables), ['public.big', 'public.written_since_pre']);
    assert.deepEqual(storedBackup.tablesGone, [{ schema: 'legacy', tables: ['old_orders'] }]);
    assert.equal((delta.pre as CompactSnapshot).countsFrom, undefined, 'pre is stored in full');
    // The older compact record lists every table and has no marker.
    assert.equal((older.post as CompactSnapshot).countsFrom, undefined);
    assert.equal(names((older.post as CompactSnapshot).tables).length, 4);
  });

  it('read back the same post counts, backup counts and diff as the full form and the older compact form', () => {
    assert.ok(isCompactSnapshot(delta.pre) && !isCompactSnapshot(full.pre));
    // The older compact form has sizes but no analyze times (estimates carry those since).
    const withBytes = (list: ReturnType<typeof postTableCounts>) =>
      (list ?? []).map(({ schema, name, rows, counted, bytes }) => ({ schema, name, rows, counted, bytes }));
    assert.deepEqual(sorted(withBytes(postTableCounts(older))), sorted(withBytes(postTableCounts(full))), 'the older compact form, sizes included');
    assert.deepEqual(sorted(counts(postTableCounts(delta))), sorted(counts(postTableCounts(full))));
    assert.deepEqual(counts(postTableCounts(delta)), counts(postTableCounts(older)), 'in the same (schema, name) order');
    assert.deepEqual(sorted(counts(preTableCounts(delta))), sorted(counts(preTableCounts(full))));
    assert.ok(preTableCounts(delta).every((t) => t.bytes === null) && preTableCounts(older).every((t) => typeof t.bytes === 'number'));
    const backupFull = sorted(backupCounts(full));
    assert.deepEqual(sorted(backupCounts(delta)), backupFull);
    assert.deepEqual(sorted(backupCounts(older)), backupFull);
    assert.equal(backupCounts(delta).find((t) => t.name === 'big')?.rows, 9_000_123, 'the exact dump count, not the estimate');
    // An estimate carries what dates it, in pre and (unchanged, so not listed again) in post.
    assert.deepEqual(
      (delta.pre as CompactSnapshot).tables.find((g) => g.schema === 'public')?.tables.find(([n]) => n === 'big'),
      ['big', 9_000_000, 'estimate', '2025-12-31T22:00:00.000Z'],
    );
    assert.equal(postTableCounts(delta)?.find((t) => t.name === 'big')?.lastAnalyzed, '2025-12-31T22:00:00.000Z');
    assert.equal(preTableCounts(delta).find((t) => t.name === 'players')?.lastAnalyzed, undefined, 'an exact count needs no date');
    assert.ok(!backupCounts(delta).some((t) => t.name === 'old_orders'), 'a table pre has and the dump lacks is not invented');
    for (const record of [delta, older]) {
      const a = recordDiff(full)!;
      const b = recordDiff(record)!;
      assert.deepEqual(b.tables, a.tables);
      assert.deepEqual(b.totals, a.totals);
      assert.deepEqual(b.anomalies, a.anomalies);
      assert.deepEqual(b.migrationsApplied, a.migrationsApplied);
    }
  });

  it('show a dropped, a created, a changed and an unchanged table in the diff, the record page and the per-table facts', () => {
    const diff = recordDiff(delta)!;
    const change = Object.fromEntries(diff.tables.map((t) => [t.table, [t.change, t.before, t.after]]));
    assert.deepEqual(change, {
      'billing.invoices': ['unchanged', 40, 40],
      'legacy.old_orders': ['dropped', 7, null],
      'public.big': ['unchanged', 9_000_000, 9_000_000],
      'public.matches': ['added', null, 10],
      'public.players': ['changed', 100, 120],
    });
    const rows = Object.fromEntries(
      recordView(delta, { chainProblems: [], runbook: null, tamper: null }).tables.map((t) => [t.table, [t.change, t.before, t.after]]),
    );
    assert.deepEqual(rows['legacy.old_orders'], ['dropped', 7, null]);
    assert.deepEqual(rows['public.matches'], ['added', null, 10]);
    assert.deepEqual(rows['public.players'], ['changed', 100, 120]);
    assert.deepEqual(rows['billing.invoices'], ['unchanged', 40, 40]);
    const facts = tableFacts(delta);
    assert.deepEqual(facts.state.at, post.capturedAt);
    assert.deepEqual(sorted(facts.state.tables), sorted([...postTableCounts(full)!.map((t) => [`${t.schema}.${t.name}`, t.rows] as [string, number])]));
    const touches = Object.fromEntries(facts.touches.map((t) => [t.table, t.reasons]));
    assert.ok(touches['legacy.old_orders']?.includes('table dropped'));
    assert.ok(touches['public.matches']?.includes('table created'));
    assert.deepEqual(tableFacts(delta), tableFacts(older), 'the table pages read the same from both compact forms');
    assert.match(renderRecordFile(delta), /public\\\.players \\\+20/);
  });

  it('store a rollback’s after counts as differences from pre and read them back in full', () => {
    const restored = makeSnapshot({ tables: { players: 100, 'billing.invoices': 40, 'legacy.old_orders': 7, big: 9_000_123 } });
    const after = countsRelativeToPre(compactSnapshot(restored).compact, delta.pre);
    assert.deepEqual(names(after.tables), ['public.big'], 'only the table whose exact count differs from the estimate');
    const { integrity: _i, ...facts } = delta;
    const rolled = filed({
      ...facts,
      status: 'rolled-back',
      rollback: {
        startedAt: '2026-01-01T11:00:00.000Z',
        finishedAt: '2026-01-01T11:05:00.000Z',
        durationMs: 300_000,
        statusBefore: 'success',
        backupPath: backup.path,
        backupSha256: backup.sha256,
        performedBy: { name: 'Ada Lovelace' },
        after,
        matchesBackup: false,
      },
    });
    const counts = rollbackTableCounts(rolled)!;
    assert.equal(counts.length, 4);
    assert.equal(counts.find((t) => t.name === 'players')?.rows, 100);
    assert.equal(counts.find((t) => t.name === 'big')?.rows, 9_000_123);
    assert.equal(latestTableCounts(rolled).counts.length, 4);
    // Restored tables that match the backup are not listed; the one the dump lacks (pre had it) is.
    const section = renderRollbackSection(rolled);
    assert.match(section, /3 of 4 table\(s\) match their count at backup/);
    assert.match(section, /`legacy\.old_orders` \| — \| 7 \| \*\*no\*\*/);
  });

  it('an older compact record (every table listed, no marker) still parses, verifies and renders through the MDX', () => {
    const text = renderRecordFile(older);
    assert.doesNotMatch(text, /countsFrom/);
    const parsed = parseRecordFile(text, `${older.id}.mdx`);
    assert.ok(parsed.ok, JSON.stringify(!parsed.ok && parsed.problems));
    assert.deepEqual(parsed.value.record, older);
    assert.equal(checkRecordDigest(parsed.value.record), null);
    assert.deepEqual(counts(postTableCounts(parsed.value.record)), counts(postTableCounts(delta)));
    assert.match(text, /\n {4}- \[players, 100, exact, 16000\]\n/, 'its tuples keep the size they were filed with');
    assert.match(text, /public\\\.players \\\+20/);
  });

  it('an edited difference in the MDX is caught by the digest', () => {
    const text = renderRecordFile(delta);
    assert.match(text, /countsFrom: pre/);
    assert.match(text, /\n {4}- \[players, 100, exact\]\n/, 'pre lists every table as [name, rows, counted]');
    const edits: Array<[RegExp, string, string]> = [
      [/- \[players, 120, exact\]/, '- [players, 125, exact]', 'post'],
      [/- \[big, 9000123\]/, '- [big, 9000124]', 'backup'],
      [/ {2}tablesGone:\n {2}- schema: legacy\n {4}tables: \[old_orders\]\n/, '', 'post'],
      [/(\nbackup:[\s\S]*?tablesGone:\n {2}- schema: legacy\n {4}tables: \[)old_orders\]/, '$1old_orders, orders]', 'backup'],
    ];
    for (const [from, to, section] of edits) {
      assert.match(text, from);
      const parsed = parseRecordFile(text.replace(from, to), `${delta.id}.mdx`);
      assert.ok(parsed.ok, JSON.stringify(!parsed.ok && parsed.problems));
      const tamper = checkRecordDigest(parsed.value.record);
      assert.ok(tamper, `${from} edited`);
      assert.ok(tamper.editedSections.includes(section), `${from}: ${tamper.editedSections.join(', ')}`);
    }
    const untouched = parseRecordFile(text, `${delta.id}.mdx`);
    assert.ok(untouched.ok && checkRecordDigest(untouched.value.record) === null);
  });

  it('a pre stored as differences, or tables gone without their base, fails validation naming the field', () => {
    const cases: Array<[(r: Record<string, Record<string, unknown>>) => void, RegExp]> = [
      [
        (r) => {
          r.pre!.countsFrom = 'pre';
        },
        /^r\.mdx: pre\.countsFrom: pre lists every table/,
      ],
      [(r) => void delete r.post!.countsFrom, /^r\.mdx: post\.tablesGone: tablesGone names tables missing since pre, so it needs countsFrom: pre$/],
      [(r) => void delete r.backup!.countsFrom, /^r\.mdx: backup\.tablesGone: tablesGone names tables missing since pre, so it needs countsFrom: pre$/],
    ];
    for (const [edit, message] of cases) {
      const broken = structuredClone(delta) as unknown as Record<string, Record<string, unknown>>;
      edit(broken);
      const parsed = migrationRecordSchema.safeParse(broken);
      assert.ok(!parsed.success);
      assert.match(problemsFromZod(parsed.error, 'r.mdx').map(formatProblem).join('\n'), message);
    }
  });
});
