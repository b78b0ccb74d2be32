// Rolling a migration back: the record is trusted, not the files around it. Its backup is restored beside the
// live database, verified, and swapped in under the environment lock; the rollback is appended to the record
// (status rolled-back) with its own digest, keeping the facts as filed and people's prose.

import { join } from 'node:path';
import { readAllRecords, rewriteRecord, type StoredRecord } from '../adapters/fs/record-store.ts';
import {
  describeSnapshotFileProblem,
  readSnapshotDetail,
  type SnapshotFileProblem,
  snapshotPathsOf,
  snapshotTreeState,
  writeSnapshotFiles,
} from '../adapters/fs/snapshot-store.ts';
import { fingerprintMarks, snapshotFilePath } from '../core/record/snapshot-files.ts';
import { commitRecord } from '../adapters/git/commit-record.ts';
import { resolvePerformer } from '../adapters/git/provenance.ts';
import { runSmokeChecks } from '../adapters/http/smoke-checks.ts';
import { acquireDatabaseLock, type HeldLock } from '../adapters/pg/environment-lock.ts';
import { withClient } from '../adapters/pg/client.ts';
import { runIntegrityChecks } from '../adapters/pg/integrity-checks.ts';
import type { LedgerRow } from '../adapters/pg/ledger.ts';
import { objectsNotInArchive } from '../adapters/pg/objects-not-in-archive.ts';
import { readServerIdentity } from '../adapters/pg/server-identity.ts';
import { takeSnapshot } from '../adapters/pg/snapshot.ts';
import { readMarksAgain } from '../adapters/pg/write-marks.ts';
import { countDatabase } from '../adapters/pgdump/exact-counts.ts';
import type { CheckedArchive } from '../adapters/pgdump/restore.ts';
import { runCommand } from '../adapters/process/run-command.ts';
import { catalogObjectsInListing, describeObject } from '../core/backup/archive-listing.ts';
import { LogbookError } from '../core/errors.ts';
import { formatCount, formatDuration } from '../core/format.ts';
import { tableKey } from '../core/names.ts';
import type { Output } from '../core/output.ts';
import { compactSnapshot, countsRelativeToPre } from '../core/record/compact-snapshot.ts';
import { checkRecordDigest } from '../core/record/digest.ts';
import { renderRollbackSection } from '../core/record/render-record.ts';
import { identityOf, laterRecords, type TableWrite, targetDifferences, writeMarksOf, writesSinceMigration } from '../core/record/rollback-preconditions.ts';
import { markSummaryRolledBack } from '../core/record/rollback-summary.ts';
import { backupCounts, isCompactSnapshot, migrationsFolder } from '../core/record/snapshot-access.ts';
import { updateRecordSource } from '../core/record/update-record.ts';
import { redactDeep } from '../core/redact.ts';
import type { LogbookConfig } from '../schemas/config.ts';
import type { CheckResult } from '../schemas/findings.ts';
import type { WriteMark } from '../schemas/snapshot.ts';
import { type MigrationRecord, migrationRecordSchema } from '../schemas/record.ts';
import { readLedgerBeforeRestore, rollbackIntegrity } from './anchor-rollback.ts';
import { inspectSwap, planSwap, prepareCopyForSwap, restoreBeside, type SwapPlan, swapIn, testPause, undoBeforeSwap } from './restore-beside.ts';
import { plannedSwap, type RollbackJournal, readRollbackJournal, removeRollbackJournal, rollbackRunId, writeRollbackJournal } from './rollback-journal.ts';
import type { CriticalSection } from './run-context.ts';
import { reopenClosedBySwap } from './interrupted-swap.ts';
import { carryLedger, clearStaleLockRows, lockUrl } from './run-lock.ts';

/** Why a record cannot be rolled back, or null. */
export function rollbackRefusal(record: MigrationRecord): string | null {
  if (record.rollback) return `it was already rolled back at ${record.rollback.finishedAt}`;
  if (record.status === 'aborted') return 'the migration never ran (the record is aborted)';
  if (!record.backup) return 'it names no backup';
  return null;
}

