// Pure: after a rollback, the generated summary at the top of a record's body must not still say "success".
import type { RecordStatus } from '../../schemas/record.ts';
import { STATUS_LABEL as LABEL } from './render-record.ts';

/** Replaces the generated `**Status:**` label (the first one only; people's prose below is left alone). */
export function markSummaryRolledBack(source: string, statusBefore: RecordStatus): string {
  const was = `**Status:** ${LABEL[statusBefore]} ·`;
  // Only the body: the frontmatter is rewritten from the record anyway, and may quote anything.
  const bodyStart = source.indexOf('\n---\n', 3) + 5;
  return source.slice(0, bodyStart) + source.slice(bodyStart).replace(was, `**Status:** ${LABEL['rolled-back']} (was ${statusBefore}) ·`);
}
