// Pure: how a full snapshot is stored beside the records, and read back. Records filed now store it as a tree of
// content-addressed parts (src/schemas/snapshot-parts.ts): one root per capture, then the catalog, its buckets, one
// part per table, and the migration history in chunks (listed by history parts), so a capture shares every part that did not change with
// the captures before it. Records filed before that keep one whole `.full-snapshot.json` file per capture.
import { createHash } from 'node:crypto';
import type { SnapshotFileRef } from '../../schemas/compact-snapshot.ts';
import type { ColumnSnapshot, ExtensionSnapshot, ForeignKeySnapshot, IndexSnapshot, MigrationState, Snapshot, WriteMark } from '../../schemas/snapshot.ts';
import type { CatalogPart, HistoryPart, MigrationsPart, SnapshotPartKind, SnapshotRoot, TablePart, TablesPart } from '../../schemas/snapshot-parts.ts';
import { canonicalJson, sha256 } from './digest.ts';
import { SNAPSHOTS_FOLDER } from './record-layout.ts';

/** A part of the tree, or the single file of a record filed before the tree. */
export type SnapshotFileKind = SnapshotPartKind | 'full-snapshot';

export interface SnapshotFile {
  /** Relative to the records root: `_snapshots/<first 2 hex>/<sha256>.<suffix>`. */
  path: string;
  kind: SnapshotFileKind;
  text: string;
  ref: SnapshotFileRef;
}

/** Tables per bucket grow with the schema; 16 buckets keep one table's change to a small rewrite at 300-500 tables. */
const BUCKETS = 16;
/**
 * The migration history is cut where an item's key hashes to a boundary (1 in 16, at most 64 a chunk), not every
 * n rows: a history that gains a row, or loses one at the start or in the middle (deleted by hand, squashed),
 * rewrites one chunk rather than every chunk after it. The list of chunks is cut the same way into `history`
 * parts, so a history of thousands of rows still changes a few small files per migration.
 */
const CHUNK_BOUNDARY = 16;
const CHUNK_MAX = 64;

function chunked<T>(items: T[], key: (item: T) => string): T[][] {
  const chunks: T[][] = [];
  let current: T[] = [];
  for (const item of items) {
    current.push(item);
    if (current.length >= CHUNK_MAX || Number.parseInt(sha256(key(item)).slice(0, 8), 16) % CHUNK_BOUNDARY === 0) {
      chunks.push(current);
      current = [];
    }
  }
  if (current.length) chunks.push(current);
  return chunks;
}

/**
 * Every suffix is at least 16 characters and the same for one kind, because git's packer groups delta
 * candidates by the last 16 characters of a path: parts of a kind then delta against each other (measured in
 * scripts/bench/site.ts at #17's first step: 250 realistic records packed to 3.9 MB with a shared suffix, 5.6 MB without).
 */
const SUFFIX: Record<SnapshotFileKind, string> = {
  'full-snapshot': 'full-snapshot.json',
  snapshot: 'snapshot-root.json',
  catalog: 'snapshot-catalog.json',
  tables: 'snapshot-tables.json',
  table: 'snapshot-table.json',
  history: 'snapshot-history.json',
  migrations: 'snapshot-migrations.json',
};

export function snapshotPartPath(sha: string, kind: SnapshotFileKind): string {
  return `${SNAPSHOTS_FOLDER}/${sha.slice(0, 2)}/${sha}.${SUFFIX[kind]}`;
}

/** The file a record's reference names: the root of a tree, or the single file of an older record. */
export function snapshotFilePath(ref: SnapshotFileRef): string {
  return snapshotPartPath(ref.sha256, rootKind(ref));
}

export function rootKind(ref: SnapshotFileRef): SnapshotFileKind {
  return ref.layout === 'parts' ? 'snapshot' : 'full-snapshot';
}