function refused(message: string, hint: string, code = 'E_ROLLBACK_REFUSED'): LogbookError {
  return new LogbookError(`${message}; nothing was changed`, { code, outcome: 'stopped-before-change', hint });
}

/** The checks that need only the record and its neighbours, made before the archive is even read. */
export async function checkRecordItself(stored: StoredRecord, recordsDir: string): Promise<void> {
  const record = stored.record;
  const refusal = rollbackRefusal(record);
  if (refusal) throw refused(`cannot roll back ${record.id}: ${refusal}`, 'see the record with `logbook verify`');
  const tamper = checkRecordDigest(record);
  if (tamper) {
    const what = [...tamper.editedSections, ...(tamper.digestMismatch ? ['the digest itself'] : []), ...(tamper.rollbackEdited ? ['the rollback'] : [])].join(
      ', ',
    );
    throw refused(
      `cannot roll back ${record.id}: its captured facts were edited after filing (${what}), so its backup and checksum cannot be trusted`,
      'restore the record from git history (`git log -p` on the file), or roll back by hand; `logbook verify` shows the edit',
    );
  }
  const all = (await readAllRecords(recordsDir, { checkBody: false })).map((s) => s.record);
  const later = laterRecords(record, all);
  if (later.length) {
    throw refused(
      `cannot roll back ${record.id}: ${later.length} later record(s) on ${record.environment} would be silently undone: ${later.map((r) => r.id).join(', ')}`,
      `roll back the later one first: logbook rollback --record ${later.at(-1)!.id}`,
      'E_ROLLBACK_LATER_RECORD',
    );
  }
}

/** Only the record's own sha256 is trusted: an archive consistent with its sidecar but not with the record was replaced. */
export function checkArchiveMatchesRecord(record: MigrationRecord, checked: CheckedArchive): void {
  if (checked.meta.sha256 === record.backup!.sha256) return;
  throw new LogbookError(
    `refusing to roll back ${record.id}: the archive at ${checked.archivePath} hashes to ${checked.meta.sha256.slice(0, 16)}…, but the record filed ${record.backup!.sha256.slice(0, 16)}… (the archive and its sidecar were replaced); nothing was changed`,
    {
      code: 'E_BACKUP_CHECKSUM',
      outcome: 'stopped-before-change',
      hint: 'find the archive whose sha256 is the one in the record; only that backup is the state before this migration',
    },
  );
}

export interface RollbackOptions {
  stored: StoredRecord;
  /** The record's backup, already checked (sidecar, sha256, listing) and trusted (checkRecordItself, checkArchiveMatchesRecord). */
  checked: CheckedArchive;
  url: string;
  config: LogbookConfig;
  stateDir: string;
  baseDir: string;
  /** The records root, where the rollback's snapshot file goes (`_snapshots/`). */
  recordsDir: string;
  by?: string | undefined;
  commit: boolean;
  targetMoved?: boolean | undefined;
  acceptDataLoss?: boolean | undefined;
  /** `resume`: the tables an interrupted rollback of this record was told to discard; the same writes, and no others, pass. */
  acceptedBefore?: RollbackJournal['dataLossAccepted'];
  spaceChecked?: boolean | undefined;
  /** --wait: how long to wait for a run elsewhere to free the database (0 refuses at once, exit 13). */
  waitMs?: number | undefined;
  /** Asked once every refusal has been ruled out and before anything changes; false stops with nothing changed. */
  confirm: (question: string) => Promise<boolean>;
  /** Runs work a second Ctrl-C must not cut short (the swap, leaving maintenance, writing the record); the CLI supplies it. */
  critical: CriticalSection;
  out: Output;
  signal: AbortSignal;
}

export interface RollbackResult {
  record: MigrationRecord;
  matches: boolean;
  checksFailed: boolean;
  retained: string;
}

