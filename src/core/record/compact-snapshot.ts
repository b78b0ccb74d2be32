// Pure: a full snapshot becomes the compact form a record carries (counts, totals, migration summary, and a
// reference to the full snapshot file), and two full snapshots become the schema changes stored once.
import type { BackupMeta } from '../../schemas/backup.ts';
import type { CompactBackup, CompactSnapshot, RecordSnapshot, SchemaChanges, TablesGone } from '../../schemas/compact-snapshot.ts';
import type { ColumnSnapshot, ExtensionSnapshot, ForeignKeySnapshot, IndexSnapshot, MigrationEntry, Snapshot } from '../../schemas/snapshot.ts';
import { type SnapshotFile, snapshotParts } from './snapshot-files.ts';
import { preTableCounts } from './snapshot-access.ts';

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function groupBySchema(snapshot: Snapshot): CompactSnapshot['tables'] {
  const schemas = new Map<string, CompactSnapshot['tables'][number]['tables']>();
  for (const t of snapshot.tables) {
    const list = schemas.get(t.schema) ?? [];
    // No size: nothing reads one from the record (a statement's lock report carries the sizes that matter), and sizes
    // move with every write, so a size in the tuple would list most tables again in post's differences from pre.
    // An estimate is only as good as the statistics behind it: it says when they were gathered (and why it is not exact).
    if (t.counted === 'estimate')
      list.push(t.countNote ? [t.name, t.rows, t.counted, t.lastAnalyzed, t.countNote] : [t.name, t.rows, t.counted, t.lastAnalyzed]);
    else list.push([t.name, t.rows, t.counted]);
    schemas.set(t.schema, list);
  }
  return [...schemas].sort(([a], [b]) => byText(a, b)).map(([schema, tables]) => ({ schema, tables: tables.sort((a, b) => byText(a[0], b[0])) }));
}

const notPlainlyApplied = (m: MigrationEntry) => m.status !== 'applied' || m.edited || m.missingFromFolder;

/** The compact form of a snapshot and the files that hold the rest of it (the tree of parts, root first). */
export function compactSnapshot(snapshot: Snapshot, options: { markValues?: boolean } = {}): { compact: CompactSnapshot; files: SnapshotFile[] } {
  const { ref, files } = snapshotParts(snapshot, options);
  const applied = snapshot.migrations.migrations.filter((m) => m.status === 'applied');
  const compact: CompactSnapshot = {
    full: ref,
    capturedAt: snapshot.capturedAt,
    durationMs: snapshot.durationMs,
    serverVersion: snapshot.serverVersion,
    database: snapshot.database,
    databaseBytes: snapshot.databaseBytes,
    totals: {
      tables: snapshot.tables.length,
      rows: snapshot.tables.reduce((n, t) => n + t.rows, 0),
      indexes: snapshot.indexes.length,
      indexBytes: snapshot.indexes.reduce((n, i) => n + i.bytes, 0),
      foreignKeys: snapshot.foreignKeys.length,
    },
    tables: groupBySchema(snapshot),
    extensions: snapshot.extensions,
    migrations: {
      source: snapshot.migrations.source,
      hasHistory: snapshot.migrations.hasHistory,
      folder: snapshot.migrations.folder,
      applied: applied.length,
      lastApplied:
        applied
          .map((m) => m.name)
          .sort(byText)
          .at(-1) ?? null,
      exceptions: snapshot.migrations.migrations.filter(notPlainlyApplied),
    },
  };
  return { compact, files };
}

const tableKey = (schema: string, name: string) => JSON.stringify([schema, name]);

/** Names grouped by schema, both sorted: how a compact record lists the tables gone since its base. */
function groupNames(tables: Array<{ schema: string; name: string }>): TablesGone {
  const schemas = new Map<string, string[]>();
  for (const t of tables) schemas.set(t.schema, [...(schemas.get(t.schema) ?? []), t.name]);
  return [...schemas].sort(([a], [b]) => byText(a, b)).map(([schema, names]) => ({ schema, tables: names.sort(byText) }));
}

/**
 * The same compact snapshot with its per-table counts stored as differences from the record's pre snapshot: only
 * the tables whose rows, counting method, bytes or analyze time differ from pre's, or that are new since it, plus the names of
 * the tables gone (`countsFrom: 'pre'`, `tablesGone`). Most tables of a large database do not move during one
 * migration, so this halves a record; the full list is derived on read (snapshot-access.ts) and is never stored twice.
 */
export function countsRelativeToPre(snapshot: CompactSnapshot, pre: RecordSnapshot): CompactSnapshot {
  if (snapshot.countsFrom) return snapshot;
  const before = new Map(preTableCounts({ pre }).map((t) => [tableKey(t.schema, t.name), t]));
  const seen = new Set<string>();
  const tables = snapshot.tables
    .map(({ schema, tables: list }) => ({
      schema,
      tables: list.filter(([name, rows, counted, fourth, countNote]) => {
        const key = tableKey(schema, name);
        seen.add(key);
        const was = before.get(key);
        const bytes = typeof fourth === 'number' ? fourth : null;
        const lastAnalyzed = typeof fourth === 'number' ? undefined : fourth;
        return !was || was.rows !== rows || was.counted !== counted || was.bytes !== bytes || was.lastAnalyzed !== lastAnalyzed || was.countNote !== countNote;
      }),
    }))
    .filter((group) => group.tables.length);
  const gone = groupNames([...before].filter(([key]) => !seen.has(key)).map(([, t]) => t));
  const { tables: _all, ...rest } = snapshot;
  return { ...rest, countsFrom: 'pre', tables, ...(gone.length ? { tablesGone: gone } : {}) };
}