/** Canonical JSON (sorted keys), one line and a newline: equal content gives equal bytes, hence one file. */
function fileOf(kind: SnapshotFileKind, value: unknown): SnapshotFile {
  const text = `${canonicalJson(value)}\n`;
  const sha = sha256(text);
  return { path: snapshotPartPath(sha, kind), kind, text, ref: { sha256: sha, bytes: Buffer.byteLength(text, 'utf8') } };
}

/** The single-file form records filed before the tree used (kept for tests of those records). */
export function wholeSnapshotFile(snapshot: Snapshot): SnapshotFile {
  return fileOf('full-snapshot', snapshot);
}

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const tableKey = (schema: string, name: string) => JSON.stringify([schema, name]);

/** The tree of a snapshot, root first; the root's reference is what the record carries. */
/**
 * `markValues: false` keeps which columns are a table's write marks (structure, shared) but not their values: only
 * the state after a migration is ever compared with the database again (by rollback), and a pre's fingerprints
 * would be a few kB per record that no git delta can shrink.
 */
export function snapshotParts(snapshot: Snapshot, options: { markValues?: boolean } = {}): { ref: SnapshotFileRef; files: SnapshotFile[] } {
  const files: SnapshotFile[] = [];
  const add = (kind: SnapshotFileKind, value: unknown) => {
    const file = fileOf(kind, value);
    files.push(file);
    return file.ref.sha256;
  };

  const listed = new Set(snapshot.tables.map((t) => tableKey(t.schema, t.name)));
  const onTable = <T extends { schema: string; table: string }>(items: T[]) => {
    const by = new Map<string, T[]>();
    for (const item of items) {
      const key = tableKey(item.schema, item.table);
      if (!listed.has(key)) continue;
      const list = by.get(key);
      if (list) list.push(item);
      else by.set(key, [item]);
    }
    return by;
  };
  const indexes = onTable(snapshot.indexes);
  const foreignKeys = onTable(snapshot.foreignKeys);
  const columns = onTable(snapshot.columns ?? []);
  const bucketOf = (schema: string, name: string) => Number.parseInt(sha256(tableKey(schema, name)).slice(0, 8), 16) % BUCKETS;
  const buckets: Array<TablesPart['tables']> = Array.from({ length: BUCKETS }, () => []);
  const sorted = [...snapshot.tables].sort((a, b) => byText(a.schema, b.schema) || byText(a.name, b.name));
  const marks = new Map((snapshot.writeMarks ?? []).map((m) => [tableKey(m.schema, m.name), m]));
  let prints = '';
  for (const t of sorted) {
    const key = tableKey(t.schema, t.name);
    const mark = marks.get(key);
    if (mark?.idColumn) prints += markPrint(mark.maxId);
    if (mark?.modifiedColumn) prints += markPrint(mark.lastModified);
    const part: TablePart = {
      part: 'table',
      schema: t.schema,
      name: t.name,
      kind: t.kind,
      partitions: t.partitions,
      columns: (columns.get(key) ?? []).map(({ schema, table, ...shape }) => shape),
      indexes: (indexes.get(key) ?? []).map(({ schema, table, bytes, ...shape }) => shape),
      foreignKeys: (foreignKeys.get(key) ?? []).map(({ schema, table, ...shape }) => shape),
      ...(mark?.idColumn || mark?.modifiedColumn
        ? { marks: { ...(mark.idColumn ? { id: mark.idColumn } : {}), ...(mark.modifiedColumn ? { modified: mark.modifiedColumn } : {}) } }
        : {}),
    };
    buckets[bucketOf(t.schema, t.name)]!.push([t.schema, t.name, add('table', part)]);
  }
  const unlisted = <T extends { schema: string; table: string }>(items: T[]) => items.filter((i) => !listed.has(tableKey(i.schema, i.table)));
  const loose = {
    indexes: unlisted(snapshot.indexes).map(({ bytes, ...shape }) => shape),
    foreignKeys: unlisted(snapshot.foreignKeys),
    columns: unlisted(snapshot.columns ?? []),
  };
  const catalog: CatalogPart = {
    part: 'catalog',
    extensions: snapshot.extensions,
    columnsRead: snapshot.columns !== undefined,
    buckets: buckets.map((tables) => add('tables', { part: 'tables', tables } satisfies TablesPart)),
    ...(loose.indexes.length || loose.foreignKeys.length || loose.columns.length ? { loose } : {}),
  };
  const chunks = chunked(snapshot.migrations.migrations, (m) => m.name).map((migrations) =>
    add('migrations', {
      part: 'migrations',
      migrations: migrations.map((m): MigrationsPart['migrations'][number] => [
        m.name,
        m.status,
        m.edited,
        m.missingFromFolder,
        m.startedAt,
        m.finishedAt,
        m.appliedStepsCount,
      ]),
    } satisfies MigrationsPart),
  );
  const history = chunked(chunks, (sha) => sha).map((list) => add('history', { part: 'history', chunks: list } satisfies HistoryPart));
  const root: SnapshotRoot = {
    part: 'snapshot',
    serverVersion: snapshot.serverVersion,
    database: snapshot.database,
    catalog: add('catalog', catalog),
    migrations: { source: snapshot.migrations.source, hasHistory: snapshot.migrations.hasHistory, folder: snapshot.migrations.folder, history },
    ...(snapshot.writeMarks && options.markValues !== false ? { writeMarks: prints } : {}),
  };
  const rootFile = fileOf('snapshot', root);
  return { ref: { ...rootFile.ref, layout: 'parts' }, files: [rootFile, ...files] };
}