/**
 * The post snapshot's write marks: in the record (full form) or in its snapshot files (compact form, hash-checked),
 * where a tree keeps fingerprints of their values: the marks read now are then compared as fingerprints too.
 */
async function postWriteMarks(
  record: MigrationRecord,
  recordsDir: string,
): Promise<{ marks: WriteMark[]; prints: boolean; unreadable?: { path: string; state: SnapshotFileProblem } }> {
  if (!record.post || !isCompactSnapshot(record.post)) return { marks: writeMarksOf(record.post), prints: false };
  const detail = await readSnapshotDetail(recordsDir, record.post.full);
  if (detail) return { marks: detail.writeMarks, prints: detail.markPrints };
  // Without its files the record's marks are unknown, not absent: say which file, as verify would.
  const found = await snapshotTreeState(recordsDir, record.post.full);
  return { marks: [], prints: false, unreadable: found.state === 'ok' ? { path: snapshotFilePath(record.post.full), state: 'edited' } : found };
}

async function takeRollbackLock(options: RollbackOptions, environment: string, runId: string): Promise<HeldLock> {
  // The lock is taken through the live database; a rollback of this record killed after it closed connections
  // (its journal is here) left it refusing them: let it take connections again (as before), then lock.
  const envConfig = Object.hasOwn(options.config.environments, environment) ? options.config.environments[environment] : undefined;
  const killed = await readRollbackJournal(options.stateDir, options.stored.record.id);
  // Not while that rollback is still running (it holds the advisory lock, mid-swap): refused, exit 13.
  if (killed?.allowConnections) await reopenClosedBySwap(lockUrl(options.url, envConfig), envConfig?.maintenanceDatabase, options.out);
  // Our own rollback of this record, killed earlier: its lock row is taken over; anything else is refused (exit 13).
  return acquireDatabaseLock({
    url: lockUrl(options.url, envConfig),
    runId,
    environment,
    adopt: true,
    maintenanceDatabase: envConfig?.maintenanceDatabase,
    waitMs: options.waitMs,
  });
}

async function maintenanceCommand(
  config: LogbookConfig,
  environment: string,
  which: 'enter' | 'leave',
  baseDir: string,
  out: Output,
  signal?: AbortSignal,
): Promise<void> {
  const command = config.environments[environment]?.maintenance?.[which];
  if (!command) return;
  out.info(`  maintenance ${which}: ${command}`);
  const result = await runCommand([command], { shell: true, cwd: baseDir, onLine: (line) => out.info(`    | ${line}`), ...(signal ? { signal } : {}) });
  if (result.exitCode !== 0) {
    throw new LogbookError(`the maintenance ${which} command failed (exit ${result.exitCode ?? result.signal})`, {
      code: 'E_MAINTENANCE',
      outcome: which === 'enter' ? 'stopped-before-change' : 'migration-failed',
      hint:
        which === 'enter' ? 'fix the maintenance command in the config; nothing was changed' : 'leave maintenance mode by hand NOW, then check the application',
    });
  }
}

function describeWrites(changed: TableWrite[]): string {
  const because: Record<string, string> = { rows: 'row count', 'max id': 'largest id', 'last modified': 'last-modified time' };
  return changed
    .map(
      (w) =>
        `(${JSON.stringify(w.schema)}, ${JSON.stringify(w.name)}): ${formatCount(w.rowsAfterMigration)} rows after the migration, ${formatCount(w.rowsBeforeRollback)} now${w.why?.length ? ` (changed: ${w.why.map((x) => because[x]).join(', ')})` : ''}`,
    )
    .join('\n    ');
}

/**
 * Tables changed since the migration, refused unless accepted (--accept-data-loss, or `resume` with the same
 * writes). Run before the restore and again in maintenance just before the swap: the app is live during the restore.
 */
