// Writes records as MDX files exactly as the CLI files them (the lead's record writer), plus a person's notes.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { listRecordTree } from '../../src/adapters/fs/list-records.ts';
import { renderRecordFile, renderRollbackSection } from '../../src/core/record/render-record.ts';
import type { MigrationRecord } from '../../src/schemas/record.ts';

export function recordFileText(record: MigrationRecord, notes?: string): string {
  let text = renderRecordFile(record);
  if (notes) text = text.replace('## Notes\n\n_Nothing recorded yet._', `## Notes\n\n${notes}`);
  if (record.rollback) text = `${text.trimEnd()}\n\n${renderRollbackSection(record)}`;
  return text;
}

/** Writes every record to `<dir>/<id>.<ext>`; ext `md` makes the plain-Markdown benchmark baseline. */
export function writeRecordFiles(dir: string, records: Array<{ record: MigrationRecord; notes?: string | undefined }>, ext: 'mdx' | 'md' = 'mdx'): void {
  mkdirSync(dir, { recursive: true });
  for (const { record, notes } of records) writeFileSync(join(dir, `${record.id}.${ext}`), recordFileText(record, notes));
}

/** The record files under a records folder (paths relative to it, e.g. `2026/11/<id>.mdx`), through the product's own lister. */
export function recordPaths(dir: string): string[] {
  return listRecordTree(dir).records.map((r) => r.path);
}
