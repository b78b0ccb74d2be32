// The records folder: reading every record, finding one by id, and rewriting one in place (which files are
// records, and where a new one goes, is list-records.ts).
import { readFile } from 'node:fs/promises';
import { relative } from 'node:path';
import { LogbookError } from '../../core/errors.ts';
import { formatProblem } from '../../core/problems.ts';
import { type ParsedRecordFile, parseRecordFile } from '../../core/record/parse-record.ts';
import { writeFileAtomically } from './atomic-write.ts';
import { recordFiles, resolveRecordFile } from './list-records.ts';

export interface StoredRecord extends ParsedRecordFile {
  file: string;
  source: string;
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
  return Promise.all(recordFiles(dir).map((file) => readRecord(file, options)));
}

/** Record `id`, wherever it is filed in the tree. */
export async function findRecord(dir: string, id: string): Promise<StoredRecord> {
  return readRecord(resolveRecordFile(dir, id), { checkBody: false });
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

/** Replace an existing record's file (after a rollback), atomically. */
export async function rewriteRecord(file: string, source: string): Promise<void> {
  await writeFileAtomically(file, source, { overwrite: true });
}