async function checkWritesSince(options: RollbackOptions, doing: string, acceptedBefore = options.acceptedBefore): Promise<TableWrite[]> {
  const { stored, out, signal } = options;
  const record = stored.record;
  out.info(doing);
  const now = await countDatabase(options.url, { signal, doing: 'counting rows before the rollback' });
  const { marks: marksAfter, prints, unreadable } = await postWriteMarks(record, options.recordsDir);
  if (unreadable) {
    const what = `the post snapshot file ${join(options.recordsDir, unreadable.path)} ${describeSnapshotFileProblem(unreadable.state)}, so writes that keep the row counts equal cannot be told (an UPDATE, an insert plus a delete): only counts are compared`;
    if (!options.acceptDataLoss)
      throw refused(
        `cannot roll back ${record.id}: ${what}`,
        'restore the file from git (`logbook verify` names every missing or edited one), or run again with --accept-data-loss',
        'E_ROLLBACK_DATA_LOSS',
      );
    out.warn(what);
  }
  const read = await readMarksAgain(options.url, marksAfter);
  const marksNow = prints ? fingerprintMarks(read) : read;
  const { changed, unknown } = writesSinceMigration(record, now, marksNow, marksAfter);
  if (unknown.length)
    out.warn(
      `${unknown.length} table(s) were only estimated after the migration, so writes to them since cannot be told: ${unknown.map((t) => `(${JSON.stringify(t.schema)}, ${JSON.stringify(t.name)})`).join(', ')}`,
    );
  const sameAsAccepted =
    acceptedBefore !== undefined &&
    changed.every((c) => acceptedBefore.some((a) => a.schema === c.schema && a.name === c.name && a.rowsBeforeRollback === c.rowsBeforeRollback));
  if (changed.length && !options.acceptDataLoss && !sameAsAccepted) {
    throw refused(
      `cannot roll back ${record.id}: ${changed.length} table(s) changed since the migration, and the rollback would discard those rows:\n    ${describeWrites(changed)}`,
      'export what must be kept first, then run again with --accept-data-loss',
      'E_ROLLBACK_DATA_LOSS',
    );
  }
  return changed;
}

/** A rollback of this record killed earlier: finish it if its swap committed, else undo what it set up (verified). */
async function recoverInterrupted(options: RollbackOptions, journal: RollbackJournal, started: number): Promise<RollbackResult | null> {
  const { out, stateDir } = options;
  const { swapped } = await inspectSwap(options.url, journal);
  if (journal.phase === 'swapping') await maintenanceCommand(options.config, journal.environment, 'leave', options.baseDir, out);
  if (!swapped) {
    const undone = await undoBeforeSwap(options.url, journal);
    await removeRollbackJournal(stateDir, journal.recordId);
    out.info(`an interrupted rollback of ${journal.recordId} (started ${journal.startedAt}) never swapped: ${undone}; starting again from the restore`);
    return null;
  }
  out.info(
    `an interrupted rollback of ${journal.recordId} (started ${journal.startedAt}) had already swapped ${journal.live} (the replaced one is ${journal.retained}): finishing its record`,
  );
  const counts = await countDatabase(options.url, { doing: 'counting rows after the swap' });
  return options.critical(async () => {
    await clearStaleLockRows(options.url, rollbackRunId(journal.recordId), out);
    const checks = await checksAfter(options);
    const result = await appendRollback({
      options,
      journal,
      startedAt: new Date(journal.startedAt),
      started,
      restoredCounts: counts,
      checks,
      ledgerBefore: journal.ledgerBefore ?? [],
    });
    await removeRollbackJournal(stateDir, journal.recordId);
    return result;
  });
}

