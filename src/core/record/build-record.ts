// Pure: a finished run's journal becomes the record's facts (everything but the integrity block).
import type { MigrationRecord, RecordStatus } from '../../schemas/record.ts';
import { RECORD_SCHEMA_VERSION } from '../../schemas/record.ts';
import type { RunJournal } from '../run/journal.ts';

export type RecordFacts = Omit<MigrationRecord, 'integrity'>;

export function recordTitle(migrations: string[]): string {
  if (migrations.length === 0) return 'No pending migrations';
  return migrations.length === 1 ? migrations[0]! : `${migrations[0]} and ${migrations.length - 1} more`;
}

export function buildRecordFacts(journal: RunJournal, options: { id: string; status: RecordStatus; toolVersion: string; finishedAt: string }): RecordFacts {
  if (!journal.pre) throw new Error('a record needs at least the pre-migration snapshot');
  return {
    schemaVersion: RECORD_SCHEMA_VERSION,
    id: options.id,
    title: recordTitle(journal.migrations),
    migrations: journal.migrations,
    environment: journal.environment,
    status: options.status,
    performedBy: journal.performedBy.email ? { name: journal.performedBy.name, email: journal.performedBy.email } : { name: journal.performedBy.name },
    toolVersion: options.toolVersion,
    startedAt: journal.createdAt,
    finishedAt: options.finishedAt,
    database: { url: journal.database.redacted, name: journal.database.name },
    runbook: journal.runbook,
    code: journal.code,
    pre: journal.pre,
    post: journal.post ?? null,
    lint: journal.lint ?? [],
    ...(journal.locks ? { locks: journal.locks } : {}),
    ...(journal.lintAcceptances?.length ? { lintAcceptances: journal.lintAcceptances } : {}),
    backup: journal.backup ?? null,
    execution: journal.execution ?? null,
    checks: journal.checks ?? [],
    checklist: journal.checklist ?? [],
    timeline: journal.timeline,
    outcome: { performanceImpact: 'unknown', ...(journal.abortReason ? { abortReason: journal.abortReason } : {}) },
    rollback: null,
  };
}

/** The status a run ends with, from what happened. */
export function decideStatus(journal: RunJournal): RecordStatus {
  if (journal.status) return journal.status;
  if (!journal.execution) return 'aborted';
  return journal.execution.exitCode === 0 ? 'success' : 'failed';
}
