// A full snapshot as a tree of content-addressed parts: it reads back whole, what did not change between two
// captures is the same file, counts and sizes change no part, hostile names stay (schema, name) pairs, and the
// file names end alike per kind so git deltas parts against each other.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  assembleDetail,
  detailOfWhole,
  fingerprintMarks,
  markPrint,
  partChildren,
  type SnapshotFile,
  snapshotPartPath,
  snapshotParts,
} from '../../../src/core/record/snapshot-files.ts';
import type { Snapshot } from '../../../src/schemas/snapshot.ts';
import { type SnapshotRoot, snapshotPartSchemas } from '../../../src/schemas/snapshot-parts.ts';
import { makeIndex, makeMigration, makeSnapshot } from '../../helpers/synthetic.ts';

function readBack(files: SnapshotFile[]) {
  const bySha = new Map(files.map((f) => [f.ref.sha256, f]));
  const part = <T>(sha: string): T => {
    const file = bySha.get(sha);
    assert.ok(file, `part ${sha} is among the files`);
    return snapshotPartSchemas[file.kind as keyof typeof snapshotPartSchemas].parse(JSON.parse(file.text)) as T;
  };
  return assembleDetail(part<SnapshotRoot>(files[0]!.ref.sha256), part);
}

/** The same detail whatever order the capture listed things in. */
function normal(detail: ReturnType<typeof detailOfWhole>) {
  const by = (a: { schema: string; name: string }, b: { schema: string; name: string }) => (a.schema + a.name < b.schema + b.name ? -1 : 1);
  return {
    ...detail,
    tables: [...detail.tables].sort(by),
    indexes: [...detail.indexes].sort(by),
    foreignKeys: [...detail.foreignKeys].sort(by),
    columns: detail.columns ? [...detail.columns].sort((a, b) => (a.table + a.name < b.table + b.name ? -1 : 1)) : undefined,
  };
}

const migrations = (n: number) => Array.from({ length: n }, (_, i) => makeMigration(`2026${String(i).padStart(10, '0')}_m${i}`));

function catalog(rows: number, extra: Partial<Snapshot> = {}): Snapshot {
  const tables = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`t_${i}`, rows + i]));
  return {
    ...makeSnapshot({ tables, indexes: Array.from({ length: 40 }, (_, i) => makeIndex(`t_${i}`, `t_${i}_pkey`)), migrations: migrations(70) }),
    columns: [{ schema: 'public', table: 't_1', name: 'id', type: 'bigint', nullable: false, default: null }],
    writeMarks: [{ schema: 'public', name: 't_1', idColumn: 'id', maxId: String(rows) }],
    ...extra,
  };
}

