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

type Issue = z.ZodError['issues'][number];

/**
 * A union that matched no branch (a record's pre is the compact or the full snapshot form) reports the issues
 * of the branch that came closest, so a bad row count reads `pre.tables.0.rows: …`, not `pre: Invalid input`.
 */
function closestIssues(issue: Issue): Issue[] {
  const branches = issue.code === 'invalid_union' ? ((issue as { errors?: Issue[][] }).errors ?? []) : [];
  const best = [...branches].sort((a, b) => a.length - b.length)[0];
  if (!best?.length) return [issue];
  return best.flatMap((inner) => closestIssues({ ...inner, path: [...issue.path, ...inner.path] } as Issue));
}

export function problemsFromZod(error: z.ZodError, file: string, prefix = ''): ContentProblem[] {
  return error.issues.flatMap(closestIssues).map((issue) => {
    const path = [prefix, ...issue.path.map(String)].filter(Boolean).join('.');
    const unknownKeys = issue.code === 'unrecognized_keys' ? ` (${issue.keys.join(', ')})` : '';
    return { file, field: path, message: `${issue.message}${unknownKeys}` };
  });
}

export function formatProblem(problem: ContentProblem): string {
  const where = problem.line ? `${problem.file}:${problem.line}${problem.column ? `:${problem.column}` : ''}` : problem.file;
  return `${where}: ${problem.field ? `${problem.field}: ` : ''}${problem.message}`;
}
