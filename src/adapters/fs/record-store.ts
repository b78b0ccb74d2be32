// The records folder: reading every record, finding one by id, and filing a new one under a name
// that never overwrites an existing record.
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { LogbookError } from '../../core/errors.ts';
import { formatProblem } from '../../core/problems.ts';
import { parseRecordFile, type ParsedRecordFile } from '../../core/record/parse-record.ts';
import { writeFileAtomically } from './atomic-write.ts';

export interface StoredRecord extends ParsedRecordFile {
  file: string;
  source: string;
}

export async function recordFiles(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir))
      .filter((name) => name.endsWith('.mdx'))
      .sort()
      .map((name) => join(dir, name));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

/** `checkBody: false` for verify, rollback and filing: a person's prose never stops them (validate reports it). */
export async function readRecord(file: string, options: { checkBody?: boolean } = {}): Promise<StoredRecord> {
  const source = await readFile(file, 'utf8');
  const result = parseRecordFile(source, relative(process.cwd(), file) || file, options);
  if (!result.ok) {
    throw new LogbookError(`record ${file} is invalid:\n  ${result.problems.map(formatProblem).join('\n  ')}`, {
      code: 'E_RECORD_INVALID',
      outcome: 'attention',
      hint: 'run `logbook validate` and fix the fields named above',
    });
  }
  return { ...result.value, file, source };
}

export async function readAllRecords(dir: string, options: { checkBody?: boolean } = {}): Promise<StoredRecord[]> {
  return Promise.all((await recordFiles(dir)).map((file) => readRecord(file, options)));
}

export async function findRecord(dir: string, id: string): Promise<StoredRecord> {
  // The same rule as the record schema's id: a record id never leaves the records folder (`../x`, a slash).
  if (!/^[a-z0-9][a-z0-9._-]*$/.test(id) || id.includes('..')) {
    throw new LogbookError(`"${id}" is not a record id`, {
      code: 'E_USAGE',
      outcome: 'usage',
      hint: 'record ids are the file names in the records folder, without .mdx',
    });
  }
  const file = join(dir, `${id}.mdx`);
  try {
    return await readRecord(file, { checkBody: false });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new LogbookError(`no record "${id}" in ${dir}`, {
        code: 'E_NO_RECORD',
        outcome: 'usage',
        hint: 'record ids are the file names in the records folder, without .mdx',
      });
    }
    throw error;
  }
}

/** A file-name-safe slug of a migration name. */
export function slugify(text: string, max = 60): string {
  return (
    text
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, max)
      .replace(/-+$/, '') || 'migration'
  );
}

/** Writes the record under `<base>.mdx`, or `<base>-2.mdx`… if taken; returns the id used. */
export async function fileNewRecord(dir: string, base: string, render: (id: string) => string): Promise<{ id: string; file: string }> {
  for (let n = 1; n < 1000; n++) {
    const id = n === 1 ? base : `${base}-${n}`;
    const file = join(dir, `${id}.mdx`);
    try {
      await writeFileAtomically(file, render(id), { overwrite: false });
      return { id, file };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  throw new LogbookError(`too many records named ${base}`, { code: 'E_RECORD_NAME', outcome: 'attention' });
}

/** Replace an existing record's file (after a rollback), atomically. */
export async function rewriteRecord(file: string, source: string): Promise<void> {
  await writeFileAtomically(file, source, { overwrite: true });
}
