// The records folder's layout, the one rule every reader and writer follows: a record is `<id>.mdx`, filed in
// `YYYY/MM/` by the UTC month it started; records filed before dated folders stay at the top level, and
// `_snapshots/` at the top holds other data. Pure: the walk over the disk is src/adapters/fs/list-records.ts.

export const RECORD_EXTENSION = '.mdx';
/** Content-addressed snapshot files beside the records (not records). */
export const SNAPSHOTS_FOLDER = '_snapshots';

const YEAR = /^\d{4}$/;
const MONTH = /^(0[1-9]|1[0-2])$/;

/** The record schema's id rule, minus `..`: an id names one file in one folder and can never leave it. */
export function isRecordId(id: string): boolean {
  return /^[a-z0-9][a-z0-9._-]*$/.test(id) && !id.includes('..');
}

/** `YYYY/MM` of a timestamp, in UTC (a run started at 23:30 in Auckland is filed by its UTC month). */
export function datedFolder(startedAt: string): string {
  const at = new Date(startedAt);
  if (Number.isNaN(at.getTime())) throw new Error(`"${startedAt}" is not a timestamp`);
  return `${String(at.getUTCFullYear()).padStart(4, '0')}/${String(at.getUTCMonth() + 1).padStart(2, '0')}`;
}

/** Where a new record is filed, relative to the records folder (posix separators). */
export function newRecordPath(id: string, startedAt: string): string {
  if (!isRecordId(id)) throw new Error(`"${id}" is not a record id`);
  return `${datedFolder(startedAt)}/${id}${RECORD_EXTENSION}`;
}

/** What an entry under the records folder is, given the folders above it (relative to the records folder). */
export type LayoutEntry = { kind: 'record'; id: string } | { kind: 'folder' } | { kind: 'ignored' } | { kind: 'stray'; reason: string };

export type EntryType = 'file' | 'folder' | 'other';

export function classifyEntry(parents: readonly string[], name: string, type: EntryType): LayoutEntry {
  // Dot files: the atomic writer's temp files, .gitkeep, editors' swap files.
  if (name.startsWith('.')) return { kind: 'ignored' };
  if (type === 'other') return { kind: 'stray', reason: 'not a regular file or folder (a link is never followed out of the records folder)' };
  const depth = parents.length;
  if (type === 'folder') {
    if (depth === 0 && name === SNAPSHOTS_FOLDER) return { kind: 'ignored' };
    if (depth === 0 && YEAR.test(name)) return { kind: 'folder' };
    if (depth === 1 && MONTH.test(name)) return { kind: 'folder' };
    return { kind: 'stray', reason: 'a folder outside the YYYY/MM layout: nothing in it is read as a record' };
  }
  if (!name.endsWith(RECORD_EXTENSION)) {
    const hint = name.endsWith('.md') ? ': records are .mdx files (rename it, or move it out of the records folder)' : '';
    return { kind: 'stray', reason: `not a record file${hint}` };
  }
  const id = name.slice(0, -RECORD_EXTENSION.length);
  if (!isRecordId(id)) return { kind: 'stray', reason: `"${id}" is not a record id (lowercase letters, digits, dot, dash, underscore)` };
  if (depth === 1) return { kind: 'stray', reason: 'a record directly in a year folder: records go in YYYY/MM/ or at the top level' };
  return { kind: 'record', id };
}

/** The record id a path under the records folder holds (posix, relative), or null when it is not a record's place. */
export function recordIdOfPath(path: string): string | null {
  const parts = path.split('/').filter((p) => p !== '' && p !== '.');
  const name = parts.pop();
  if (name === undefined) return null;
  for (let i = 0; i < parts.length; i++) if (classifyEntry(parts.slice(0, i), parts[i]!, 'folder').kind !== 'folder') return null;
  const entry = classifyEntry(parts, name, 'file');
  return entry.kind === 'record' ? entry.id : null;
}

/**
 * The same folders as glob patterns (for Astro's glob loader), for record files ending in `extension`. A glob
 * cannot say all of the id rule (e.g. no `..`); the record schema checks the id of whatever it selects.
 */
export function recordGlobPatterns(extension = RECORD_EXTENSION): string[] {
  return [`[a-z0-9]*${extension}`, `[0-9][0-9][0-9][0-9]/{0[1-9],1[0-2]}/[a-z0-9]*${extension}`];
}