/** After a failure before the swap was seen to commit: look at the server, and undo (verified) or say what to do. */
async function undoUnswapped(options: RollbackOptions, out: Output): Promise<void> {
  const journal = await readRollbackJournal(options.stateDir, options.stored.record.id);
  if (!journal) return;
  const runId = rollbackRunId(journal.recordId);
  try {
    const { swapped } = await inspectSwap(options.url, journal);
    if (swapped) {
      out.info(
        `the swap did commit (${journal.retained} exists) but the rollback stopped before its record was written: run \`logbook resume --run ${runId}\` to finish it`,
      );
      return;
    }
    const undone = await undoBeforeSwap(options.url, journal);
    await removeRollbackJournal(options.stateDir, journal.recordId);
    out.info(`the live database was not swapped: ${undone}; the record is unchanged`);
  } catch (error) {
    out.info(
      `could not check the server after the failure (${(error as Error).message.split('\n')[0]}): run \`logbook abort --run ${runId}\` (undo) or \`logbook resume --run ${runId}\` (finish) once it is reachable`,
    );
  }
}

export async function rollbackRecord(options: RollbackOptions): Promise<RollbackResult | null> {
  const { stored, out, signal, checked } = options;
  const record = stored.record;
  const environment = record.environment;
  const runId = rollbackRunId(record.id);
  const startedAt = new Date();
  const started = performance.now();

  // Read from the maintenance database: the live one may be closed to connections by an interrupted swap.
  const envConfig = Object.hasOwn(options.config.environments, environment) ? options.config.environments[environment] : undefined;
  const maintenance = envConfig?.maintenanceDatabase ?? 'postgres';
  const targetServer = record.database.systemIdentifier
    ? await withClient(options.url, { database: maintenance, doing: "reading the target server's identity" }, readServerIdentity)
    : null;
  const differences = targetDifferences(record, options.url, targetServer?.systemIdentifier ?? null);
  if (differences.length && !options.targetMoved) {
    throw refused(
      `cannot roll back ${record.id} into this database: ${differences.join('; ')}`,
      'point --db at the database the record was filed for; if it really moved, pass --target-moved (recorded in the record)',
      'E_ROLLBACK_TARGET',
    );
  }

  const lock = await takeRollbackLock(options, environment, runId);
  let swapped = false;
  // Each step is journaled here and in the lock row, so `resume`/`abort` on any machine know where it stopped.
  const save = async (journal: RollbackJournal) => {
    await writeRollbackJournal(options.stateDir, journal);
    await lock
      .update({ journal: redactDeep(journal) })
      .catch((error: Error) => out.warn(`could not copy the rollback's journal into the lock row: ${error.message.split('\n')[0]}`));
  };
  try {
    const interrupted = await readRollbackJournal(options.stateDir, record.id);
    if (interrupted) {
      const finished = await recoverInterrupted(options, interrupted, started);
      if (finished) return finished;
    }
    const plan = await planSwap(options.url, checked, { at: startedAt, spaceChecked: options.spaceChecked });

    const changed = await checkWritesSince(options, 'counting rows to find writes since the migration');

    // What the swap takes away, named by catalog identity (never parsed from names): shown before the question.
    const created = await objectsNotInArchive(options.url, catalogObjectsInListing(checked.listing));
    if (created.length)
      out.info(
        `the swap removes ${created.length} object(s) created since the backup:\n    ${created.slice(0, 20).map(describeObject).join('\n    ')}${created.length > 20 ? `\n    … and ${created.length - 20} more` : ''}`,
      );
    const question = `Roll back ${record.title} on ${environment}: restore ${checked.archivePath} beside ${plan.live.name} and swap it in (the current database is kept as ${plan.retained})?${changed.length ? ` Rows written since the migration are discarded.` : ''}`;
    if (!(await options.confirm(question))) return null;

    const journal: RollbackJournal = {
      kind: 'rollback',
      runId,
      recordId: record.id,
      environment,
      startedAt: startedAt.toISOString(),
      ...plannedSwap(plan),
      ...(changed.length ? { dataLossAccepted: changed } : {}),
      ...(differences.length ? { targetMoved: true } : {}),
    };
    await save(journal);
    out.info(`restoring beside: ${plan.restoring}`);
    await testPause('restore', signal);
    const restored = await restoreBeside(plan, checked, { signal, onProgress: (line, update) => (!update?.transient ? out.info(`  ${line}`) : undefined) });
    out.info(`✓ restored and verified ${plan.restoring} in ${formatDuration(restored.durationMs)}: ${restored.counts.length} table(s) match the backup`);

    // Rows the ledger gained after the backup was taken are put back after the swap: the ledger only grows.
    const ledgerBefore = await readLedgerBeforeRestore(options.url);
    const swapping: RollbackJournal = { ...journal, phase: 'swapping', ledgerBefore };
    await save(swapping);
    // The copy gets this run's lock row and the ledger now: the moment the swap commits, the live database says who owns it.
    await prepareCopyForSwap(plan, { runId, environment, journal: redactDeep(swapping) }, ledgerBefore);
    let final = swapping;
    await swapWithinMaintenance(plan, options, async () => {
      // The app was live during the restore: rows it wrote then are found now, in maintenance, not discarded unseen.
      const atSwap = await checkWritesSince(options, 'counting rows again before the swap', changed.length ? changed : options.acceptedBefore);
      if (JSON.stringify(atSwap) === JSON.stringify(changed)) return;
      final = { ...swapping, dataLossAccepted: atSwap };
      await save(final);
      await prepareCopyForSwap(plan, { runId, environment, journal: redactDeep(final) }, []);
    });
    swapped = true;
    // A backup made before the tool's schema was left out of dumps may bring back the lock row of the run it was taken during.
    await clearStaleLockRows(options.url, runId, out);
    await carryLedger(options.url, ledgerBefore).catch((error: Error) =>
      out.warn(`the ledger could not be carried into the restored database yet: ${error.message.split('\n')[0]}`),
    );
    out.info(`✓ swapped: ${plan.live.name} is the restored database; the replaced one is kept as ${plan.retained}`);

    // After the swap the record must say so, whatever arrives: Ctrl-C waits until it is written.
    return await options.critical(async () => {
      await testPause('after-swap');
      const checks = await checksAfter(options);
      const result = await appendRollback({ options, journal: final, startedAt, started, restoredCounts: restored.counts, checks, ledgerBefore });
      await removeRollbackJournal(options.stateDir, record.id);
      return result;
    });
  } catch (error) {
    if (!swapped) await undoUnswapped(options, out);
    throw error;
  } finally {
    await lock.release().catch((error: Error) => out.warn(`the environment lock could not be released: ${error.message.split('\n')[0]}`));
  }
}

