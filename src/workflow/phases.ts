// The phases of a migration run, each reading and extending the journal, which is saved after every
// phase. A phase that already ran (its result is in the journal) is skipped, so `resume` just calls
// the same sequence again.
import { mkdir, statfs } from 'node:fs/promises';
import { hostname } from 'node:os';
import { basename } from 'node:path';
import { PRIVATE_DIR_MODE } from '../adapters/fs/atomic-write.ts';
import { looseFolderModes } from '../adapters/fs/private-folders.ts';
import { runSmokeChecks } from '../adapters/http/smoke-checks.ts';
import { connect } from '../adapters/pg/client.ts';
import { runIntegrityChecks } from '../adapters/pg/integrity-checks.ts';
import { readMigrationRowsAfter } from '../adapters/pg/prisma-migrations.ts';
import { readServerIdentity } from '../adapters/pg/server-identity.ts';
import { takeSnapshot } from '../adapters/pg/snapshot.ts';
import { createBackup } from '../adapters/pgdump/create-backup.ts';
import { checkToolVersion } from '../adapters/pgdump/preflight.ts';
import { type CommandResult, runCommand } from '../adapters/process/run-command.ts';
import { lintMigrations } from '../adapters/squawk/lint-migrations.ts';
import { copyLocation, sidecarPathOf } from '../core/backup/naming.ts';
import { anomalyChecks } from '../core/checks/evaluate.ts';
import { diffSnapshots } from '../core/diff/diff-snapshots.ts';
import { LogbookError } from '../core/errors.ts';
import { formatBytes, formatDuration } from '../core/format.ts';
import { gateRefusal, unusedAcceptances } from '../core/lint/gate.ts';
import { pendingMigrations } from '../core/migrations/classify-migrations.ts';
import { redactText } from '../core/redact.ts';
import type { RunJournal } from '../core/run/journal.ts';
import { failedMigrations, migrationOutcomes } from '../core/run/outcome.ts';
import type { TimelineEntry } from '../schemas/record.ts';
import { saveJournal } from './journal-store.ts';
import type { RunContext } from './run-context.ts';

type PhaseName = 'preflight' | 'pre' | 'lint' | 'backup' | 'migrate' | 'post' | 'checks' | 'smoke';

/** What a phase that had nothing to do returns: it is timed as `skipped`, so nothing claims it was done. */
interface Skipped {
  skipped: string;
}

function done(journal: RunJournal, phase: PhaseName): boolean {
  return journal.timeline.some((t) => t.phase === phase);
}

/** Runs `fn` as a named phase: progress line, timing, timeline entry, journal saved after it. */
async function phase(ctx: RunContext, journal: RunJournal, name: PhaseName, label: string, fn: () => Promise<string | undefined | Skipped>): Promise<void> {
  if (done(journal, name)) return;
  ctx.signal.throwIfAborted();
  ctx.out.info(`▶ ${label}`);
  const startedAt = new Date().toISOString();
  const started = performance.now();
  try {
    const result = await fn();
    const skipped = typeof result === 'object';
    const detail = typeof result === 'object' ? result.skipped : result;
    const entry: TimelineEntry = {
      phase: name,
      startedAt,
      finishedAt: new Date().toISOString(),
      status: skipped ? 'skipped' : 'ok',
      ...(detail ? { detail: redactText(detail) } : {}),
    };
    journal.timeline.push(entry);
    ctx.out.info(`  ${skipped ? '–' : '✓'} ${label} (${formatDuration(performance.now() - started)})${detail ? `: ${detail}` : ''}`);
  } catch (error) {
    if (ctx.signal.aborted) throw ctx.signal.reason;
    const message = error instanceof Error ? error.message : String(error);
    journal.timeline.push({
      phase: name,
      startedAt,
      finishedAt: new Date().toISOString(),
      status: 'failed',
      detail: redactText(message.split('\n')[0] ?? message),
    });
    await saveJournal(ctx.stateDir, journal);
    throw error;
  }
  await saveJournal(ctx.stateDir, journal);
}

