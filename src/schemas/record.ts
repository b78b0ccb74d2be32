// The migration record: everything the seed's "Migration Record Template" asked a person to type,
// captured by the tool. It is the frontmatter of content/records/*.mdx and is read by the site.
import { z } from 'zod';
import { sha256Schema, timestampSchema } from './common.ts';
import { recordBackupSchema, recordSnapshotSchema, schemaChangesSchema } from './compact-snapshot.ts';
import { checkResultSchema, lintAcceptanceSchema, lintFindingSchema, statementLockSchema } from './findings.ts';

/** Records are filed as version 2 (ledger positions, per-migration outcomes, lint locks); version 1 stays readable and verifiable as filed. */
export const RECORD_SCHEMA_VERSION = 2;

export const recordStatusSchema = z
  .enum(['success', 'failed', 'rolled-back', 'aborted', 'unverified', 'interrupted'])
  .describe(
    'success (everything configured ran and passed); failed (the migration failed); rolled-back (restored from its backup); aborted (stopped before the database changed); unverified (migration done, but the post snapshot or a configured check or maintenance leave did not run or failed); interrupted (closed by `abort` after the migration started).',
  );

export const migrationOutcomeSchema = z
  .object({
    name: z.string().describe('Migration name.'),
    outcome: z.enum(['applied', 'failed', 'rolled-back', 'not-run']).describe('What this run did to it, read back from _prisma_migrations after the command.'),
    logs: z.string().optional().describe("Prisma's stored error text for a failed migration, secrets redacted."),
  })
  .strict();

export const performanceImpactSchema = z
  .enum(['none', 'minor', 'significant', 'unknown'])
  .describe('Performance impact as judged by the deployer (unknown until someone says).');

const personSchema = z
  .object({
    name: z.string().min(1).describe('Who ran the migration.'),
    email: z.string().optional().describe('Their email, from git config when known.'),
  })
  .strict();

const codeProvenanceSchema = z
  .object({
    commit: z.string().describe('Commit of the application repo the migration came from.'),
    branch: z.string().nullable().describe('Branch checked out (null when detached).'),
    dirty: z.boolean().describe('Whether the working tree had uncommitted changes.'),
    remote: z.string().nullable().describe('Remote URL with any credentials stripped.'),
  })
  .strict();

const executionSchema = z
  .object({
    command: z.array(z.string()).describe('The migration command and its arguments, secrets redacted.'),
    startedAt: timestampSchema,
    finishedAt: timestampSchema,
    durationMs: z.number().nonnegative().describe('Wall time of the migration command.'),
    exitCode: z.number().int().nullable().describe('Exit code; null when killed by a signal.'),
    signal: z.string().nullable().describe('Signal that ended the command, when one did.'),
    outputTail: z.string().describe('Last lines of the command output (stdout and stderr, interleaved), secrets redacted.'),
    downtimeMs: z.number().nonnegative().nullable().describe('Length of the maintenance window; null when none was configured.'),
  })
  .strict();

const checklistStateSchema = z.enum(['done', 'skipped', 'not-applicable']).describe('What happened to the step.');
const checklistBySchema = z.enum(['tool', 'person']).describe('Whether the logbook performed it or a person reported it.');

const checklistEntrySchema = z
  .object({
    stepId: z.string().describe('Runbook step id, e.g. backup.create-full-backup.'),
    state: checklistStateSchema,
    by: checklistBySchema,
    reason: z.string().optional().describe('Why a step was skipped or not applicable.'),
  })
  .strict();

/** One step on one line, as records filed since #17 write it: `[stepId, state, by]`, with the reason last when one was given. */
const checklistTupleSchema = z
  .tuple([z.string(), checklistStateSchema, checklistBySchema, z.string().optional()])
  .describe('[runbook step id, done | skipped | not-applicable, tool | person, reason (when given)]');

const timelineEntrySchema = z
  .object({
    phase: z.string().describe('Phase name: preflight, snapshot, lint, backup, migrate, checks, smoke, record, rollback.'),
    startedAt: timestampSchema,
    finishedAt: timestampSchema,
    status: z.enum(['ok', 'failed', 'skipped']).describe('How the phase ended.'),
    detail: z.string().optional().describe('One line on what happened.'),
  })
  .strict();