async function swapWithinMaintenance(plan: SwapPlan, options: RollbackOptions, beforeSwap: () => Promise<void>): Promise<void> {
  const { out, signal, config, stored } = options;
  await maintenanceCommand(config, stored.record.environment, 'enter', options.baseDir, out, signal);
  try {
    signal.throwIfAborted();
    await beforeSwap();
  } catch (error) {
    await maintenanceCommand(config, stored.record.environment, 'leave', options.baseDir, out);
    throw error;
  }
  // From here to leaving maintenance, Ctrl-C waits: the swap is one short transaction, and the app must come back.
  await options.critical(async () => {
    try {
      await swapIn(plan, { step: (name) => testPause(name, signal) });
    } finally {
      await maintenanceCommand(config, stored.record.environment, 'leave', options.baseDir, out);
    }
  });
}

async function checksAfter(options: RollbackOptions): Promise<CheckResult[]> {
  const { config, out } = options;
  const results = await runIntegrityChecks(options.url, {
    checks: config.checks,
    softReferences: config.softReferences,
    statementTimeoutMs: config.capture.statementTimeoutMs,
    lockTimeoutMs: config.capture.lockTimeoutMs,
  }).catch((error: unknown): CheckResult[] => [
    { kind: 'integrity', name: 'integrity checks', status: 'fail', detail: `could not run: ${(error as Error).message}` } as CheckResult,
  ]);
  const baseEnv = config.environments[options.stored.record.environment]?.smokeBaseUrlEnv;
  results.push(...(await runSmokeChecks(config.smoke, baseEnv ? process.env[baseEnv] : undefined)));
  for (const r of results) out.info(`    ${r.status.padEnd(4)} ${r.name}: ${r.detail}`);
  return results;
}

