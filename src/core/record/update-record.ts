// Pure: changes a record file's facts without touching people's prose. Only the frontmatter block is
// replaced and new sections are appended after everything a person wrote; the prose is never parsed,
// so a person's invalid MDX (`<5ms`) cannot stop a rollback.
import type { MigrationRecord } from '../../schemas/record.ts';
import { splitFrontmatter } from '../frontmatter.ts';
import { renderFrontmatter } from './render-record.ts';

export function updateRecordSource(source: string, record: MigrationRecord, append?: string): string {
  // The fence the frontmatter reader uses; the body is everything after the closing ---, byte for byte.
  let body = splitFrontmatter(source).body;
  if (append) body = `${body.replace(/\s*$/, '')}\n\n${append.trim()}\n`;
  return `${renderFrontmatter(record)}${body}`;
}