export async function preflight(ctx: RunContext, journal: RunJournal): Promise<void> {
  await phase(ctx, journal, 'preflight', 'pre-flight checks', async () => {
    if (process.env.CI === 'true' && !ctx.loaded.config.backup.copyTo) {
      ctx.out.warn(
        'running in CI with no backup.copyTo: the backup stays on this runner, which goes away after the job. Configure backup.copyTo for a durable copy',
      );
    }
    const client = await connect(ctx.db.target, { doing: `connecting to ${ctx.environment}` });
    let server: { version: string; versionNum: number; name: string; bytes: number };
    let systemIdentifier: string | null = null;
    try {
      const identity = await readServerIdentity(client);
      systemIdentifier = identity.systemIdentifier;
      const { rows } = await client.query<{ size: string }>('SELECT pg_database_size(current_database()) AS size');
      server = { version: identity.serverVersion, versionNum: identity.serverVersionNum, name: identity.database, bytes: Number(rows[0]!.size) };
    } finally {
      await client.end().catch(() => {});
    }
    journal.database.name = server.name;
    if (systemIdentifier) journal.database.systemIdentifier = systemIdentifier;
    await checkToolVersion('pg_dump', server);
    // A backup folder problem is the backup phase's to report: it files an aborted record, which needs the pre snapshot.
    const space = await mkdir(ctx.backupsDir, { recursive: true, mode: PRIVATE_DIR_MODE })
      .then(() => statfs(ctx.backupsDir))
      .then((fs) => `${formatBytes(fs.bavail * fs.bsize)} free for backups`)
      .catch((error: NodeJS.ErrnoException) => `backup folder unusable (${error.code ?? error.message})`);
    // Folders that already exist keep their mode (they may be shared on purpose), but nobody should learn that late.
    const loose = await looseFolderModes([
      { label: 'backup folder', path: ctx.backupsDir },
      { label: 'run state folder', path: ctx.stateDir },
    ]);
    for (const problem of loose) ctx.out.warn(problem);
    return `PostgreSQL ${server.version}, database ${server.name} (${formatBytes(server.bytes)}), ${space}${loose.length ? `; ${loose.length} folder(s) readable by other users` : ''}`;
  });
}

export async function capturePre(ctx: RunContext, journal: RunJournal, explicitMigrations: string[]): Promise<void> {
  await phase(ctx, journal, 'pre', 'pre-migration snapshot', async () => {
    journal.pre = await takeSnapshot(ctx.db.target, {
      mode: 'auto',
      capture: ctx.loaded.config.capture,
      migrationsDir: journal.migrationsDir,
      signal: ctx.signal,
    });
    if (explicitMigrations.length === 0) journal.migrations = pendingMigrations(journal.pre.migrations);
    const rows = journal.pre.tables.reduce((n, t) => n + t.rows, 0);
    return `${journal.pre.tables.length} tables, ${rows} rows, ${journal.pre.indexes.length} indexes; pending: ${journal.migrations.join(', ') || 'none'}`;
  });
}

/**
 * Prisma refuses to deploy while a migration is recorded as failed (P3009); a run refuses earlier, before
 * the backup, so nothing is taken or changed for a deploy that cannot go through.
 */
export function refuseFailedMigrations(journal: RunJournal): void {
  const failed = journal.pre ? failedMigrations(journal.pre.migrations) : [];
  if (failed.length === 0) return;
  throw new LogbookError(
    `the database already has ${failed.length === 1 ? 'a failed migration' : `${failed.length} failed migrations`}: ${failed.join(', ')}`,
    {
      code: 'E_FAILED_MIGRATION_PRESENT',
      outcome: 'stopped-before-change',
      hint: `Prisma will not deploy over it. Find out what it did, fix the database, then mark it with \`npx prisma migrate resolve --rolled-back ${failed[0]}\` (or \`--applied ${failed[0]}\` if it did complete), and run again`,
    },
  );
}

