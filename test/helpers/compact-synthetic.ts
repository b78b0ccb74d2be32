// Turns a synthetic record with full snapshots inline into the compact form the CLI files now, with the
// snapshot files it references (write them with writeSnapshotFiles), for site tests and benchmarks. With
// `{ deltas: false }` it builds the shape filed before post and backup counts were stored as differences from pre.
import { compactBackup, compactSnapshot, countsRelativeToPre, schemaChanges } from '../../src/core/record/compact-snapshot.ts';
import { computeIntegrity } from '../../src/core/record/digest.ts';
import { isCompactSnapshot } from '../../src/core/record/snapshot-access.ts';
import type { SnapshotFile } from '../../src/core/record/snapshot-files.ts';
import type { BackupMeta } from '../../src/schemas/backup.ts';
import type { CompactSnapshot } from '../../src/schemas/compact-snapshot.ts';
import type { MigrationRecord } from '../../src/schemas/record.ts';
import type { Snapshot } from '../../src/schemas/snapshot.ts';

export function compactRecordOf(record: MigrationRecord, options: { deltas?: boolean } = {}): { record: MigrationRecord; files: SnapshotFile[] } {
  const deltas = options.deltas ?? true;
  const { integrity, ...facts } = record;
  if (isCompactSnapshot(facts.pre) || (facts.post && isCompactSnapshot(facts.post))) throw new Error(`${record.id} is compact already`);
  const pre = compactSnapshot(facts.pre as Snapshot);
  const post = facts.post ? compactSnapshot(facts.post as Snapshot) : null;
  const after = facts.rollback ? compactSnapshot(facts.rollback.after as Snapshot) : null;
  const backup =
    facts.backup && !('tables' in (facts.backup.tables[0] ?? {})) ? compactBackup(facts.backup as BackupMeta, deltas ? pre.compact : undefined) : facts.backup;
  const relative = (snapshot: CompactSnapshot) => (deltas ? countsRelativeToPre(snapshot, pre.compact) : snapshot);
  const compact = {
    ...facts,
    schemaVersion: 2 as const,
    pre: pre.compact,
    post: post ? relative(post.compact) : null,
    ...(facts.post ? { changes: schemaChanges(facts.pre as Snapshot, facts.post as Snapshot) } : {}),
    backup,
    rollback: facts.rollback && after ? { ...facts.rollback, after: relative(after.compact) } : facts.rollback,
  };
  const position = integrity.seq === undefined ? undefined : { seq: integrity.seq };
  return {
    record: { ...compact, integrity: computeIntegrity(compact, integrity.previous, position) },
    files: [pre.file, ...(post ? [post.file] : []), ...(after ? [after.file] : [])],
  };
}
