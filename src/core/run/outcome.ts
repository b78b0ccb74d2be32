// Pure: what a run's journal says happened — per-migration outcomes, the record status, its warnings,
// its title, and the outcome category the CLI turns into an exit code. Nothing here may claim more
// than the journal shows.
import type { Outcome } from '../errors.ts';
import { classifyMigrations, type PrismaMigrationRow } from '../migrations/classify-migrations.ts';
import type { MigrationOutcome, RecordStatus } from '../../schemas/record.ts';
import type { MigrationState } from '../../schemas/snapshot.ts';
import type { RunJournal } from './journal.ts';

/** Prisma's `logs` can be long (a whole stack); the record keeps its end, where the error is. */
const LOGS_LIMIT = 4000;

/**
 * For each migration pending before the run, what the run did to it, from the `_prisma_migrations`
 * rows read after the command. Rolled back only when it had no row before and has only rolled-back ones
 * now; one that was rolled back before and has no live row now was not run again.
 */
export function migrationOutcomes(pending: string[], after: PrismaMigrationRow[], before?: MigrationState): MigrationOutcome[] {
  const state = classifyMigrations(after, null, null);
  const byName = new Map(state.migrations.map((m) => [m.name, m]));
  const hadRows = new Set((before?.migrations ?? []).filter((m) => m.status !== 'pending').map((m) => m.name));
  return pending.map((name): MigrationOutcome => {
    const entry = byName.get(name);
    if (entry?.status === 'rolled-back' && before && !hadRows.has(name)) return { name, outcome: 'rolled-back' };
    if (!entry || entry.status === 'pending' || entry.status === 'rolled-back') return { name, outcome: 'not-run' };
    if (entry.status === 'applied') return { name, outcome: 'applied' };
    const failedRow = after
      .filter((row) => row.migrationName === name && row.rolledBackAt === null && row.finishedAt === null)
      .sort((a, b) => String(a.startedAt).localeCompare(String(b.startedAt)))
      .at(-1);
    const logs = failedRow?.logs?.trim();
    return { name, outcome: 'failed', ...(logs ? { logs: logs.length > LOGS_LIMIT ? `…${logs.slice(-LOGS_LIMIT)}` : logs } : {}) };
  });
}

/** The migrations a run applied or tried to apply: what the record's `migrations` means. */
export function attemptedMigrations(journal: Pick<RunJournal, 'migrations' | 'migrationOutcomes'>): string[] {
  // Nothing pending in Prisma's eyes (or no history to read): the names given with --migration label the run.
  if (!journal.migrationOutcomes?.length) return journal.migrations;
  return journal.migrationOutcomes.filter((m) => m.outcome !== 'not-run').map((m) => m.name);
}

/** The migrations already failed in the database: Prisma refuses to deploy over them, and so does a run. */
export function failedMigrations(state: MigrationState): string[] {
  return state.migrations.filter((m) => m.status === 'failed').map((m) => m.name);
}

export function recordTitle(journal: Pick<RunJournal, 'migrations' | 'migrationOutcomes'>): string {
  const outcomes = journal.migrationOutcomes?.length ? journal.migrationOutcomes : undefined;
  const failed = outcomes?.find((m) => m.outcome === 'failed');
  if (failed && outcomes) {
    const applied = outcomes.filter((m) => m.outcome === 'applied').length;
    const notRun = outcomes.filter((m) => m.outcome === 'not-run').length;
    const around = [applied ? `${applied} applied before it` : '', notRun ? `${notRun} not run` : ''].filter(Boolean).join(', ');
    return `${failed.name} failed${around ? ` (${around})` : ''}`;
  }
  const names = attemptedMigrations(journal);
  if (names.length === 0)
    return journal.migrations.length && outcomes ? `No migration applied (${journal.migrations.length} pending not run)` : 'No pending migrations';
  return names.length === 1 ? names[0]! : `${names[0]} and ${names.length - 1} more`;
}

