// Why a run failed, in two lines for the top of its record: the migration that failed and the first error line.

import { migrationsNotApplied } from '../core/record/snapshot-access.ts';
import type { MigrationRecord } from '../schemas/record.ts';

export interface FailureReason {
  /** The migration that failed, when the record can tell. */
  migration: string | null;
  /** PostgreSQL's first ERROR line in the command's output, else the first line reporting an error, else the last line. */
  line: string | null;
}

const errorLine = /\b(error|failed|fatal|panic)\b|^P\d{4}\b/i;

export function failureReason(record: Pick<MigrationRecord, 'status' | 'migrations' | 'post' | 'execution'>): FailureReason | null {
  if (record.status !== 'failed') return null;
  // Prisma marks the migration it could not apply as failed in _prisma_migrations; otherwise the output names it.
  const failedEntry = (record.post ? migrationsNotApplied(record.post) : []).find((m) => m.status === 'failed' && record.migrations.includes(m.name));
  const lines = (record.execution?.outputTail ?? '')
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  const named =
    lines.map((l) => /^Migration name: (\S+)/.exec(l)?.[1]).find(Boolean) ??
    [...lines]
      .reverse()
      .map((l) => /Applying migration `([^`]+)`/.exec(l)?.[1])
      .find(Boolean);
  const migration =
    failedEntry?.name ?? (named && record.migrations.includes(named) ? named : null) ?? (record.migrations.length === 1 ? record.migrations[0]! : null);
  // PostgreSQL's own `ERROR:` line says more than Prisma's `Error: P3018` banner above it.
  const first = lines.find((l) => /^ERROR:/.test(l)) ?? lines.find((l) => errorLine.test(l) && !/^Applying migration/.test(l)) ?? lines.at(-1) ?? null;
  return { migration, line: first };
}
