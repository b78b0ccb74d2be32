// What the search index holds for one record: the words people search for (migration names, environment, people,
// tables touched, status, lint and check findings, why it failed, their own prose), not the whole record page.
import { HUMAN_SECTIONS } from '../core/record/render-record.ts';
import type { MigrationRecord } from '../schemas/record.ts';
import { failureReason } from './failure.ts';
import { statusLook } from './status.ts';

export interface SearchDocument {
  /** Path under the site base, e.g. `records/<id>/`. */
  path: string;
  content: string;
  meta: Record<string, string>;
  filters: Record<string, string[]>;
}

/** The text people wrote under the record's human sections (Issues encountered, Resolution, Notes). */
export function humanProse(body: string): string {
  const sections = body.split(/^## /m).slice(1);
  return sections
    .filter((s) => (HUMAN_SECTIONS as readonly string[]).includes(s.slice(0, s.indexOf('\n')).trim()))
    .map((s) =>
      s
        .slice(s.indexOf('\n') + 1)
        .replace('_Nothing recorded yet._', '')
        .trim(),
    )
    .filter(Boolean)
    .join('\n');
}

/** Migration names also as words, so `add_user_locale` is found by "locale". */
const nameWords = (name: string) => `${name} ${name.replace(/[_\-./]+/g, ' ')}`;

export function searchDocument(record: MigrationRecord, touchedTables: string[], prose: string): SearchDocument {
  const failure = failureReason(record);
  const lint = record.lint.map((f) => `${f.severity} ${f.rule} ${f.table ?? ''} ${f.message}`);
  const checks = record.checks.filter((c) => c.status !== 'pass').map((c) => `${c.status} ${c.name} ${c.detail}`);
  const status = statusLook(record.status).label;
  const lines = [
    record.migrations.map(nameWords).join('\n'),
    `${status} on ${record.environment}, ${record.startedAt.slice(0, 10)}, by ${record.performedBy.name}${record.performedBy.email ? ` ${record.performedBy.email}` : ''}`,
    touchedTables.length ? `Tables: ${touchedTables.join(', ')}` : '',
    failure ? `Failed: ${failure.migration ?? ''} ${failure.line ?? ''}` : '',
    record.outcome.abortReason ? `Aborted: ${record.outcome.abortReason}` : '',
    ...lint,
    ...checks,
    prose,
  ];
  return {
    path: `records/${record.id}/`,
    content: lines.filter(Boolean).join('\n'),
    meta: { title: record.title, environment: record.environment, status, date: record.startedAt.slice(0, 10) },
    filters: { environment: [record.environment], status: [status], ...(touchedTables.length ? { table: touchedTables } : {}) },
  };
}
