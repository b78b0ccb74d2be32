// The manifest of a directory archive: one sha256 per file, and the one digest that stands for the whole archive.
import { createHash } from 'node:crypto';

export interface ManifestEntry {
  file: string;
  bytes: number;
  sha256: string;
}

/** `sha256sum`-style lines sorted by file name: the archive's sha256 is the sha256 of this text. */
export function manifestText(entries: ManifestEntry[]): string {
  return [...entries]
    .sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0))
    .map((e) => `${e.sha256}  ${e.bytes}  ${e.file}\n`)
    .join('');
}

export function manifestDigest(entries: ManifestEntry[]): string {
  return createHash('sha256').update(manifestText(entries)).digest('hex');
}