describe('snapshot parts', () => {
  it('read back to the same structure, history and write marks as the whole snapshot', () => {
    const snapshot = catalog(10);
    const { ref, files } = snapshotParts(snapshot);
    assert.equal(ref.layout, 'parts');
    assert.equal(files[0]!.ref.sha256, ref.sha256, 'the root comes first and is what the record references');
    // Write marks come back as fingerprints of their values (what rollback compares), everything else as captured.
    assert.deepEqual(
      normal(readBack(files)),
      normal({ ...detailOfWhole(snapshot), writeMarks: fingerprintMarks(snapshot.writeMarks ?? []), markPrints: true }),
    );
    assert.notEqual(markPrint('10'), markPrint('11'));
    // Without mark values (a pre): the same structure, the same mark columns in the table parts, no fingerprints.
    const bare = snapshotParts(snapshot, { markValues: false });
    assert.deepEqual(readBack(bare.files).writeMarks, []);
    assert.deepEqual(
      bare.files.filter((f) => f.kind !== 'snapshot').map((f) => f.path),
      files.filter((f) => f.kind !== 'snapshot').map((f) => f.path),
      'a pre and a post of the same schema share every part but the root',
    );
    assert.notEqual(markPrint(null), markPrint('null'));
    const chunks = files.filter((f) => f.kind === 'migrations').map((f) => JSON.parse(f.text).migrations.length);
    assert.ok(chunks.length > 1 && chunks.every((n) => n <= 64), `70 migration rows in chunks of at most 64: ${chunks}`);
  });

  it('a history that loses its first row rewrites the first chunk only, not every chunk after it', () => {
    const base = catalog(10);
    const whole = snapshotParts(base);
    const trimmed = snapshotParts({ ...base, migrations: { ...base.migrations, migrations: base.migrations.migrations.slice(1) } });
    const before = new Set(whole.files.map((f) => f.path));
    const added = trimmed.files.filter((f) => !before.has(f.path)).map((f) => f.kind);
    assert.deepEqual(
      added.filter((k) => k === 'migrations'),
      ['migrations'],
      `one new chunk; new parts: ${added}`,
    );
    assert.ok(added.filter((k) => k === 'history').length <= 2, 'the history part listing it (cut points may shift by one)');
  });

  it('counts and sizes change no part; a new index changes only its table, bucket, catalog and root', () => {
    const a = snapshotParts(catalog(10, { writeMarks: undefined }));
    const sameStructure = snapshotParts({ ...catalog(99_999, { writeMarks: undefined }), capturedAt: '2027-01-01T00:00:00.000Z', databaseBytes: 1 });
    assert.equal(sameStructure.ref.sha256, a.ref.sha256, 'a capture with other counts, sizes and times is the same tree');

    const base = catalog(10, { writeMarks: undefined });
    const b = snapshotParts({ ...base, indexes: [...base.indexes, makeIndex('t_7', 't_7_created', 'CREATE INDEX t_7_created ON public.t_7 (created_at)')] });
    const before = new Set(a.files.map((f) => f.path));
    const added = b.files.filter((f) => !before.has(f.path)).map((f) => f.kind);
    assert.deepEqual(added.sort(), ['catalog', 'snapshot', 'table', 'tables']);

    const c = snapshotParts({ ...base, migrations: { ...base.migrations, migrations: migrations(71) } });
    assert.deepEqual(
      c.files
        .filter((f) => !before.has(f.path))
        .map((f) => f.kind)
        .sort(),
      ['history', 'migrations', 'snapshot'],
      'one more migration rewrites the last chunk, the history part listing it, and the root',
    );
  });

  it('keeps hostile names apart as (schema, name) pairs', () => {
    const table = (schema: string, name: string) => ({ ...makeSnapshot().tables[0]!, schema, name });
    const hostile: Snapshot = {
      ...makeSnapshot(),
      tables: [table('a.b', 'c'), table('a', 'b.c'), table('we"ird\n', '../x/y'), table('public', 'x\u2028"]}')],
      indexes: [{ ...makeIndex('public.x', 'i'), schema: 'a', table: 'b.c' }],
    };
    const detail = readBack(snapshotParts(hostile).files);
    assert.deepEqual(detail.tables.map((t) => [t.schema, t.name]).sort(), hostile.tables.map((t) => [t.schema, t.name]).sort());
    assert.deepEqual(
      detail.indexes.map((i) => [i.schema, i.table]),
      [['a', 'b.c']],
      'the index stays on ("a", "b.c"), not ("a.b", "c")',
    );
  });

  it('keeps each write mark with its own table: hostile names, tables without marks, one-column marks, a mark for a table not listed', () => {
    const table = (schema: string, name: string) => ({ ...makeSnapshot().tables[0]!, schema, name });
    const tables = [table('a.b', 'c'), table('a', 'b.c'), table('a', 'plain'), table('we"ird\n', '../x/y'), table('ü', 'x\u2028"]}')];
    const writeMarks = [
      { schema: 'a', name: 'b.c', idColumn: 'id', maxId: '7' },
      { schema: 'a.b', name: 'c', modifiedColumn: 'updated_at', lastModified: '2026-01-01T00:00:00.000000' },
      { schema: 'we"ird\n', name: '../x/y', idColumn: 'id', maxId: null, modifiedColumn: 'u', lastModified: '2026-02-02T00:00:00.000000' },
      { schema: 'ü', name: 'x\u2028"]}' },
      { schema: 'not', name: 'listed', idColumn: 'id', maxId: '1' },
    ];
    const key = (m: { schema: string; name: string }) => JSON.stringify([m.schema, m.name]);
    const marks = (snapshot: Snapshot) => new Map(readBack(snapshotParts(snapshot).files).writeMarks.map((m) => [key(m), m]));
    const read = marks({ ...makeSnapshot(), tables, writeMarks });
    // A mark with neither column says nothing to compare; one for a table the capture did not list has no part to name its columns.
    assert.deepEqual(read, new Map(fingerprintMarks(writeMarks.slice(0, 3)).map((m) => [key(m), m])));
    // One table's mark moves: only that table reads differently, so no other table is compared against it.
    const moved = marks({ ...makeSnapshot(), tables, writeMarks: writeMarks.map((m) => (m.name === 'b.c' ? { ...m, maxId: '8' } : m)) });
    assert.deepEqual(
      [...moved].filter(([k, m]) => JSON.stringify(read.get(k)) !== JSON.stringify(m)).map(([k]) => k),
      [key({ schema: 'a', name: 'b.c' })],
    );
  });

  it('keeps indexes of a table the capture did not list', () => {
    const snapshot = { ...makeSnapshot(), indexes: [makeIndex('elsewhere.gone', 'gone_idx')] };
    assert.deepEqual(
      readBack(snapshotParts(snapshot).files).indexes.map((i) => [i.schema, i.table, i.name]),
      [['elsewhere', 'gone', 'gone_idx']],
    );
  });

  it('names files by hash under a two-hex folder, ending alike per kind so git deltas them against each other', () => {
    const a = `${'a'.repeat(63)}1`;
    const b = `b${'0'.repeat(62)}2`;
    for (const kind of ['snapshot', 'catalog', 'tables', 'table', 'history', 'migrations', 'full-snapshot'] as const) {
      assert.ok(snapshotPartPath(a, kind).startsWith(`_snapshots/aa/${a}.`));
      assert.equal(snapshotPartPath(a, kind).slice(-16), snapshotPartPath(b, kind).slice(-16), kind);
    }
    const { files } = snapshotParts(catalog(1));
    const children = files.flatMap((f) => partChildren(f.kind, JSON.parse(f.text)).map((c) => snapshotPartPath(c.sha256, c.kind)));
    assert.deepEqual(new Set(children), new Set(files.slice(1).map((f) => f.path)), 'every part but the root is reached from the root');
  });
});
