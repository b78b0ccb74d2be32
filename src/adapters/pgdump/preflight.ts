// Checks before pg_dump starts: a client new enough for the server, and room in the backup folder.
import { statfs } from 'node:fs/promises';
import { LogbookError } from '../../core/errors.ts';
import { judgeFreeSpace } from '../../core/backup/free-space.ts';
import { parseToolVersion, serverMajor } from '../../core/backup/pg-tool-output.ts';
import { formatBytes } from '../../core/format.ts';
import { toolVersionText, type PgTool } from './run-tool.ts';

/** pg_dump refuses (or silently mis-dumps) servers newer than itself, so say so before anything starts. */
export async function checkToolVersion(
  tool: PgTool,
  server: { version: string; versionNum: number },
  /** `<tool> --version` output when already started (so it overlaps with connecting). */
  versionText: Promise<string> = toolVersionText(tool),
): Promise<string> {
  const text = await versionText;
  const parsed = parseToolVersion(text);
  const major = serverMajor(server.versionNum);
  if (parsed && parsed.major < major) {
    throw new LogbookError(`${tool} ${parsed.version} is older than the server (PostgreSQL ${server.version}); it needs major version ${major} or newer`, {
      code: 'E_PG_TOOL_TOO_OLD',
      outcome: 'backup-failed',
      hint: `install postgresql-client-${major} (or newer) and put it first on PATH, or set LOGBOOK_PG_BINDIR to its bin folder`,
    });
  }
  return text;
}

/** Refuses when the folder clearly cannot hold the dump; returns a warning when it is tight. `force` skips the refusal. */
export async function checkFreeSpace(dir: string, tableBytes: number, force: boolean): Promise<string | undefined> {
  const stats = await statfs(dir);
  const free = stats.bavail * stats.bsize;
  const verdict = judgeFreeSpace(free, tableBytes, formatBytes);
  if (verdict.ok) return verdict.warning;
  if (force) return `${verdict.reason}; continuing because of --force`;
  throw new LogbookError(`${verdict.reason} (${dir})`, {
    code: 'E_BACKUP_NO_SPACE',
    outcome: 'backup-failed',
    hint: 'free space, choose another folder with --dir, or pass --force if you know the dump compresses well',
  });
}