export async function lint(ctx: RunContext, journal: RunJournal): Promise<void> {
  await phase(ctx, journal, 'lint', 'lint of pending migrations', async () => {
    // What runs is what is pending in the folder; --migration names only label the record.
    const pending = journal.pre ? pendingMigrations(journal.pre.migrations) : [];
    if (!journal.migrationsDir || pending.length === 0) {
      journal.lint = [];
      return 'nothing pending to lint';
    }
    const result = await lintMigrations({
      migrationsDir: journal.migrationsDir,
      migrations: pending,
      snapshot: journal.pre ?? null,
      largeTableThreshold: ctx.loaded.config.lint.largeTableRows,
      excludeRules: ctx.loaded.config.lint.excludeRules,
      severity: ctx.loaded.config.lint.severity,
      acceptances: ctx.acceptLint,
      signal: ctx.signal,
    });
    journal.lint = result.findings;
    journal.locks = result.locks;
    journal.lintAcceptances = result.acceptances;
    for (const finding of journal.lint)
      ctx.out.info(
        `    ${finding.severity}${finding.accepted ? ' (accepted)' : ''}: ${finding.migration}:${finding.line} ${finding.rule} — ${finding.message}`,
      );
    for (const a of unusedAcceptances(journal.lint, result.acceptances))
      ctx.out.warn(`the acceptance of ${a.rule} for ${a.migration} (${a.source}) matches no finding`);
    for (const p of result.parseErrors) ctx.out.warn(`${p.migration}: PostgreSQL's parser rejected the file (${p.message}); its locks are unknown`);
    const refusal = gateRefusal(journal.lint, ctx.loaded.config.lint.failOn);
    if (refusal) throw new LogbookError(refusal.message, { code: 'E_LINT_GATE', outcome: 'stopped-before-change', hint: refusal.hint });
    const accepted = journal.lint.filter((f) => f.accepted).length;
    return `${journal.lint.length} finding(s)${accepted ? `, ${accepted} accepted` : ''}`;
  });
}

export async function backup(ctx: RunContext, journal: RunJournal): Promise<void> {
  await phase(ctx, journal, 'backup', 'verified backup', async () => {
    const settings = ctx.loaded.config.backup;
    const scratchUrl = settings.scratchDatabaseUrlEnv ? process.env[settings.scratchDatabaseUrlEnv] : undefined;
    if (settings.scratchDatabaseUrlEnv && !scratchUrl)
      throw new LogbookError(`${settings.scratchDatabaseUrlEnv} is not set`, {
        code: 'E_NO_DATABASE_URL',
        outcome: 'usage',
        hint: 'set it to the server that restore verification may use, or remove backup.scratchDatabaseUrlEnv',
      });
    journal.backup = await createBackup({
      url: ctx.db.target,
      dir: ctx.backupsDir,
      format: settings.format,
      jobs: settings.jobs,
      verify: settings.verify,
      scratchUrl,
      signal: ctx.signal,
      onProgress: (line, update) => {
        if (!update?.transient || !ctx.out.interactive) ctx.out.info(`    ${line}`);
      },
    });
    const copied = await copyBackup(ctx, journal, journal.backup);
    if (copied) journal.backup = { ...journal.backup, copiedTo: copied };
    return `${journal.backup.path} (${formatBytes(journal.backup.bytes)}, ${journal.backup.verification?.level ?? 'not'} verified)${copied ? `, copied to ${copied}` : ''}`;
  });
}

/**
 * backup.copyTo: a durable copy of the verified archive. The paths reach the command only as environment
 * variables, never as command text, so no file name can inject shell. A failed copy fails the backup gate:
 * on a runner that vanishes, a backup that is only on the runner is no backup.
 */
async function copyBackup(ctx: RunContext, journal: RunJournal, meta: NonNullable<RunJournal['backup']>): Promise<string | null> {
  const copyTo = ctx.loaded.config.backup.copyTo;
  if (!copyTo) return null;
  ctx.out.info(`    copying the backup: ${copyTo.command}`);
  const result = await runCommand([copyTo.command], {
    shell: true,
    cwd: ctx.loaded.baseDir,
    env: { ...process.env, LOGBOOK_BACKUP_ARCHIVE: meta.path, LOGBOOK_BACKUP_SIDECAR: sidecarPathOf(meta.path) },
    onLine: (line) => ctx.out.info(`    | ${line}`),
    signal: ctx.signal,
  });
  if (result.exitCode !== 0) {
    throw new LogbookError(`backup.copyTo failed (exit ${result.exitCode ?? result.signal}): the backup exists only at ${meta.path}`, {
      code: 'E_BACKUP_COPY',
      outcome: 'backup-failed',
      hint: 'fix the copy command (its output is above); the migration was not run',
    });
  }
  return copyLocation(copyTo.location, { file: basename(meta.path), environment: journal.environment, runId: journal.runId });
}

