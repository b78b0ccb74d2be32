// The full snapshots beside the records (`<records>/_snapshots/<first 2 hex>/<sha256>.snapshot-<kind>.json`): written before the
// record that references them (a crash leaves at most orphan files, never a record pointing at nothing), read back
// for rollback and audit, walked and re-hashed by verify, listed for the commit that files a record.
import { createHash } from 'node:crypto';
import { constants } from 'node:fs';
import { type FileHandle, lstat, open } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { SNAPSHOTS_FOLDER } from '../../core/record/record-layout.ts';
import { snapshotFileRefs } from '../../core/record/snapshot-access.ts';
import {
  assembleDetail,
  detailOfWhole,
  partChildren,
  rootKind,
  type SnapshotDetail,
  type SnapshotFile,
  type SnapshotFileKind,
  snapshotPartPath,
} from '../../core/record/snapshot-files.ts';
import type { SnapshotFileRef } from '../../schemas/compact-snapshot.ts';
import type { MigrationRecord } from '../../schemas/record.ts';
import { snapshotSchema } from '../../schemas/snapshot.ts';
import { type SnapshotRoot, snapshotPartSchemas } from '../../schemas/snapshot-parts.ts';
import { writeFileAtomically } from './atomic-write.ts';

const hashOf = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** Why a file of a tree cannot be used. */
export type SnapshotFileProblem = 'missing' | 'edited' | 'not-a-file';

/** How verify, rollback and audit say what is wrong with a snapshot file. */
export function describeSnapshotFileProblem(problem: SnapshotFileProblem): string {
  if (problem === 'missing') return 'is missing';
  if (problem === 'edited') return 'was edited: its bytes no longer hash to its name';
  return 'is not a plain file in the records folder (a link, a file under a linked folder, a folder or a device): the tool never writes one';
}

/** One file of a tree as found on disk: its parsed content when its bytes still hash to its name. */
type Found = { state: 'ok'; value: unknown } | { state: SnapshotFileProblem };

/**
 * A file's bytes, only when it is a plain file: the tool writes nothing else there, and a link (git keeps one as a
 * link) would be read outside the records folder, from a file the repository does not hold or from an endless
 * device. Opened without following a link and without waiting on a pipe; checked before anything is read.
 */
async function readPlainFile(path: string): Promise<Buffer | 'missing' | 'not-a-file'> {
  let handle: FileHandle;
  try {
    handle = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return 'missing';
    if (code === 'ELOOP' || code === 'ENOTDIR') return 'not-a-file';
    throw error;
  }
  try {
    if (!(await handle.stat()).isFile()) return 'not-a-file';
    return await handle.readFile();
  } finally {
    await handle.close();
  }
}

/** True when `_snapshots/` and the part's `<first 2 hex>/` folder are real folders: a link there would be read outside the records folder too. */
async function inPlainFolders(recordsDir: string, partPath: string): Promise<boolean> {
  for (const folder of [SNAPSHOTS_FOLDER, dirname(partPath)]) {
    const stats = await lstat(join(recordsDir, folder)).catch(() => null);
    if (stats && !stats.isDirectory()) return false;
  }
  return true;
}

async function readPart(recordsDir: string, sha: string, kind: SnapshotFileKind, bytes?: number): Promise<Found> {
  const path = snapshotPartPath(sha, kind);
  if (!(await inPlainFolders(recordsDir, path))) return { state: 'not-a-file' };
  const raw = await readPlainFile(join(recordsDir, path));
  if (typeof raw === 'string') return { state: raw };
  if (hashOf(raw) !== sha || (bytes !== undefined && raw.length !== bytes)) return { state: 'edited' };
  try {
    const json: unknown = JSON.parse(raw.toString('utf8'));
    const parsed = kind === 'full-snapshot' ? snapshotSchema.safeParse(json) : snapshotPartSchemas[kind].safeParse(json);
    // Bytes that hash to the name but are not a valid part were never written by this tool.
    return parsed.success ? { state: 'ok', value: parsed.data } : { state: 'edited' };
  } catch {
    return { state: 'edited' };
  }
}

