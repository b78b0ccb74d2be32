// Pure: changes a record file's facts without touching people's prose. The file is read with remark
// (frontmatter + MDX) to find the exact byte range of the frontmatter; only that range is replaced,
// and new sections are appended after everything a person wrote.
import type { MigrationRecord } from '../../schemas/record.ts';
import { parseMdx } from '../mdx-syntax.ts';
import { renderFrontmatter } from './render-record.ts';

export function updateRecordSource(source: string, record: MigrationRecord, append?: string): string {
  const tree = parseMdx(source);
  const yaml = tree.children[0];
  if (yaml?.type !== 'yaml' || yaml.position?.end.offset === undefined) {
    throw new Error('the record has no YAML frontmatter to update');
  }
  const end = yaml.position.end.offset;
  // The yaml node ends at the closing ---; keep everything after it (the newline and the body) verbatim.
  let body = source.slice(end).replace(/^\r?\n/, '');
  if (append) body = `${body.replace(/\s*$/, '')}\n\n${append.trim()}\n`;
  return `${renderFrontmatter(record)}${body}`;
}