/** Runs a maintenance command in its own process group, journaled like the migration's. */
async function maintenanceCommand(ctx: RunContext, journal: RunJournal, which: 'enter' | 'leave', command: string): Promise<CommandResult> {
  ctx.out.info(`  maintenance ${which}: ${command}`);
  // Entering may be interrupted; leaving always runs to the end, so the application is never left down.
  const result = await runCommand([command], {
    shell: true,
    cwd: ctx.loaded.baseDir,
    onLine: (line) => ctx.out.info(`    | ${line}`),
    stopGraceMs: ctx.loaded.config.process.stopGraceMs,
    onStart: (pgid) => trackProcess(ctx, journal, pgid, `maintenance ${which}`),
    ...(which === 'enter' ? { signal: ctx.signal } : {}),
  });
  journal.process = null;
  return result;
}

/** Journals the process group now at work, so `resume`/`abort` know what must end before they may act. */
async function trackProcess(ctx: RunContext, journal: RunJournal, pgid: number, what: string): Promise<void> {
  journal.process = { pgid, host: hostname(), what };
  await saveJournal(ctx.stateDir, journal).catch(() => {});
}

async function enterMaintenance(ctx: RunContext, journal: RunJournal): Promise<boolean> {
  const command = ctx.envConfig?.maintenance?.enter;
  if (!command) return false;
  const startedAt = new Date().toISOString();
  // Recorded before the command runs: if this process dies now, resume and abort still leave maintenance.
  journal.maintenance = { enteredAt: startedAt };
  await saveJournal(ctx.stateDir, journal);
  const result = await maintenanceCommand(ctx, journal, 'enter', command);
  if (ctx.signal.aborted || result.exitCode !== 0) {
    journal.maintenance.enterFailed = ctx.signal.aborted ? 'interrupted' : `exit ${result.exitCode ?? result.signal}`;
    await leaveMaintenance(ctx, journal);
    if (ctx.signal.aborted) throw ctx.signal.reason;
    throw new LogbookError(`the maintenance enter command failed (exit ${result.exitCode ?? result.signal})`, {
      code: 'E_MAINTENANCE',
      outcome: 'stopped-before-change',
      hint: 'fix the maintenance command in the config; the migration was not run',
    });
  }
  return true;
}

/**
 * Leaves maintenance mode when this run entered it and has not left it. A failure is never thrown: it is
 * journaled (the record's status and exit code 14 follow from it) and announced so nobody misses it.
 */
export async function leaveMaintenance(ctx: RunContext, journal: RunJournal, late = false): Promise<void> {
  const state = journal.maintenance;
  const command = ctx.envConfig?.maintenance?.leave;
  if (!state?.enteredAt || state.leftAt) return;
  if (!command) {
    state.leaveFailed = 'no maintenance leave command is configured any more';
  } else {
    const result = await maintenanceCommand(ctx, journal, 'leave', command);
    if (result.exitCode === 0) {
      state.leftAt = result.finishedAt;
      delete state.leaveFailed;
      if (late) state.leftLate = command;
      // The runbook's maintenance steps count as done only when entering worked too.
      if (!state.enterFailed)
        journal.timeline.push({
          phase: 'maintenance',
          startedAt: state.enteredAt,
          finishedAt: state.leftAt,
          status: 'ok',
          detail: `downtime ${formatDuration(Date.parse(state.leftAt) - Date.parse(state.enteredAt))}`,
        });
    } else {
      state.leaveFailed = `\`${command}\` exited ${result.exitCode ?? result.signal}`;
    }
  }
  if (state.leaveFailed) {
    journal.timeline.push({
      phase: 'maintenance',
      startedAt: state.enteredAt,
      finishedAt: new Date().toISOString(),
      status: 'failed',
      detail: redactText(`leaving failed: ${state.leaveFailed}`),
    });
    ctx.out.warn(
      [
        '',
        '!!! THE APPLICATION IS STILL IN MAINTENANCE MODE !!!',
        `    leaving it failed: ${state.leaveFailed}`,
        '    leave maintenance mode by hand NOW, then check the application.',
        '',
      ].join('\n'),
    );
  }
  await saveJournal(ctx.stateDir, journal);
}

