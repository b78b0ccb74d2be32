// Pure: where a full snapshot lives beside the records and what its file holds. Content-addressed: the file's
// name is the sha256 of its bytes, so identical snapshots are stored once and an edited byte is detectable.
import type { SnapshotFileRef } from '../../schemas/compact-snapshot.ts';
import type { Snapshot } from '../../schemas/snapshot.ts';
import { canonicalJson, sha256 } from './digest.ts';

/** The folder at the records root that holds the snapshot files (only .json, so record listers skip it). */
export const SNAPSHOTS_FOLDER = '_snapshots';

export interface SnapshotFile {
  /** Relative to the records root: `_snapshots/<first 2 hex>/<sha256>.full-snapshot.json`. */
  path: string;
  text: string;
  ref: SnapshotFileRef;
}

/**
 * The file path of a snapshot reference, relative to the records root. The name ends in the same 19 characters for
 * every snapshot because git's packer groups delta candidates by the last 16 characters of a path: with a bare
 * `<sha256>.json` consecutive snapshots scatter and are stored whole (measured in scripts/bench/site.ts: the
 * repository of 250 realistic records packs to 3.9 MB with this suffix, 5.6 MB without).
 */
export function snapshotFilePath(sha: string): string {
  return `${SNAPSHOTS_FOLDER}/${sha.slice(0, 2)}/${sha}.full-snapshot.json`;
}

/** Canonical JSON (sorted keys), one line and a newline: equal snapshots give equal bytes. */
export function snapshotFile(snapshot: Snapshot): SnapshotFile {
  const text = `${canonicalJson(snapshot)}\n`;
  const sha = sha256(text);
  return { path: snapshotFilePath(sha), text, ref: { sha256: sha, bytes: Buffer.byteLength(text, 'utf8') } };
}