const rollbackSchema = z
  .object({
    startedAt: timestampSchema,
    finishedAt: timestampSchema,
    durationMs: z.number().nonnegative(),
    statusBefore: z.enum(['success', 'failed', 'aborted', 'unverified', 'interrupted']).describe('Status the record had before the rollback.'),
    backupPath: z.string().describe('The archive restored.'),
    backupSha256: sha256Schema,
    performedBy: personSchema,
    after: recordSnapshotSchema.describe('State captured after the restore (compact, with the full snapshot beside the records, since #17).'),
    matchesBackup: z.boolean().describe('Whether every table count after the restore equals the count at backup time.'),
    method: z.literal('restore-beside-swap').optional().describe('Restored into a new database, verified, then swapped in by renaming.'),
    retainedDatabase: z.string().optional().describe('The replaced database, kept under this name until `logbook rollback --drop-retained`.'),
    target: z
      .object({
        host: z.string().describe('Server host the rollback ran against.'),
        port: z.string().describe('Server port.'),
        database: z.string().describe('Database name.'),
        systemIdentifier: z.string().nullable().describe("The server's system identifier, when the role may read it."),
      })
      .strict()
      .optional()
      .describe('The database rolled back.'),
    targetMoved: z.boolean().optional().describe("Whether --target-moved overrode a target that differs from the record's database."),
    dataLossAccepted: z
      .array(
        z
          .object({
            schema: z.string(),
            name: z.string(),
            rowsAfterMigration: z.number().int(),
            rowsBeforeRollback: z.number().int(),
            /** What changed: rows, max id, last modified (absent in records filed before it was told). */
            why: z.array(z.enum(['rows', 'max id', 'last modified'])).optional(),
          })
          .strict(),
      )
      .optional()
      .describe('Tables written to since the migration whose changes the rollback discarded (--accept-data-loss).'),
    checks: z.array(checkResultSchema).optional().describe('Integrity and smoke checks run after the swap.'),
  })
  .strict();

const chainEventSchema = z
  .object({
    seq: z.number().int().positive(),
    previous: sha256Schema.nullable(),
    digest: sha256Schema,
  })
  .strict();

export const recordIntegritySchema = z
  .object({
    algorithm: z.literal('sha256'),
    /** Digest of the canonical captured facts as filed (frontmatter minus this block, human-editable fields and the rollback). */
    digest: sha256Schema.describe('Digest of the canonical captured facts of this record, as filed.'),
    /** One digest per captured section, so verify can name the section that was edited. */
    sections: z.record(z.string(), sha256Schema).describe('One digest per captured section, so verify can name what was edited.'),
    /** Digest of the rollback block and the rolled-back status, once a rollback is appended. */
    rollback: sha256Schema.optional().describe('Digest of the rollback block and status, once a rollback is appended.'),
    /** Digest of the previous record of the same environment; null for the first. */
    previous: sha256Schema.nullable().describe('Digest of the previous record of the same environment; null for the first.'),
    /**
     * Position in the environment's chain, assigned by the ledger in the target database. When present
     * (version 2), `digest` covers the environment, this number and `previous` too, so a re-pointed or
     * renumbered record is detected; version-1 records have none and verify exactly as before.
     */
    seq: z.number().int().positive().optional().describe("Position in the environment's chain, assigned by the ledger; covered by the digest."),
    /** Filed while the database (and its ledger) could not be reached: no position yet, `logbook sync` anchors it. */
    unanchored: z.literal(true).optional().describe('Filed while the ledger could not be reached; `logbook sync` anchors it.'),
    /** The rollback's own entry in the ledger: rolling back is an event in the chain, after the record it rolls back. */
    rollbackEvent: chainEventSchema.optional().describe("The rollback's own position in the chain (seq, previous, digest)."),
    /** `ssh-keygen -Y sign` signature (namespace migration-logbook) of the record's id and digest; outside the digest it signs. */
    signature: z.string().optional().describe("SSH signature of the record's id and digest (ssh-keygen -Y sign, namespace migration-logbook)."),
  })
  .strict();