function downtimeMs(journal: RunJournal): number | null {
  const m = journal.maintenance;
  return m?.enteredAt && m.leftAt ? Date.parse(m.leftAt) - Date.parse(m.enteredAt) : null;
}

/** What the migration did to each pending migration, read back from the database; unknown (and said so) when it cannot be read. */
export async function readBackOutcomes(ctx: RunContext, journal: RunJournal): Promise<void> {
  const pending = journal.pre ? pendingMigrations(journal.pre.migrations) : [];
  try {
    const rows = await readMigrationRowsAfter(ctx.db.target, ctx.loaded.config.capture);
    if (rows === null) return;
    journal.migrationOutcomes = migrationOutcomes(pending, rows, journal.pre?.migrations).map((m) => (m.logs ? { ...m, logs: redactText(m.logs) } : m));
    const failed = journal.migrationOutcomes.find((m) => m.outcome === 'failed');
    if (failed) ctx.out.info(`  ✗ ${failed.name} failed${failed.logs ? `:\n    ${failed.logs.split('\n').slice(-6).join('\n    ')}` : ''}`);
  } catch (error) {
    ctx.out.warn(`could not read _prisma_migrations after the migration: ${(error as Error).message}`);
  }
  await saveJournal(ctx.stateDir, journal);
}

export async function migrate(ctx: RunContext, journal: RunJournal, command: string[]): Promise<void> {
  if (journal.execution) return;
  if (journal.migrateStartedAt) {
    // The process that ran the migration died before seeing it end: leave maintenance if it was entered,
    // say the outcome was not observed rather than guess, and read back what the database says.
    await leaveMaintenance(ctx, journal, true);
    const now = new Date().toISOString();
    journal.execution = {
      command: journal.command,
      startedAt: journal.migrateStartedAt,
      finishedAt: now,
      durationMs: Date.parse(now) - Date.parse(journal.migrateStartedAt),
      exitCode: null,
      signal: 'unobserved',
      outputTail:
        'The logbook process ended while the migration command was running, so its exit code and output were not observed. Check the per-migration outcomes, the post-migration snapshot and migration status below.',
      downtimeMs: downtimeMs(journal),
    };
    journal.process = null;
    journal.timeline.push({
      phase: 'migrate',
      startedAt: journal.migrateStartedAt,
      finishedAt: now,
      status: 'failed',
      detail: 'interrupted: outcome not observed',
    });
    await saveJournal(ctx.stateDir, journal);
    await readBackOutcomes(ctx, journal);
    return;
  }
  ctx.signal.throwIfAborted();
  // From entering maintenance mode to leaving it, a second Ctrl-C must not skip the way out.
  return ctx.critical(() => runMigration(ctx, journal, command));
}