const PRINT = 8;

/**
 * A write mark's value as a tree keeps it: 48 bits of its sha256 in base64url. Rollback compares the marks it reads
 * now in the same form (fingerprintMarks); two values share a fingerprint once in 2^48.
 */
export function markPrint(value: string | null | undefined): string {
  return createHash('sha256')
    .update(JSON.stringify(value ?? null))
    .digest('base64url')
    .slice(0, PRINT);
}

/** Marks with their values replaced by fingerprints, to compare with marks read back from a tree. */
export function fingerprintMarks(marks: WriteMark[]): WriteMark[] {
  return marks.map((m) => ({
    ...m,
    ...(m.idColumn ? { maxId: markPrint(m.maxId) } : {}),
    ...(m.modifiedColumn ? { lastModified: markPrint(m.lastModified) } : {}),
  }));
}

/** The parts a part references, with their kinds: what a walker (verify, commit, the benchmark) follows. */
export function partChildren(kind: SnapshotFileKind, value: unknown): Array<{ sha256: string; kind: SnapshotFileKind }> {
  switch (kind) {
    case 'snapshot': {
      const root = value as SnapshotRoot;
      return [{ sha256: root.catalog, kind: 'catalog' }, ...root.migrations.history.map((sha256) => ({ sha256, kind: 'history' as const }))];
    }
    case 'history':
      return (value as HistoryPart).chunks.map((sha256) => ({ sha256, kind: 'migrations' as const }));
    case 'catalog':
      return (value as CatalogPart).buckets.map((sha256) => ({ sha256, kind: 'tables' as const }));
    case 'tables':
      return (value as TablesPart).tables.map(([, , sha256]) => ({ sha256, kind: 'table' as const }));
    default:
      return [];
  }
}

/**
 * What a full snapshot says beyond the record's own counts: the structure, the migration history, the write
 * marks. Read from a tree or from an older single file alike. Sizes per table, index and heap/TOAST are kept only
 * by older files (a tree leaves them out: they change with every capture; the record keeps the totals).
 */