async function appendRollback(a: {
  options: RollbackOptions;
  journal: RollbackJournal;
  startedAt: Date;
  started: number;
  restoredCounts: Array<{ schema: string; name: string; rows: number }>;
  checks: CheckResult[];
  ledgerBefore: LedgerRow[];
}): Promise<RollbackResult> {
  const { options, journal } = a;
  const { stored, out } = options;
  const record = stored.record;
  const backup = record.backup!;
  // The restore beside counted every table exactly; the snapshot only adds sizes, indexes and migration state.
  const catalog = await takeSnapshot(options.url, { mode: 'estimate', capture: options.config.capture, migrationsDir: migrationsFolder(record.pre) });
  const exact = new Map(a.restoredCounts.map((c) => [tableKey(c), c.rows]));
  const fullAfter = {
    ...catalog,
    tables: catalog.tables.map((t) => {
      const rows = exact.get(tableKey(t));
      if (rows === undefined) return t;
      const { countNote: _estimateNote, ...table } = t;
      return { ...table, rows, counted: 'exact' as const };
    }),
  };
  const { compact: restored, files: afterFiles } = compactSnapshot(redactDeep(fullAfter));
  // Stored as differences from pre: the backup was dumped just after pre, so the restored database is pre's state
  // plus the writes in between (the backup itself carries no sizes to be a base for). Restored tables are freshly
  // packed and counted exactly, so a real restore differs from pre in many tables; the form stays correct either way.
  const after = countsRelativeToPre(restored, record.pre);
  const countsAtBackup = backupCounts(record);
  const atBackup = new Map(countsAtBackup.map((t) => [tableKey(t), t.rows]));
  const matches = countsAtBackup.length === a.restoredCounts.length && a.restoredCounts.every((c) => atBackup.get(tableKey(c)) === c.rows);
  const identity = identityOf(options.url);

  const { integrity: _filed, ...facts } = record;
  const updatedFacts = {
    ...facts,
    status: 'rolled-back' as const,
    rollback: {
      statusBefore: record.status as 'success' | 'failed',
      startedAt: a.startedAt.toISOString(),
      finishedAt: new Date().toISOString(),
      durationMs: performance.now() - a.started,
      backupPath: backup.path,
      backupSha256: backup.sha256,
      performedBy: await resolvePerformer(options.by, null),
      after,
      matchesBackup: matches,
      method: 'restore-beside-swap' as const,
      retainedDatabase: journal.retained,
      target: { ...identity, systemIdentifier: journal.systemIdentifier },
      ...(journal.targetMoved ? { targetMoved: true } : {}),
      ...(journal.dataLossAccepted ? { dataLossAccepted: journal.dataLossAccepted } : {}),
      checks: a.checks,
    },
  };
  const updated = migrationRecordSchema.parse({ ...updatedFacts, integrity: await rollbackIntegrity(options.url, record, updatedFacts, a.ledgerBefore, out) });
  const source = markSummaryRolledBack(stored.source, record.status);
  // The snapshot file before the record that references it: a crash between leaves an orphan, never a dangling reference.
  await writeSnapshotFiles(options.recordsDir, afterFiles);
  await rewriteRecord(stored.file, updateRecordSource(source, updated, renderRollbackSection(updated)));
  out.info(`✓ rolled back in ${formatDuration(performance.now() - a.started)}; counts ${matches ? 'match the backup' : 'DO NOT match the backup'}`);
  if (options.commit)
    out.info(
      `✓ committed ${await commitRecord(stored.file, `logbook: ${record.environment} ${record.title} — rolled back\n\nRecord ${record.id}.`, await snapshotPathsOf(options.recordsDir, updated))}`,
    );
  return { record: updated, matches, checksFailed: a.checks.some((c) => c.status === 'fail'), retained: journal.retained };
}
