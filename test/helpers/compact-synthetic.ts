// Turns a synthetic record with full snapshots inline into the compact form the CLI files now, with the
// snapshot files it references (write them with writeSnapshotFiles), for site tests and benchmarks. With
// `{ deltas: false }` it builds the shape filed before #17's slimming: every table listed in post, the backup and
// the rollback's after, each as `[name, rows, counted, bytes]`.
import { compactBackup, compactSnapshot, countsRelativeToPre, schemaChanges } from '../../src/core/record/compact-snapshot.ts';
import { computeIntegrity } from '../../src/core/record/digest.ts';
import { isCompactSnapshot } from '../../src/core/record/snapshot-access.ts';
import type { SnapshotFile } from '../../src/core/record/snapshot-files.ts';
import type { BackupMeta } from '../../src/schemas/backup.ts';
import type { CompactSnapshot } from '../../src/schemas/compact-snapshot.ts';
import type { MigrationRecord } from '../../src/schemas/record.ts';
import type { Snapshot } from '../../src/schemas/snapshot.ts';

/** The tuples as records filed before #17's slimming wrote them, with each table's size last. */
function withBytes(snapshot: CompactSnapshot, full: Snapshot): CompactSnapshot {
  const size = new Map(full.tables.map((t) => [JSON.stringify([t.schema, t.name]), t.tableBytes + t.indexBytes + t.toastBytes]));
  const tables = snapshot.tables.map(({ schema, tables: list }) => ({
    schema,
    tables: list.map(([name, rows, counted]): [string, number, 'exact' | 'estimate', number] => [
      name,
      rows,
      counted,
      size.get(JSON.stringify([schema, name])) ?? 0,
    ]),
  }));
  return { ...snapshot, tables };
}

export function compactRecordOf(record: MigrationRecord, options: { deltas?: boolean } = {}): { record: MigrationRecord; files: SnapshotFile[] } {
  const deltas = options.deltas ?? true;
  const { integrity, ...facts } = record;
  if (isCompactSnapshot(facts.pre) || (facts.post && isCompactSnapshot(facts.post))) throw new Error(`${record.id} is compact already`);
  const pre = compactSnapshot(facts.pre as Snapshot);
  const post = facts.post ? compactSnapshot(facts.post as Snapshot) : null;
  const after = facts.rollback ? compactSnapshot(facts.rollback.after as Snapshot) : null;
  const backup =
    facts.backup && !('tables' in (facts.backup.tables[0] ?? {})) ? compactBackup(facts.backup as BackupMeta, deltas ? pre.compact : undefined) : facts.backup;
  const relative = (snapshot: CompactSnapshot, full: Snapshot) => (deltas ? countsRelativeToPre(snapshot, pre.compact) : withBytes(snapshot, full));
  const compact = {
    ...facts,
    schemaVersion: 2 as const,
    pre: deltas ? pre.compact : withBytes(pre.compact, facts.pre as Snapshot),
    post: post ? relative(post.compact, facts.post as Snapshot) : null,
    ...(facts.post ? { changes: schemaChanges(facts.pre as Snapshot, facts.post as Snapshot) } : {}),
    backup,
    rollback: facts.rollback && after ? { ...facts.rollback, after: relative(after.compact, facts.rollback.after as Snapshot) } : facts.rollback,
  };
  const position = integrity.seq === undefined ? undefined : { seq: integrity.seq };
  return {
    record: { ...compact, integrity: computeIntegrity(compact, integrity.previous, position) },
    files: [...pre.files, ...(post?.files ?? []), ...(after?.files ?? [])],
  };
}