export const migrationRecordSchema = z
  .object({
    schemaVersion: z
      .union([z.literal(1), z.literal(RECORD_SCHEMA_VERSION)])
      .describe('Record format version: 2 for records filed now, 1 for records filed before the ledger.'),
    id: z
      .string()
      .regex(/^[a-z0-9][a-z0-9._-]*$/, 'use lowercase letters, digits, dot, dash and underscore')
      .describe('Record id, also its file name: <date>-<migration>-<env>.'),
    title: z.string().min(1).describe('Human title: the migration names.'),
    migrations: z.array(z.string()).describe('Migration name(s) this run applied or tried to apply.'),
    migrationOutcomes: z
      .array(migrationOutcomeSchema)
      .optional()
      .describe('Every migration that was pending, with what the run did to it; absent when the database has no _prisma_migrations.'),
    environment: z.string().min(1).describe('Environment name from the config, e.g. production.'),
    status: recordStatusSchema,
    performedBy: personSchema,
    /** The git identity that committed the record when it is not the performer (a CI bot committing for a person). */
    committedBy: personSchema.optional().describe('The git identity that committed the record, when it differs from the performer (e.g. a CI bot).'),
    toolVersion: z.string().describe('Migration Logbook version that filed the record.'),
    startedAt: timestampSchema.describe('When the run started.'),
    finishedAt: timestampSchema.describe('When the record was filed.'),
    database: z
      .object({
        url: z.string().describe('Connection string with the password redacted.'),
        name: z.string().describe('Database name.'),
        systemIdentifier: z
          .string()
          .optional()
          .describe("The server's system identifier at pre-flight, when the role may read it: rollback refuses another server."),
      })
      .strict(),
    runbook: z
      .object({
        slug: z.string().describe('Runbook followed.'),
        version: z.string().describe('Its version.'),
      })
      .strict()
      .nullable(),
    code: codeProvenanceSchema.nullable().describe('Application repo provenance; null when no repo was given.'),
    pre: recordSnapshotSchema
      .refine((s) => !('countsFrom' in s) || s.countsFrom === undefined, {
        path: ['countsFrom'],
        message: 'pre lists every table: only post, the backup and the rollback’s after are stored as differences from it',
      })
      .describe('State before the migration: compact (full snapshot in _snapshots/) for records filed now, full for older ones.'),
    post: recordSnapshotSchema.nullable().describe('State after the migration; null when it never ran.'),
    changes: schemaChangesSchema
      .optional()
      .describe('Indexes, foreign keys, columns, extensions and migrations that changed between pre and post (compact records; older ones derive it).'),
    lint: z.array(lintFindingSchema).describe('Findings on the pending migrations SQL.'),
    locks: z
      .array(statementLockSchema)
      .optional()
      .describe('The lock each pending statement takes, on which tables, their size and the estimated time a rewrite or scan holds it.'),
    lintAcceptances: z
      .array(lintAcceptanceSchema)
      .optional()
      .describe('Lint findings accepted for this run (per migration and rule, with the reason), by flag or migration comment.'),
    backup: recordBackupSchema.nullable().describe('The verified backup taken before the migration (per-table counts grouped by schema in compact records).'),
    execution: executionSchema.nullable().describe('The migration command run; null when the run was aborted before it.'),
    checks: z.array(checkResultSchema).describe('Integrity, orphan, anomaly and smoke checks after the migration.'),
    checklist: z
      .union([z.array(checklistEntrySchema), z.array(checklistTupleSchema)])
      .describe('Runbook steps done, skipped or not applicable: one tuple per step in records filed now, one object per step in older ones.'),
    timeline: z.array(timelineEntrySchema).describe('Each phase of the run with its timing.'),
    outcome: z
      .object({
        performanceImpact: performanceImpactSchema,
        abortReason: z.string().optional().describe('Why the run stopped before the migration, for aborted records.'),
        warnings: z
          .array(z.string())
          .optional()
          .describe('What did not go as configured without deciding the status alone: lint findings, anomalies, failed phases, maintenance mode left by hand.'),
      })
      .strict(),
    rollback: rollbackSchema.nullable().describe('The restore from backup, when the migration was rolled back.'),
    integrity: recordIntegritySchema,
  })
  .strict();

export type RecordStatus = z.infer<typeof recordStatusSchema>;
export type MigrationRecord = z.infer<typeof migrationRecordSchema>;
export type MigrationRecordInput = z.input<typeof migrationRecordSchema>;
export type RecordIntegrity = z.infer<typeof recordIntegritySchema>;
export type ChainEvent = z.infer<typeof chainEventSchema>;
export type ChecklistEntry = z.infer<typeof checklistEntrySchema>;
export type ChecklistTuple = z.infer<typeof checklistTupleSchema>;
export type TimelineEntry = z.infer<typeof timelineEntrySchema>;
export type Execution = z.infer<typeof executionSchema>;
export type Rollback = z.infer<typeof rollbackSchema>;
export type MigrationOutcome = z.infer<typeof migrationOutcomeSchema>;
export type CodeProvenance = z.infer<typeof codeProvenanceSchema>;