async function runMigration(ctx: RunContext, journal: RunJournal, command: string[]): Promise<void> {
  await enterMaintenance(ctx, journal);
  let result: CommandResult;
  try {
    ctx.signal.throwIfAborted();
    journal.migrateStartedAt = new Date().toISOString();
    await saveJournal(ctx.stateDir, journal);
    ctx.out.info(`▶ migration: ${journal.command.join(' ')}`);
    result = await runCommand(command, {
      env: { ...process.env, DATABASE_URL: ctx.db.url },
      cwd: ctx.appRepo ?? process.cwd(),
      onLine: (line) => ctx.out.info(`  | ${line}`),
      signal: ctx.signal,
      stopGraceMs: ctx.loaded.config.process.stopGraceMs,
      onStart: (pgid) => trackProcess(ctx, journal, pgid, 'migration'),
    });
    journal.process = null;
  } finally {
    await leaveMaintenance(ctx, journal);
  }
  journal.execution = {
    command: journal.command,
    startedAt: result.startedAt,
    finishedAt: result.finishedAt,
    durationMs: result.durationMs,
    exitCode: result.exitCode,
    signal: result.signal,
    outputTail: redactText(result.outputTail),
    downtimeMs: downtimeMs(journal),
  };
  const ok = result.exitCode === 0;
  journal.timeline.push({
    phase: 'migrate',
    startedAt: result.startedAt,
    finishedAt: result.finishedAt,
    status: ok ? 'ok' : 'failed',
    detail: result.spawnError ? `could not start: ${result.spawnError}` : `exit ${result.exitCode ?? result.signal}`,
  });
  await saveJournal(ctx.stateDir, journal);
  ctx.out.info(
    ok
      ? `  ✓ migration finished in ${formatDuration(result.durationMs)}`
      : `  ✗ migration failed (exit ${result.exitCode ?? result.signal}) after ${formatDuration(result.durationMs)}`,
  );
  if (ctx.signal.aborted) throw ctx.signal.reason;
  await readBackOutcomes(ctx, journal);
}

/** Post-migration phases never stop the record from being filed: a failure is noted and the run goes on. */
async function tolerant(ctx: RunContext, fn: () => Promise<void>): Promise<void> {
  try {
    await fn();
  } catch (error) {
    if (ctx.signal.aborted) throw ctx.signal.reason;
    ctx.out.warn(`${(error as Error).message} — continuing so the record is filed`);
  }
}

export async function capturePost(ctx: RunContext, journal: RunJournal): Promise<void> {
  await tolerant(ctx, () =>
    phase(ctx, journal, 'post', 'post-migration snapshot', async () => {
      journal.post = await takeSnapshot(ctx.db.target, {
        mode: 'auto',
        capture: ctx.loaded.config.capture,
        migrationsDir: journal.migrationsDir,
        signal: ctx.signal,
      });
      const diff = journal.pre ? diffSnapshots(journal.pre, journal.post, ctx.loaded.config.anomalies) : null;
      return diff
        ? `${diff.tables.filter((t) => t.change !== 'unchanged').length} table(s) changed, ${diff.indexesAdded.length} index(es) added, ${diff.migrationsApplied.length} migration(s) applied`
        : undefined;
    }),
  );
}

export async function checks(ctx: RunContext, journal: RunJournal): Promise<void> {
  await tolerant(ctx, () =>
    phase(ctx, journal, 'checks', 'integrity checks', async () => {
      const config = ctx.loaded.config;
      const results = await runIntegrityChecks(ctx.db.target, {
        checks: config.checks,
        softReferences: config.softReferences,
        statementTimeoutMs: config.capture.statementTimeoutMs,
        lockTimeoutMs: config.capture.lockTimeoutMs,
      });
      if (journal.pre && journal.post) results.push(...anomalyChecks(diffSnapshots(journal.pre, journal.post, config.anomalies)));
      journal.checks = [...(journal.checks ?? []).filter((c) => c.kind === 'smoke'), ...results];
      for (const r of results) ctx.out.info(`    ${r.status.padEnd(4)} ${r.name}: ${r.detail}`);
      return `${results.filter((r) => r.status === 'pass').length}/${results.length} passed`;
    }),
  );
}

export async function smoke(ctx: RunContext, journal: RunJournal): Promise<void> {
  await tolerant(ctx, () =>
    phase(ctx, journal, 'smoke', 'smoke checks', async () => {
      const baseEnv = ctx.envConfig?.smokeBaseUrlEnv;
      const baseUrl = baseEnv ? process.env[baseEnv] : undefined;
      if (baseEnv && !baseUrl) ctx.out.warn(`${baseEnv} is not set: relative smoke check URLs will fail`);
      const results = await runSmokeChecks(ctx.loaded.config.smoke, baseUrl);
      journal.checks = [...(journal.checks ?? []).filter((c) => c.kind !== 'smoke'), ...results];
      for (const r of results) ctx.out.info(`    ${r.status.padEnd(4)} ${r.name}: ${r.detail}`);
      return results.length ? `${results.filter((r) => r.status === 'pass').length}/${results.length} passed` : { skipped: 'none configured' };
    }),
  );
}