export interface SnapshotDetail {
  serverVersion: string;
  database: string;
  tables: Array<{ schema: string; name: string; kind: 'table' | 'partitioned'; partitions: string[] }>;
  indexes: Array<Omit<IndexSnapshot, 'bytes'>>;
  foreignKeys: ForeignKeySnapshot[];
  /** Absent when the capture read no columns. */
  columns?: ColumnSnapshot[];
  extensions: ExtensionSnapshot[];
  migrations: MigrationState;
  writeMarks: WriteMark[];
  /** The marks' values are fingerprints (markPrint): compare marks read now through fingerprintMarks. */
  markPrints: boolean;
}

export function detailOfWhole(snapshot: Snapshot): SnapshotDetail {
  return {
    serverVersion: snapshot.serverVersion,
    database: snapshot.database,
    tables: snapshot.tables.map((t) => ({ schema: t.schema, name: t.name, kind: t.kind, partitions: t.partitions })),
    indexes: snapshot.indexes.map(({ bytes, ...index }) => index),
    foreignKeys: snapshot.foreignKeys,
    ...(snapshot.columns ? { columns: snapshot.columns } : {}),
    extensions: snapshot.extensions,
    migrations: snapshot.migrations,
    writeMarks: snapshot.writeMarks ?? [],
    markPrints: false,
  };
}

/** A tree put back together; `part` returns a part already read and checked against its hash. */
export function assembleDetail(root: SnapshotRoot, part: <T>(sha: string) => T): SnapshotDetail {
  const catalog = part<CatalogPart>(root.catalog);
  const tables = catalog.buckets
    .flatMap((sha) => part<TablesPart>(sha).tables)
    .map(([, , sha]) => part<TablePart>(sha))
    .sort((a, b) => byText(a.schema, b.schema) || byText(a.name, b.name));
  return {
    serverVersion: root.serverVersion,
    database: root.database,
    tables: tables.map((t) => ({ schema: t.schema, name: t.name, kind: t.kind, partitions: t.partitions })),
    indexes: [...tables.flatMap((t) => t.indexes.map((i) => ({ schema: t.schema, table: t.name, ...i }))), ...(catalog.loose?.indexes ?? [])],
    foreignKeys: [...tables.flatMap((t) => t.foreignKeys.map((k) => ({ schema: t.schema, table: t.name, ...k }))), ...(catalog.loose?.foreignKeys ?? [])],
    ...(catalog.columnsRead
      ? { columns: [...tables.flatMap((t) => t.columns.map((c) => ({ schema: t.schema, table: t.name, ...c }))), ...(catalog.loose?.columns ?? [])] }
      : {}),
    extensions: catalog.extensions,
    migrations: {
      source: root.migrations.source,
      hasHistory: root.migrations.hasHistory,
      folder: root.migrations.folder,
      migrations: root.migrations.history.flatMap((list) =>
        part<HistoryPart>(list).chunks.flatMap((sha) =>
          part<MigrationsPart>(sha).migrations.map(([name, status, edited, missingFromFolder, startedAt, finishedAt, appliedStepsCount]) => ({
            name,
            status,
            edited,
            missingFromFolder,
            startedAt,
            finishedAt,
            appliedStepsCount,
          })),
        ),
      ),
    },
    writeMarks: root.writeMarks === undefined ? [] : marksOf(tables, root.writeMarks),
    markPrints: true,
  };
}

/** The marks a root's fingerprints stand for, in the order snapshotParts wrote them; none when they do not add up. */
function marksOf(tables: TablePart[], prints: string): WriteMark[] {
  const marks: WriteMark[] = [];
  let at = 0;
  const next = () => {
    const print = prints.slice(at, at + PRINT);
    at += PRINT;
    return print;
  };
  for (const t of tables) {
    if (!t.marks) continue;
    marks.push({
      schema: t.schema,
      name: t.name,
      ...(t.marks.id ? { idColumn: t.marks.id, maxId: next() } : {}),
      ...(t.marks.modified ? { modifiedColumn: t.marks.modified, lastModified: next() } : {}),
    });
  }
  return at === prints.length ? marks : [];
}