/**
 * The backup's facts with its per-table counts grouped by schema, as compact records carry them. Given the record's
 * pre snapshot (taken just before the dump), only the tables whose exact dump count differs from pre's rows, or that
 * pre lacks, are listed, and the tables pre has but the dump lacks are named in `tablesGone` (`countsFrom: 'pre'`).
 */
export function compactBackup(backup: BackupMeta, pre?: RecordSnapshot): CompactBackup {
  const before = new Map((pre ? preTableCounts({ pre }) : []).map((t) => [tableKey(t.schema, t.name), t]));
  const dumped = new Set(backup.tables.map((t) => tableKey(t.schema, t.name)));
  const listed = pre ? backup.tables.filter((t) => before.get(tableKey(t.schema, t.name))?.rows !== t.rows) : backup.tables;
  const schemas = new Map<string, [string, number][]>();
  for (const t of listed) schemas.set(t.schema, [...(schemas.get(t.schema) ?? []), [t.name, t.rows]]);
  const tables = [...schemas].sort(([a], [b]) => byText(a, b)).map(([schema, list]) => ({ schema, tables: list.sort((a, b) => byText(a[0], b[0])) }));
  if (!pre) return { ...backup, tables };
  const gone = groupNames([...before].filter(([key]) => !dumped.has(key)).map(([, t]) => t));
  const { tables: _all, ...rest } = backup;
  return { ...rest, countsFrom: 'pre', tables, ...(gone.length ? { tablesGone: gone } : {}) };
}

/** Added, dropped and changed items between two keyed lists. */
function compare<T>(before: T[], after: T[], key: (item: T) => string, same: (a: T, b: T) => boolean): { added: T[]; dropped: T[]; changed: [T, T][] } {
  const pre = new Map(before.map((item) => [key(item), item]));
  const post = new Map(after.map((item) => [key(item), item]));
  return {
    added: after.filter((item) => !pre.has(key(item))),
    dropped: before.filter((item) => !post.has(key(item))),
    changed: after.flatMap((item): [T, T][] => {
      const old = pre.get(key(item));
      return old && !same(old, item) ? [[old, item]] : [];
    }),
  };
}

const objectKey = (o: { schema: string; table: string; name: string }) => JSON.stringify([o.schema, o.table, o.name]);
const indexDefinition = (i: IndexSnapshot) => ({ schema: i.schema, table: i.table, name: i.name, definition: i.definition, valid: i.valid });
const columnShape = (c: ColumnSnapshot) => ({ type: c.type, nullable: c.nullable, default: c.default });

/** The schema changes between two full snapshots: what a compact record stores once instead of two full catalogs. */
export function schemaChanges(pre: Snapshot, post: Snapshot): SchemaChanges {
  const indexes = compare(pre.indexes, post.indexes, objectKey, (a, b) => a.definition === b.definition && a.valid === b.valid);
  const fks = compare(pre.foreignKeys, post.foreignKeys, objectKey, (a: ForeignKeySnapshot, b) => a.definition === b.definition && a.validated === b.validated);
  // A pre snapshot from a journal written before columns were captured says nothing about columns: compare none.
  const both = pre.columns !== undefined && post.columns !== undefined;
  const columns = compare(
    both ? (pre.columns ?? []) : [],
    both ? (post.columns ?? []) : [],
    objectKey,
    (a, b) => a.type === b.type && a.nullable === b.nullable && a.default === b.default,
  );
  const extensions = compare(
    pre.extensions,
    post.extensions,
    (e: ExtensionSnapshot) => e.name,
    (a, b) => a.version === b.version,
  );
  const appliedBefore = new Set(pre.migrations.migrations.filter((m) => m.status === 'applied').map((m) => m.name));
  return {
    indexes: {
      added: indexes.added.map(indexDefinition),
      dropped: indexes.dropped.map(indexDefinition),
      changed: indexes.changed.map(([a, b]) => ({ schema: b.schema, table: b.table, name: b.name, before: indexDefinition(a), after: indexDefinition(b) })),
    },
    // A foreign key whose definition or validation changed shows as dropped and added again.
    foreignKeys: { added: [...fks.added, ...fks.changed.map(([, b]) => b)], dropped: [...fks.dropped, ...fks.changed.map(([a]) => a)] },
    columns: {
      added: columns.added,
      dropped: columns.dropped,
      changed: columns.changed.map(([a, b]) => ({ schema: b.schema, table: b.table, name: b.name, before: columnShape(a), after: columnShape(b) })),
    },
    extensions: {
      added: extensions.added,
      dropped: extensions.dropped,
      changed: extensions.changed.map(([a, b]) => ({ name: b.name, before: a.version, after: b.version })),
    },
    migrationsApplied: post.migrations.migrations.filter((m) => m.status === 'applied' && !appliedBefore.has(m.name)).map((m) => m.name),
  };
}
