// Pure: a finished run's journal becomes the record's facts (everything but the integrity block).
import type { MigrationRecord, RecordStatus } from '../../schemas/record.ts';
import { RECORD_SCHEMA_VERSION } from '../../schemas/record.ts';
import type { RunJournal } from '../run/journal.ts';
import { attemptedMigrations, recordTitle, runWarnings } from '../run/outcome.ts';

export type RecordFacts = Omit<MigrationRecord, 'integrity'>;

export function buildRecordFacts(journal: RunJournal, options: { id: string; status: RecordStatus; toolVersion: string; finishedAt: string }): RecordFacts {
  if (!journal.pre) throw new Error('a record needs at least the pre-migration snapshot');
  const warnings = runWarnings(journal, options.status);
  return {
    schemaVersion: RECORD_SCHEMA_VERSION,
    id: options.id,
    title: recordTitle(journal),
    migrations: attemptedMigrations(journal),
    ...(journal.migrationOutcomes?.length ? { migrationOutcomes: journal.migrationOutcomes } : {}),
    environment: journal.environment,
    status: options.status,
    performedBy: journal.performedBy.email ? { name: journal.performedBy.name, email: journal.performedBy.email } : { name: journal.performedBy.name },
    ...(journal.committedBy
      ? { committedBy: journal.committedBy.email ? { name: journal.committedBy.name, email: journal.committedBy.email } : { name: journal.committedBy.name } }
      : {}),
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
    outcome: { performanceImpact: 'unknown', ...(journal.abortReason ? { abortReason: journal.abortReason } : {}), ...(warnings.length ? { warnings } : {}) },
    rollback: null,
  };
}
