// Hashing, syncing and removing archives on disk (a custom-format file or a directory-format folder).
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { BackupFormat } from '../../schemas/backup.ts';
import { manifestDigest, type ManifestEntry } from '../../core/backup/manifest.ts';

export interface ArchiveDigest {
  bytes: number;
  sha256: string;
  manifest?: ManifestEntry[];
}

async function hashFile(path: string): Promise<{ bytes: number; sha256: string }> {
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) {
    hash.update(chunk as Buffer);
    bytes += (chunk as Buffer).length;
  }
  return { bytes, sha256: hash.digest('hex') };
}

/** The files of a directory archive (pg_dump writes a flat folder: toc.dat and one file per table). */
async function archiveFiles(dir: string): Promise<string[]> {
  return (await readdir(dir, { withFileTypes: true }))
    .filter((e) => e.isFile())
    .map((e) => e.name)
    .sort();
}

/** Reads the archive once and returns what the sidecar records for it. */
export async function digestArchive(path: string, format: BackupFormat): Promise<ArchiveDigest> {
  if (format === 'custom') return hashFile(path);
  const manifest: ManifestEntry[] = [];
  for (const file of await archiveFiles(path)) manifest.push({ file, ...(await hashFile(join(path, file))) });
  return { bytes: manifest.reduce((sum, e) => sum + e.bytes, 0), sha256: manifestDigest(manifest), manifest };
}

/** Bytes written so far (for progress); a missing path counts as 0. */
export async function archiveBytes(path: string, format: BackupFormat): Promise<number> {
  try {
    if (format === 'custom') return (await stat(path)).size;
    const sizes = await Promise.all((await archiveFiles(path)).map(async (f) => (await stat(join(path, f)).catch(() => ({ size: 0 }))).size));
    return sizes.reduce((a, b) => a + b, 0);
  } catch {
    return 0;
  }
}

/** fsync a file or folder, so a rename after it cannot expose an archive whose bytes are still only in memory. */
export async function fsyncPath(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

export async function removeArchive(path: string): Promise<void> {
  await rm(path, { recursive: true, force: true });
}
