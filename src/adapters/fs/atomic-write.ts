// The one way files that matter are written: a temp file in the same folder, fsynced, then renamed
// (or hard-linked, when an existing file must never be replaced). A crash leaves the old file or the
// new one, never half of either; a full disk leaves only the temp file, which is removed.
import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, link, unlink } from 'node:fs/promises';
import { dirname, join, basename } from 'node:path';
import { LogbookError } from '../../core/errors.ts';

export interface AtomicWriteOptions {
  /** When false, an existing file at `path` is an error (EEXIST), never overwritten. */
  overwrite: boolean;
  /** Readable by the owner only (0600), in folders it creates 0700: journals, locks, backup sidecars. */
  private?: boolean;
}

/** Modes of private files and of the folders created for them; existing folders are left as they are. */
export const PRIVATE_FILE_MODE = 0o600;
export const PRIVATE_DIR_MODE = 0o700;

export async function writeFileAtomically(path: string, content: string, options: AtomicWriteOptions): Promise<void> {
  const dir = dirname(path);
  await mkdir(dir, { recursive: true, ...(options.private ? { mode: PRIVATE_DIR_MODE } : {}) });
  const temp = join(dir, `.${basename(path)}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    const handle = await open(temp, 'wx', options.private ? PRIVATE_FILE_MODE : 0o644);
    try {
      await handle.writeFile(content, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    if (options.overwrite) await rename(temp, path);
    else {
      // link() fails with EEXIST instead of replacing: no window where two writers both "win".
      await link(temp, path);
      await unlink(temp);
    }
    await syncDir(dir);
  } catch (error) {
    await unlink(temp).catch(() => {});
    const err = error as NodeJS.ErrnoException;
    if (err.code === 'EEXIST' && !options.overwrite) throw err;
    if (err.code === 'ENOSPC' || err.code === 'EDQUOT') {
      throw new LogbookError(`no space left to write ${path}`, {
        code: 'E_DISK_FULL',
        outcome: 'attention',
        cause: err,
        hint: 'free disk space and retry; nothing was half-written',
      });
    }
    if (err.code === 'EACCES' || err.code === 'EROFS' || err.code === 'EPERM') {
      throw new LogbookError(`cannot write ${path}: ${err.code}`, { code: 'E_WRITE', outcome: 'attention', cause: err, hint: 'check the folder permissions' });
    }
    throw error;
  }
}

async function syncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r').catch(() => null);
  if (!handle) return;
  await handle.sync().catch(() => {});
  await handle.close();
}
