// The full snapshots beside the records: `<records>/_snapshots/<first 2 hex>/<sha256>.full-snapshot.json`, written before the
// record that references them (a crash leaves at most an orphan file, never a record pointing at nothing),
// read back for pages that need a whole catalog, and re-hashed by verify.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { snapshotFileRefs } from '../../core/record/snapshot-access.ts';
import { type SnapshotFile, snapshotFilePath } from '../../core/record/snapshot-files.ts';
import type { SnapshotFileRef } from '../../schemas/compact-snapshot.ts';
import type { MigrationRecord } from '../../schemas/record.ts';
import { type Snapshot, snapshotSchema } from '../../schemas/snapshot.ts';
import { writeFileAtomically } from './atomic-write.ts';

const hashOf = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** What verify finds for one referenced file. */
export type SnapshotFileState = 'ok' | 'missing' | 'edited';

export async function snapshotFileState(recordsDir: string, ref: SnapshotFileRef): Promise<SnapshotFileState> {
  try {
    const bytes = await readFile(join(recordsDir, snapshotFilePath(ref.sha256)));
    return hashOf(bytes) === ref.sha256 && bytes.length === ref.bytes ? 'ok' : 'edited';
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'missing';
    throw error;
  }
}

/**
 * Write each snapshot file atomically, each fsynced before this returns. A file already there with the right
 * bytes is left alone (identical snapshots are stored once); one whose bytes no longer match its name is
 * replaced with the bytes its name stands for.
 */
export async function writeSnapshotFiles(recordsDir: string, files: SnapshotFile[]): Promise<string[]> {
  const written: string[] = [];
  for (const file of files) {
    const path = join(recordsDir, file.path);
    const state = await snapshotFileState(recordsDir, file.ref);
    if (state !== 'ok') await writeFileAtomically(path, file.text, { overwrite: true });
    written.push(path);
  }
  return written;
}

/** The full snapshot a compact one references; null when the file is missing or no longer matches its hash. */
export async function readSnapshotFile(recordsDir: string, ref: SnapshotFileRef): Promise<Snapshot | null> {
  let bytes: Buffer;
  try {
    bytes = await readFile(join(recordsDir, snapshotFilePath(ref.sha256)));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  if (hashOf(bytes) !== ref.sha256) return null;
  const parsed = snapshotSchema.safeParse(JSON.parse(bytes.toString('utf8')));
  return parsed.success ? parsed.data : null;
}

/** Absolute paths of the snapshot files a record references: what is committed with it. */
export function snapshotPathsOf(recordsDir: string, record: Pick<MigrationRecord, 'pre' | 'post' | 'rollback'>): string[] {
  return [...new Set(snapshotFileRefs(record).map(({ ref }) => join(recordsDir, snapshotFilePath(ref.sha256))))];
}
