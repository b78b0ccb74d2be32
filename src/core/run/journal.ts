// The journal of one run: everything captured so far, phase by phase, before it becomes a record.
import type { BackupMeta } from '../../schemas/backup.ts';
import type { CheckResult, LintAcceptance, LintFinding, StatementLock } from '../../schemas/findings.ts';
import type { ChecklistEntry, CodeProvenance, Execution, MigrationOutcome, MigrationRecord, RecordStatus, TimelineEntry } from '../../schemas/record.ts';
import type { Snapshot } from '../../schemas/snapshot.ts';

export type RunState = 'in-progress' | 'awaiting-finish' | 'filed' | 'aborted';

export interface RunJournal {
  version: 1;
  runId: string;
  environment: string;
  mode: 'run' | 'step';
  state: RunState;
  /** Process currently working on the run; null between `start` and `finish`. */
  pid: number | null;
  createdAt: string;
  updatedAt: string;
  /** `systemIdentifier`: the server's, read at pre-flight (absent when the role may not read it, or in older journals). */
  database: { redacted: string; name: string; source: string; systemIdentifier?: string };
  migrations: string[];
  /** Redacted; a command whose redaction changed it must be given again to resume. */
  command: string[];
  commandHadSecrets: boolean;
  performedBy: { name: string; email?: string | undefined };
  /** The git identity committing the record, kept when it is not the performer (CI). */
  committedBy?: { name: string; email?: string | undefined } | undefined;
  code: CodeProvenance | null;
  migrationsDir: string | null;
  runbook: { slug: string; version: string } | null;
  pre?: Snapshot;
  lint?: LintFinding[];
  /** The lock each pending statement takes (absent in journals written before the lock report). */
  locks?: StatementLock[];
  /** Acceptances in force when the lint ran: --accept-lint flags and `-- logbook:accept` comments. */
  lintAcceptances?: LintAcceptance[];
  backup?: BackupMeta;
  /** Set when the migration command has been started; `execution` once it ended. */
  migrateStartedAt?: string;
  execution?: Execution;
  /**
   * The command the run has running in its own process group (migration or maintenance), on which
   * host: `resume` and `abort` refuse while any process of that group lives. Cleared when it ended.
   */
  process?: { pgid: number; host: string; what: string } | null;
  /** Maintenance mode as it happened: entered, left (by this run or later by resume/abort), or leaving failed. */
  maintenance?: { enteredAt?: string; enterFailed?: string; leftAt?: string; leaveFailed?: string; leftLate?: string };
  /** Read back from _prisma_migrations after the command, for every migration that was pending. */
  migrationOutcomes?: MigrationOutcome[];
  post?: Snapshot;
  checks?: CheckResult[];
  checklist?: ChecklistEntry[];
  timeline: TimelineEntry[];
  /** Final status decided so far (aborted/failed), or requested by `finish --status`. */
  status?: RecordStatus;
  abortReason?: string;
  recordPath?: string;
  /** The record as built and given its ledger position, kept before the ledger row is written so a crash re-files the very same record. */
  filing?: MigrationRecord;
}
