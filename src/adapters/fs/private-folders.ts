// Pre-flight's look at the folders backups, journals and locks go to: one that other users can read is reported.
import { stat } from 'node:fs/promises';

/** A sentence for each existing folder that group or others can read, write or enter. */
export async function looseFolderModes(folders: { label: string; path: string }[]): Promise<string[]> {
  const problems: string[] = [];
  for (const { label, path } of folders) {
    const info = await stat(path).catch(() => null);
    if (!info?.isDirectory() || (info.mode & 0o077) === 0) continue;
    const mode = (info.mode & 0o777).toString(8).padStart(4, '0');
    problems.push(`${label} ${path} is mode ${mode}: other users on this machine can read what is written there (run chmod 700 ${path})`);
  }
  return problems;
}
