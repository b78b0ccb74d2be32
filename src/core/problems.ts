// A content problem (file, field, reason) and the conversion from zod issues to it.
import type { z } from 'zod';

export interface ContentProblem {
  file: string;
  line?: number | undefined;
  /** 1-based column, when the problem is at one place on the line (MDX syntax). */
  column?: number | undefined;
  /** Dotted path of the field at fault, e.g. `pre.tables.3.rows`; empty for the whole file. */
  field: string;
  message: string;
}

export function problemsFromZod(error: z.ZodError, file: string, prefix = ''): ContentProblem[] {
  return error.issues.map((issue) => {
    const path = [prefix, ...issue.path.map(String)].filter(Boolean).join('.');
    const unknownKeys = issue.code === 'unrecognized_keys' ? ` (${issue.keys.join(', ')})` : '';
    return { file, field: path, message: `${issue.message}${unknownKeys}` };
  });
}

export function formatProblem(problem: ContentProblem): string {
  const where = problem.line ? `${problem.file}:${problem.line}${problem.column ? `:${problem.column}` : ''}` : problem.file;
  return `${where}: ${problem.field ? `${problem.field}: ` : ''}${problem.message}`;
}