/** What verify finds for one reference: every file of its tree present and unedited, or the first one that is not. */
export type SnapshotTreeState = { state: 'ok' } | { state: SnapshotFileProblem; path: string };

/**
 * Walks a reference's tree. Records share most parts, so `seen` (one per verify run) makes each part read and
 * hashed once however many records reach it.
 */
export async function snapshotTreeState(
  recordsDir: string,
  ref: SnapshotFileRef,
  seen = new Map<string, Promise<SnapshotTreeState>>(),
): Promise<SnapshotTreeState> {
  const visit = (sha: string, kind: SnapshotFileKind, bytes?: number): Promise<SnapshotTreeState> => {
    // The size a record names is part of what is checked: a wrong one must not stick to every record sharing the file.
    const key = `${kind}:${sha}:${bytes ?? ''}`;
    let state = seen.get(key);
    if (!state) {
      state = (async (): Promise<SnapshotTreeState> => {
        const found = await readPart(recordsDir, sha, kind, bytes);
        if (found.state !== 'ok') return { state: found.state, path: snapshotPartPath(sha, kind) };
        for (const child of partChildren(kind, found.value)) {
          const below = await visit(child.sha256, child.kind);
          if (below.state !== 'ok') return below;
        }
        return { state: 'ok' };
      })();
      seen.set(key, state);
    }
    return state;
  };
  return visit(ref.sha256, rootKind(ref), ref.bytes);
}

/**
 * Write each file atomically, each fsynced before this returns. A file already there with the right bytes is left
 * alone (what did not change is stored once); one whose bytes no longer match its name is replaced with the bytes
 * its name stands for.
 */
export async function writeSnapshotFiles(recordsDir: string, files: SnapshotFile[]): Promise<string[]> {
  const written: string[] = [];
  const unique = new Map(files.map((file) => [file.path, file]));
  for (const file of unique.values()) {
    const path = join(recordsDir, file.path);
    const there = await readPlainFile(path);
    if (typeof there === 'string' || hashOf(there) !== file.ref.sha256) await writeFileAtomically(path, file.text, { overwrite: true });
    written.push(path);
  }
  return written;
}

/** The structure, migration history and write marks a snapshot reference stands for; null when a file is missing or edited. */
export async function readSnapshotDetail(recordsDir: string, ref: SnapshotFileRef): Promise<SnapshotDetail | null> {
  const root = await readPart(recordsDir, ref.sha256, rootKind(ref), ref.bytes);
  if (root.state !== 'ok') return null;
  if (ref.layout !== 'parts') return detailOfWhole(snapshotSchema.parse(root.value));
  const parts = new Map<string, unknown>();
  const gather = async (kind: SnapshotFileKind, value: unknown): Promise<boolean> => {
    for (const child of partChildren(kind, value)) {
      if (parts.has(child.sha256)) continue;
      const found = await readPart(recordsDir, child.sha256, child.kind);
      if (found.state !== 'ok') return false;
      parts.set(child.sha256, found.value);
      if (!(await gather(child.kind, found.value))) return false;
    }
    return true;
  };
  if (!(await gather('snapshot', root.value))) return null;
  return assembleDetail(root.value as SnapshotRoot, <T>(sha: string) => parts.get(sha) as T);
}

/** Absolute paths of the files a record's snapshots reach that exist: what is committed with it. */
export async function snapshotPathsOf(recordsDir: string, record: Pick<MigrationRecord, 'pre' | 'post' | 'rollback'>): Promise<string[]> {
  const paths = new Set<string>();
  const visit = async (sha: string, kind: SnapshotFileKind, bytes?: number): Promise<void> => {
    const path = join(recordsDir, snapshotPartPath(sha, kind));
    if (paths.has(path)) return;
    const found = await readPart(recordsDir, sha, kind, bytes);
    if (found.state === 'missing') return;
    paths.add(path);
    if (found.state === 'ok') for (const child of partChildren(kind, found.value)) await visit(child.sha256, child.kind);
  };
  for (const { ref } of snapshotFileRefs(record)) await visit(ref.sha256, rootKind(ref), ref.bytes);
  return [...paths];
}
