// Pure: a full snapshot becomes the compact form a record carries (counts, totals, migration summary, and a
// reference to the full snapshot file), and two full snapshots become the schema changes stored once.
import type { BackupMeta } from '../../schemas/backup.ts';
import type { CompactBackup, CompactSnapshot, SchemaChanges } from '../../schemas/compact-snapshot.ts';
import type { ColumnSnapshot, ExtensionSnapshot, ForeignKeySnapshot, IndexSnapshot, MigrationEntry, Snapshot } from '../../schemas/snapshot.ts';
import { type SnapshotFile, snapshotParts } from './snapshot-files.ts';

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function groupBySchema(snapshot: Snapshot): CompactSnapshot['tables'] {
  const schemas = new Map<string, CompactSnapshot['tables'][number]['tables']>();
  for (const t of snapshot.tables) {
    const list = schemas.get(t.schema) ?? [];
    const bytes = t.tableBytes + t.indexBytes + t.toastBytes;
    // An estimate is only as good as the statistics behind it: say when they were gathered (and why it is not exact).
    if (t.counted === 'estimate')
      list.push(t.countNote ? [t.name, t.rows, t.counted, bytes, t.lastAnalyzed, t.countNote] : [t.name, t.rows, t.counted, bytes, t.lastAnalyzed]);
    else list.push([t.name, t.rows, t.counted, bytes]);
    schemas.set(t.schema, list);
  }
  return [...schemas].sort(([a], [b]) => byText(a, b)).map(([schema, tables]) => ({ schema, tables: tables.sort((a, b) => byText(a[0], b[0])) }));
}

const notPlainlyApplied = (m: MigrationEntry) => m.status !== 'applied' || m.edited || m.missingFromFolder;

/** The compact form of a snapshot and the files that hold the rest of it (the tree of parts, root first). */
export function compactSnapshot(snapshot: Snapshot): { compact: CompactSnapshot; files: SnapshotFile[] } {
  const { ref, files } = snapshotParts(snapshot);
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

/** The backup's facts with its per-table counts grouped by schema, as compact records carry them. */
export function compactBackup(backup: BackupMeta): CompactBackup {
  const schemas = new Map<string, [string, number][]>();
  for (const t of backup.tables) schemas.set(t.schema, [...(schemas.get(t.schema) ?? []), [t.name, t.rows]]);
  const tables = [...schemas].sort(([a], [b]) => byText(a, b)).map(([schema, list]) => ({ schema, tables: list.sort((a, b) => byText(a[0], b[0])) }));
  return { ...backup, tables };
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
