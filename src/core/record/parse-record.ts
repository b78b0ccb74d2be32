// Reads a record file (MDX with the record schema as frontmatter) into data, or into problems.
import { basename, extname } from 'node:path';
import { migrationRecordSchema, type MigrationRecord } from '../../schemas/record.ts';
import { FrontmatterError, splitFrontmatter } from '../frontmatter.ts';
import { mdxSyntaxError } from '../mdx-syntax.ts';
import { problemsFromZod, type ContentProblem } from '../problems.ts';

export interface ParsedRecordFile {
  record: MigrationRecord;
  body: string;
}

export type RecordParseResult = { ok: true; value: ParsedRecordFile } | { ok: false; problems: ContentProblem[] };

/** `checkBody: false` skips the MDX syntax check of the body (the site renders bodies as Markdown). */
export function parseRecordFile(source: string, file: string, options: { checkBody?: boolean } = {}): RecordParseResult {
  let split: ReturnType<typeof splitFrontmatter>;
  try {
    split = splitFrontmatter(source);
  } catch (error) {
    const line = error instanceof FrontmatterError ? error.line : undefined;
    return { ok: false, problems: [{ file, line, field: 'frontmatter', message: (error as Error).message }] };
  }
  const problems: ContentProblem[] = [];
  const parsed = migrationRecordSchema.safeParse(split.data);
  if (!parsed.success) problems.push(...problemsFromZod(parsed.error, file));
  const expectedId = basename(file, extname(file));
  if (parsed.success && parsed.data.id !== expectedId) {
    problems.push({ file, field: 'id', message: `id "${parsed.data.id}" must equal the file name "${expectedId}"` });
  }
  const syntax = options.checkBody === false ? null : mdxSyntaxError(split.body);
  if (syntax) {
    problems.push({
      file,
      line: syntax.line === undefined ? undefined : split.bodyLine + syntax.line - 1,
      column: syntax.column,
      field: 'body',
      message: `invalid MDX in the prose: ${syntax.message} (prose is the person's: verify and rollback ignore it, but the site cannot render it; escape a literal < or { with a backslash)`,
    });
  }
  if (problems.length > 0 || !parsed.success) return { ok: false, problems };
  return { ok: true, value: { record: parsed.data, body: split.body } };
}
