// The one records lister: walks the records folder by the layout rule (src/core/record/record-layout.ts) and says
// which files are records (with their ids), which are not, and which ids are filed twice. Every command, the
// filing step and the site list records through it.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { LogbookError } from '../../core/errors.ts';
import { classifyEntry, type EntryType, isRecordId, newRecordPath } from '../../core/record/record-layout.ts';

export interface RecordFile {
  id: string;
  /** The file: the records folder joined with `path`. */
  file: string;
  /** Relative to the records folder, posix separators: `2026/11/<id>.mdx` or `<id>.mdx`. */
  path: string;
}

export interface StrayFile {
  file: string;
  path: string;
  reason: string;
}

export interface RecordTree {
  /** Sorted by id (ids start with their filing date), then path; both copies of a duplicate id are listed. */
  records: RecordFile[];
  /** Files and folders under the records folder that are not records and not ignored. */
  strays: StrayFile[];
  /** Ids filed more than once, with every path holding one. */
  duplicates: Array<{ id: string; paths: string[] }>;
}

function entriesOf(dir: string): Array<{ name: string; type: EntryType }> {
  try {
    return readdirSync(dir, { withFileTypes: true }).map((d) => ({ name: d.name, type: d.isFile() ? 'file' : d.isDirectory() ? 'folder' : 'other' }));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

/** A missing records folder is an empty tree (a fresh clone has none until the first record). */
export function listRecordTree(dir: string): RecordTree {
  const records: RecordFile[] = [];
  const strays: StrayFile[] = [];
  const walk = (parents: string[]) => {
    for (const { name, type } of entriesOf(join(dir, ...parents))) {
      const entry = classifyEntry(parents, name, type);
      const path = [...parents, name].join('/');
      if (entry.kind === 'folder') walk([...parents, name]);
      else if (entry.kind === 'record') records.push({ id: entry.id, file: join(dir, ...parents, name), path });
      else if (entry.kind === 'stray') strays.push({ file: join(dir, ...parents, name), path, reason: entry.reason });
    }
  };
  walk([]);
  records.sort((a, b) => (a.id === b.id ? (a.path < b.path ? -1 : 1) : a.id < b.id ? -1 : 1));
  strays.sort((a, b) => (a.path < b.path ? -1 : 1));
  const byId = new Map<string, string[]>();
  for (const r of records) byId.set(r.id, [...(byId.get(r.id) ?? []), r.path]);
  const duplicates = [...byId].filter(([, paths]) => paths.length > 1).map(([id, paths]) => ({ id, paths }));
  return { records, strays, duplicates };
}

/** Every record file, in id order. */
export function recordFiles(dir: string): string[] {
  return listRecordTree(dir).records.map((r) => r.file);
}

/** The ids filed anywhere in the tree: a new record's id must not be one of them. */
export function recordIds(dir: string): Set<string> {
  return new Set(listRecordTree(dir).records.map((r) => r.id));
}

/** Where a new record is filed: `<dir>/YYYY/MM/<id>.mdx` by the UTC month it started. */
export function newRecordFile(dir: string, id: string, startedAt: string): string {
  return join(dir, ...newRecordPath(id, startedAt).split('/'));
}

/** The file holding record `id`, wherever it is filed; a usage error when there is none or two. */
export function resolveRecordFile(dir: string, id: string): string {
  const hint = 'record ids are the file names in the records folder (and its YYYY/MM folders), without .mdx';
  if (!isRecordId(id)) throw new LogbookError(`"${id}" is not a record id`, { code: 'E_USAGE', outcome: 'usage', hint });
  const found = listRecordTree(dir).records.filter((r) => r.id === id);
  if (found.length === 0) throw new LogbookError(`no record "${id}" in ${dir}`, { code: 'E_NO_RECORD', outcome: 'usage', hint });
  if (found.length > 1) {
    throw new LogbookError(`record id "${id}" is filed ${found.length} times: ${found.map((r) => r.path).join(', ')}`, {
      code: 'E_RECORD_DUPLICATE',
      outcome: 'attention',
      hint: 'ids are unique across the records folder; run `logbook verify` and remove the copy that is not the filed record (git log shows which)',
    });
  }
  return found[0]!.file;
}
