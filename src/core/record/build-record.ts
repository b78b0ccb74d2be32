// Pure: a finished run's journal becomes the record's facts (everything but the integrity block).
import type { MigrationRecord, RecordStatus } from '../../schemas/record.ts';
import { RECORD_SCHEMA_VERSION } from '../../schemas/record.ts';
import { redactDeep } from '../redact.ts';
import type { Snapshot } from '../../schemas/snapshot.ts';
import type { RunJournal } from '../run/journal.ts';
import { attemptedMigrations, recordTitle, runWarnings } from '../run/outcome.ts';
import { compactBackup, compactSnapshot, countsRelativeToPre, schemaChanges } from './compact-snapshot.ts';
import { compactChecklist } from './record-checklist.ts';
import type { SnapshotFile } from './snapshot-files.ts';

export type RecordFacts = Omit<MigrationRecord, 'integrity'>;

/**
 * The record's pre and post in compact form, the schema changes between them, and the files that hold them
 * in full. Secrets are redacted before hashing, so the files and the references in the record agree.
 */
export function compactRecordSnapshots(journal: RunJournal): CompactSnapshots {
  if (!journal.pre) throw new Error('a record needs at least the pre-migration snapshot');
  // Building the facts and writing the files both need these: redacting and hashing two full snapshots of a
  // large database is most of filing's CPU, so it is done once per captured pair (snapshots are never mutated).
  const known = computed.get(journal.pre);
  if (known && known.post === (journal.post ?? null)) return known.result;
  const result = compactPair(journal.pre, journal.post ?? null);
  computed.set(journal.pre, { post: journal.post ?? null, result });
  return result;
}

type CompactSnapshots = { pre: RecordFacts['pre']; post: RecordFacts['post']; changes?: RecordFacts['changes']; files: SnapshotFile[] };
const computed = new WeakMap<Snapshot, { post: Snapshot | null; result: CompactSnapshots }>();

function compactPair(capturedPre: Snapshot, capturedPost: Snapshot | null): CompactSnapshots {
  const fullPre = redactDeep(capturedPre);
  const fullPost = capturedPost ? redactDeep(capturedPost) : null;
  // Rollback compares the database with the post's write marks, never the pre's.
  const pre = compactSnapshot(fullPre, { markValues: false });
  const post = fullPost ? compactSnapshot(fullPost) : null;
  return {
    pre: pre.compact,
    // Post counts are stored as differences from pre: a migration moves a few tables, not the other hundreds.
    post: post ? countsRelativeToPre(post.compact, pre.compact) : null,
    ...(fullPost ? { changes: schemaChanges(fullPre, fullPost) } : {}),
    files: post ? [...pre.files, ...post.files] : pre.files,
  };
}

export function buildRecordFacts(journal: RunJournal, options: { id: string; status: RecordStatus; toolVersion: string; finishedAt: string }): RecordFacts {
  if (!journal.pre) throw new Error('a record needs at least the pre-migration snapshot');
  const warnings = runWarnings(journal, options.status);
  const snapshots = compactRecordSnapshots(journal);
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
    database: {
      url: journal.database.redacted,
      name: journal.database.name,
      ...(journal.database.systemIdentifier ? { systemIdentifier: journal.database.systemIdentifier } : {}),
    },
    runbook: journal.runbook,
    code: journal.code,
    pre: snapshots.pre,
    post: snapshots.post,
    ...(snapshots.changes ? { changes: snapshots.changes } : {}),
    lint: journal.lint ?? [],
    ...(journal.locks ? { locks: journal.locks } : {}),
    ...(journal.lintAcceptances?.length ? { lintAcceptances: journal.lintAcceptances } : {}),
    backup: journal.backup ? compactBackup(journal.backup, snapshots.pre) : null,
    execution: journal.execution ?? null,
    checks: journal.checks ?? [],
    checklist: compactChecklist(journal.checklist ?? []),
    timeline: journal.timeline,
    outcome: { performanceImpact: 'unknown', ...(journal.abortReason ? { abortReason: journal.abortReason } : {}), ...(warnings.length ? { warnings } : {}) },
    rollback: null,
  };
}
