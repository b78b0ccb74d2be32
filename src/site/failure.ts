// Why a run failed, in two lines for the top of its record: the migration that failed and the first error line.

import { migrationsNotApplied } from '../core/record/snapshot-access.ts';
import type { MigrationRecord } from '../schemas/record.ts';

export interface FailureReason {
  /** The migration that failed, when the record can tell. */
  migration: string | null;
  /** PostgreSQL's first ERROR message (from the failed migration's log or the command's output, client prefix cut), else
   * the first line reporting an error, else the last line. */
  line: string | null;
}

const errorLine = /\b(error|failed|fatal|panic)\b|^P\d{4}\b/i;
// PostgreSQL's message, wherever the client put it: psql writes `psql:<file>:<line>: ERROR:  column "x" does not exist`.
const postgresError = /(?:^|\s|:)ERROR:\s+(.+)$/;

export function failureReason(record: Pick<MigrationRecord, 'status' | 'migrations' | 'post' | 'execution' | 'migrationOutcomes'>): FailureReason | null {
  if (record.status !== 'failed') return null;
  // The migration the run itself saw fail, with its log; else Prisma's failed row in _prisma_migrations; else the output.
  const failedOutcome = record.migrationOutcomes?.find((m) => m.outcome === 'failed');
  const failedEntry = (record.post ? migrationsNotApplied(record.post) : []).find((m) => m.status === 'failed' && record.migrations.includes(m.name));
  const lines = `${failedOutcome?.logs ?? ''}\n${record.execution?.outputTail ?? ''}`
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
    failedOutcome?.name ??
    failedEntry?.name ??
    (named && record.migrations.includes(named) ? named : null) ??
    (record.migrations.length === 1 ? record.migrations[0]! : null);
  // PostgreSQL's own `ERROR:` line says more than Prisma's `Error: P3018` banner above it.
  const postgres = lines.map((l) => postgresError.exec(l)?.[1]).find(Boolean);
  const first = postgres ? `ERROR: ${postgres}` : (lines.find((l) => errorLine.test(l) && !/^Applying migration/.test(l)) ?? lines.at(-1) ?? null);
  return { migration, line: first };
}