/** Phases that must have run and passed, once the migration ran, for a run to be `success`. */
function verificationGaps(journal: RunJournal): string[] {
  const gaps: string[] = [];
  const last = (phase: string) => journal.timeline.filter((t) => t.phase === phase).at(-1);
  if (!journal.post) gaps.push(`the post-migration snapshot was not taken${detailOf(last('post'))}`);
  for (const [phase, label] of [
    ['checks', 'the integrity checks'],
    ['smoke', 'the smoke checks'],
  ] as const) {
    const entry = last(phase);
    if (!entry) gaps.push(`${label} did not run`);
    else if (entry.status === 'failed') gaps.push(`${label} could not run${detailOf(entry)}`);
  }
  const failing = (journal.checks ?? []).filter((c) => c.status === 'fail');
  if (failing.length) gaps.push(`${failing.length} check(s) failed: ${failing.map((c) => c.name).join(', ')}`);
  if (journal.maintenance?.leaveFailed) gaps.push(`maintenance mode was not left: ${journal.maintenance.leaveFailed}`);
  return gaps;
}

function detailOf(entry: { detail?: string | undefined } | undefined): string {
  return entry?.detail ? ` (${entry.detail})` : '';
}

/** The status a run ends with, from what happened. */
export function decideStatus(journal: RunJournal): RecordStatus {
  // `--status success` from a person vouches for the migration command, not for what was verified after it.
  if (journal.status && journal.status !== 'success') return journal.status;
  if (!journal.execution) return 'aborted';
  if (journal.migrationOutcomes?.some((m) => m.outcome === 'failed')) return 'failed';
  if (journal.status !== 'success' && journal.execution.exitCode !== 0) return 'failed';
  return verificationGaps(journal).length ? 'unverified' : 'success';
}

/** Everything the record should say did not go as configured, beside the status. */
export function runWarnings(journal: RunJournal, status: RecordStatus): string[] {
  const warnings: string[] = [];
  if (journal.execution && (status === 'success' || status === 'unverified' || status === 'failed' || status === 'interrupted')) {
    if (journal.post || journal.execution.exitCode === 0) warnings.push(...verificationGaps(journal));
  }
  for (const t of journal.timeline)
    if (t.status === 'failed' && !['post', 'checks', 'smoke', 'migrate'].includes(t.phase)) warnings.push(`${t.phase} failed${detailOf(t)}`);
  const lint = (journal.lint ?? []).filter((f) => f.severity !== 'info');
  if (lint.length) warnings.push(`${lint.length} lint finding(s) at warning or error level`);
  for (const c of journal.checks ?? []) if (c.status === 'warn') warnings.push(`${c.kind} check "${c.name}" warned: ${c.detail}`);
  if (journal.execution && !journal.migrationOutcomes) {
    warnings.push(
      journal.pre?.migrations.hasHistory === false && !journal.post?.migrations.hasHistory
        ? 'the database has no _prisma_migrations table: the migrations listed are the names given with --migration, not read back'
        : 'per-migration outcomes could not be read back from _prisma_migrations',
    );
  }
  if (journal.maintenance?.leftLate) warnings.push(`maintenance mode was left by \`${journal.maintenance.leftLate}\` after the run was interrupted`);
  return [...new Set(warnings)];
}

/** The outcome category a filed record ends its command with. */
export function outcomeOfRecord(status: RecordStatus, journal: Pick<RunJournal, 'maintenance'>, committed: boolean): Outcome {
  if (journal.maintenance?.leaveFailed && status !== 'aborted') return 'maintenance-stuck';
  const byStatus: Record<RecordStatus, Outcome> = {
    success: 'success',
    aborted: 'stopped-before-change',
    failed: 'migration-failed',
    interrupted: 'migration-failed',
    unverified: 'unverified',
    'rolled-back': 'success',
  };
  const outcome = byStatus[status];
  return outcome === 'success' && !committed ? 'not-committed' : outcome;
}
