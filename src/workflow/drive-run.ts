// Drives a run through its phases for `run`, `start`, `finish`, `resume` and `abort`; decides the
// exit code; on Ctrl-C leaves the journal (and the lock) for `resume` or `abort`.
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { gitIdentity, readProvenance, resolvePerformer } from '../adapters/git/provenance.ts';
import { groupAlive, groupMembers } from '../adapters/process/process-group.ts';
import { LogbookError } from '../core/errors.ts';
import type { Outcome } from '../core/errors.ts';
import { redactText } from '../core/redact.ts';
import type { RunJournal } from '../core/run/journal.ts';
import { toolChecklist } from '../core/run/checklist.ts';
import { outcomeOfRecord } from '../core/run/outcome.ts';
import { buildRunContext, noChecklist, type ChecklistSource, type RunFlags, type RunHooks } from './run-context.ts';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { loadConfig } from '../adapters/fs/config-file.ts';
import type { Output } from '../core/output.ts';
import type { RecordStatus } from '../schemas/record.ts';
import { commitFiledRecord, fileRecord } from './file-record.ts';
import { listJournals, loadJournal, saveJournal } from './journal-store.ts';
import { checkCanCommit } from '../adapters/git/publish-records.ts';
import { detachRunLock, mirrorJournal, readDatabaseHolder, releaseRunLock, takeRunLock } from './run-lock.ts';
import {
  backup,
  capturePost,
  capturePre,
  checks,
  leaveMaintenance,
  lint,
  migrate,
  preflight,
  readBackOutcomes,
  refuseFailedMigrations,
  smoke,
} from './phases.ts';
import type { RunContext } from './run-context.ts';

/** What `findOpenRun` needs of the database's lock row. */
export interface LockHolderJournal {
  runId: string;
  journal: unknown;
}

/** The lock row of the run's database, for `findOpenRun` (null when unreachable: the local journals are all there is). */
export function databaseRunReader(ctx: { db: RunContext['db']; envConfig: RunContext['envConfig'] }): () => Promise<LockHolderJournal | null> {
  return () => readDatabaseHolder(ctx.db.url, ctx.envConfig).catch(() => null);
}

/**
 * The run a `finish`, `resume` or `abort` continues, and its context: from this machine's journals, else from
 * the lock row of the database (a run started on another machine or CI runner).
 */
export async function openRun(
  flags: RunFlags & { run?: string | undefined },
  out: Output,
  signal: AbortSignal,
  hooks: RunHooks,
): Promise<{ ctx: RunContext; journal: RunJournal }> {
  const stateDir = loadConfig(flags.config).path('state');
  const fromDatabase = async (): Promise<LockHolderJournal | null> => {
    try {
      return await databaseRunReader(buildRunContext(flags, out, signal, hooks))();
    } catch {
      return null;
    }
  };
  // A database holds at most one open run: without --run, the one its lock row names is the run meant, whatever
  // stale journals of runs closed elsewhere this machine still has.
  const held = flags.run ? null : await fromDatabase();
  const runId = flags.run ?? held?.runId;
  const journal = await findOpenRun(stateDir, runId, flags.env, async () => held ?? (await fromDatabase()));
  // The journal may come from another machine: its migrations folder is used only where it exists here.
  const migrations = flags.migrations ?? (journal.migrationsDir && existsSync(journal.migrationsDir) ? journal.migrationsDir : undefined);
  return { ctx: buildRunContext({ ...flags, env: journal.environment, migrations }, out, signal, hooks), journal };
}

export interface NewRunOptions {
  mode: 'run' | 'step';
  migrations: string[];
  command: string[];
  by?: string | undefined;
}

function newRunId(environment: string): string {
  const stamp = new Date().toISOString().replace(/[-:T]/g, '').slice(0, 14);
  return `${environment}-${stamp}-${randomBytes(2).toString('hex')}`;
}

export async function createRun(ctx: RunContext, options: NewRunOptions): Promise<RunJournal> {
  const runId = newRunId(ctx.environment);
  // Pre-flight, before anything touches the database: the record this run files must be committable.
  if (ctx.commit) {
    // A fresh clone has no records folder yet (git keeps no empty folders): it is where the record will go.
    await mkdir(ctx.recordsDir, { recursive: true });
    await checkCanCommit(ctx.recordsDir);
  }
  await takeRunLock(ctx, runId);
  try {
    const journal = await newJournal(ctx, runId, options);
    await mirrorJournal(ctx, journal);
    return journal;
  } catch (error) {
    // Without a journal nobody could resume or abort this run: do not leave its lock behind.
    await releaseRunLock(ctx);
    throw error;
  }
}

/** The identity that will commit the record, when it is someone else than the performer (a CI bot). */
async function committerUnlessPerformer(recordsDir: string, by: string | undefined, appRepo: string | null): Promise<RunJournal['committedBy']> {
  const committer = await gitIdentity(recordsDir);
  const performer = await resolvePerformer(by, appRepo);
  if (!committer || (committer.name === performer.name && committer.email === performer.email)) return undefined;
  return committer;
}

async function newJournal(ctx: RunContext, runId: string, options: NewRunOptions): Promise<RunJournal> {
  const redactedCommand = options.command.map(redactText);
  const journal: RunJournal = {
    version: 1,
    runId,
    environment: ctx.environment,
    mode: options.mode,
    state: 'in-progress',
    pid: process.pid,
    createdAt: new Date().toISOString(),
    updatedAt: new Date().toISOString(),
    database: { redacted: ctx.db.redacted, name: '', source: ctx.db.source },
    migrations: options.migrations,
    command: redactedCommand,
    commandHadSecrets: redactedCommand.some((arg, i) => arg !== options.command[i]),
    performedBy: await resolvePerformer(options.by, ctx.appRepo),
    committedBy: ctx.commit ? await committerUnlessPerformer(ctx.recordsDir, options.by, ctx.appRepo) : undefined,
    code: ctx.appRepo ? await readProvenance(ctx.appRepo) : null,
    migrationsDir: ctx.migrationsDir,
    runbook: ctx.runbook ? { slug: ctx.runbookSlug, version: ctx.runbook.frontmatter.version } : null,
    timeline: [],
  };
  await saveJournal(ctx.stateDir, journal);
  ctx.out.info(`run ${runId} on ${ctx.environment} (${ctx.db.redacted})`);
  return journal;
}

/**
 * Find the run a `finish`/`resume`/`abort` means: --run, else the environment's only unfinished run. A run
 * started on another machine is read from the database's lock row (`fromDatabase`), and its journal kept
 * here from then on.
 */
export async function findOpenRun(
  stateDir: string,
  runId: string | undefined,
  environment: string | undefined,
  fromDatabase?: () => Promise<LockHolderJournal | null>,
): Promise<RunJournal> {
  const remote = async (): Promise<RunJournal | null> => {
    const held = fromDatabase ? await fromDatabase() : null;
    // A rollback's or restore's journal is not a run's: `resume` and `abort` look for those first (interrupted-swap.ts).
    if (!held?.journal || (runId && held.runId !== runId) || /^(rollback|restore)-/.test(held.runId)) return null;
    const journal = held.journal as RunJournal;
    if (environment && journal.environment !== environment) return null;
    await saveJournal(stateDir, journal);
    return journal;
  };
  if (runId) {
    try {
      return await loadJournal(stateDir, runId);
    } catch (error) {
      if (!(error instanceof LogbookError) || error.code !== 'E_NO_RUN') throw error;
      const found = await remote();
      if (found) return found;
      throw error;
    }
  }
  const open = (await listJournals(stateDir)).filter(
    (j) => (j.state === 'in-progress' || j.state === 'awaiting-finish') && (!environment || j.environment === environment),
  );
  if (open.length === 1) return open[0]!;
  if (open.length === 0) {
    const found = await remote();
    if (found) return found;
  }
  throw new LogbookError(open.length === 0 ? 'no unfinished run' : `${open.length} unfinished runs: say which with --run`, {
    code: 'E_NO_RUN',
    outcome: 'usage',
    hint: open.length ? open.map((j) => `${j.runId} (${j.environment}, ${j.state})`).join('; ') : 'start one with `logbook run` or `logbook start`',
  });
}

/** Pre-migration phases. A failed backup (or anything before the migration) files an aborted record. */
async function beforeMigration(ctx: RunContext, journal: RunJournal): Promise<boolean> {
  try {
    await preflight(ctx, journal);
    await capturePre(ctx, journal, journal.migrations);
    refuseFailedMigrations(journal);
    await lint(ctx, journal);
    await backup(ctx, journal);
    return true;
  } catch (error) {
    if (ctx.signal.aborted || !(error instanceof LogbookError) || !journal.pre) throw error;
    // Without a pre snapshot there is nothing to record; the error alone says what to fix.
    journal.status = 'aborted';
    journal.abortReason = redactText(error.message);
    ctx.out.info(`✗ ${error.message}${error.hint ? `\n  next: ${error.hint}` : ''}\n  the migration was NOT run; filing an aborted record`);
    return false;
  }
}

async function afterMigration(ctx: RunContext, journal: RunJournal): Promise<void> {
  // A run interrupted after its migration ended (or one run by hand) has not read the outcomes back yet.
  if (journal.execution && !journal.migrationOutcomes) await readBackOutcomes(ctx, journal);
  await capturePost(ctx, journal);
  await checks(ctx, journal);
  await smoke(ctx, journal);
}

async function finishAndFile(ctx: RunContext, journal: RunJournal, checklist: ChecklistSource): Promise<Outcome> {
  // Asked last, when the person knows what they did (and `--interactive` prompts only once the work is done).
  const doneByTool = toolChecklist(ctx.runbook?.steps ?? [], journal.timeline).map((entry) => entry.stepId);
  const { record, file } = await fileRecord(ctx, journal, await checklist(doneByTool));
  // The run is over once its record is on disk: free the environment before anything else can fail.
  await releaseRunLock(ctx);
  const committed = await commitFiledRecord(ctx, journal, record, file);
  return outcomeOfRecord(record.status, journal, committed);
}

/**
 * A run whose migration (or maintenance) command outlived the process that started it — kill -9, a
 * crash — must not be resumed or closed while that command may still be writing.
 */
function refuseWhileProcessLives(journal: RunJournal): void {
  const running = journal.process;
  if (!running) return;
  if (running.host !== hostname()) {
    throw new LogbookError(`run ${journal.runId} had its ${running.what} running on host ${running.host} (process group ${running.pgid})`, {
      code: 'E_RUN_ELSEWHERE',
      outcome: 'locked',
      hint: `resume or abort it on ${running.host}, where it can be checked that the command has ended`,
    });
  }
  if (!groupAlive(running.pgid)) return;
  const members = groupMembers(running.pgid);
  throw new LogbookError(
    `the ${running.what} of run ${journal.runId} is still running (process group ${running.pgid}${members.length ? `: ${members.join('; ')}` : ''})`,
    {
      code: 'E_RUN_PROCESS_ALIVE',
      outcome: 'locked',
      hint: `wait for it to end, or stop it with \`kill -TERM -- -${running.pgid}\`, then run this again`,
    },
  );
}

/**
 * Before the migration started, nothing was changed: the run is closed as aborted (record filed when a
 * snapshot exists, lock released). Once it started, the journal and the lock stay, so nobody starts on a
 * half-done migration, and the message says how to resume or abort.
 */
async function interrupted(ctx: RunContext, journal: RunJournal, error: unknown): Promise<never> {
  const reason = error instanceof Error ? error.message : String(error);
  const outcome = error instanceof LogbookError ? error.outcome : 'interrupted';
  const interruptedByUser = ctx.signal.aborted;
  if (journal.state === 'filed') {
    // The record is written: nothing is left to resume, so the environment must not stay locked.
    await releaseRunLock(ctx);
    throw error;
  }
  if (!journal.migrateStartedAt && !journal.execution && journal.state === 'in-progress') {
    journal.status = 'aborted';
    journal.abortReason = redactText(`${reason} (before the migration ran)`);
    // Committed like any record: an aborted record left uncommitted would block the next run's pre-flight.
    const filed = journal.pre
      ? await fileRecord(ctx, journal, null).then(
          async ({ record, file }) => {
            await commitFiledRecord(ctx, journal, record, file);
            return true;
          },
          () => false,
        )
      : false;
    if (!filed) {
      journal.state = 'aborted';
      await saveJournal(ctx.stateDir, journal).catch(() => {});
    }
    await releaseRunLock(ctx);
    throw new LogbookError(`run ${journal.runId} stopped before the migration ran: ${reason}`, {
      code: 'E_RUN_STOPPED',
      outcome: interruptedByUser ? 'interrupted' : outcome,
      hint: filed
        ? 'nothing was changed; an aborted record was filed and the environment is free again'
        : 'nothing was changed and the environment is free again',
      cause: error,
    });
  }
  journal.pid = null;
  await saveJournal(ctx.stateDir, journal).catch(() => {});
  await detachRunLock(ctx, journal.state === 'awaiting-finish' ? 'finish' : 'resume', journal);
  throw new LogbookError(`run ${journal.runId} stopped: ${reason}`, {
    code: 'E_RUN_STOPPED',
    outcome: interruptedByUser ? 'interrupted' : outcome,
    hint: `everything captured so far is kept. Continue with \`logbook resume --run ${journal.runId}\`, or close it with \`logbook abort --run ${journal.runId}\``,
    cause: error,
  });
}

export async function runAll(ctx: RunContext, journal: RunJournal, command: string[], checklist: ChecklistSource): Promise<Outcome> {
  try {
    if (await beforeMigration(ctx, journal)) {
      await mirrorJournal(ctx, journal);
      await migrate(ctx, journal, command);
      await mirrorJournal(ctx, journal);
      await afterMigration(ctx, journal);
    }
    return await finishAndFile(ctx, journal, checklist);
  } catch (error) {
    return interrupted(ctx, journal, error);
  }
}

export async function startOnly(ctx: RunContext, journal: RunJournal): Promise<Outcome> {
  try {
    if (!(await beforeMigration(ctx, journal))) return await finishAndFile(ctx, journal, noChecklist);
    journal.state = 'awaiting-finish';
    journal.pid = null;
    journal.migrateStartedAt = new Date().toISOString();
    await saveJournal(ctx.stateDir, journal);
    await detachRunLock(ctx, 'finish', journal);
    ctx.out.info(`✓ ready: run the migration now, then \`logbook finish --run ${journal.runId}\``);
    return 'success';
  } catch (error) {
    return interrupted(ctx, journal, error);
  }
}

export async function finishStep(
  ctx: RunContext,
  journal: RunJournal,
  options: { status?: RecordStatus | undefined; exitCode?: number | undefined; checklist: ChecklistSource },
): Promise<Outcome> {
  if (journal.state !== 'awaiting-finish') {
    const next =
      journal.state === 'in-progress'
        ? `it was interrupted: \`logbook resume --run ${journal.runId}\` or \`logbook abort --run ${journal.runId}\``
        : 'nothing to finish';
    throw new LogbookError(`run ${journal.runId} is not waiting for \`finish\` (it is ${journal.state})`, { code: 'E_USAGE', outcome: 'usage', hint: next });
  }
  await takeRunLock(ctx, journal.runId, { adopt: true });
  journal.pid = process.pid;
  journal.state = 'in-progress';
  try {
    if (!journal.execution) {
      // The migration ran by hand between `start` and `finish`: its window is all we can time.
      const now = new Date().toISOString();
      const startedAt = journal.migrateStartedAt ?? now;
      journal.execution = {
        command: journal.command.length ? journal.command : ['(run by hand)'],
        startedAt,
        finishedAt: now,
        durationMs: Date.parse(now) - Date.parse(startedAt),
        exitCode: options.exitCode ?? (options.status === 'failed' ? 1 : 0),
        signal: null,
        outputTail: 'Run by hand between `logbook start` and `logbook finish`; the duration spans that window.',
        downtimeMs: null,
      };
      journal.timeline.push({
        phase: 'migrate',
        startedAt,
        finishedAt: now,
        status: journal.execution.exitCode === 0 ? 'ok' : 'failed',
        detail: 'run by hand',
      });
    }
    if (options.status) journal.status = options.status;
    await saveJournal(ctx.stateDir, journal);
    await afterMigration(ctx, journal);
    return await finishAndFile(ctx, journal, options.checklist);
  } catch (error) {
    return interrupted(ctx, journal, error);
  }
}

export async function resumeRun(
  ctx: RunContext,
  journal: RunJournal,
  options: { command: string[]; status?: RecordStatus | undefined; checklist: ChecklistSource },
): Promise<Outcome> {
  if (journal.state === 'awaiting-finish') {
    throw new LogbookError(`run ${journal.runId} waits for the migration to be run by hand`, {
      code: 'E_USAGE',
      outcome: 'usage',
      hint: `use \`logbook finish --run ${journal.runId}\``,
    });
  }
  if (journal.state !== 'in-progress') {
    throw new LogbookError(`run ${journal.runId} is already ${journal.state}`, {
      code: 'E_USAGE',
      outcome: 'usage',
      hint: journal.recordPath ? `its record: ${journal.recordPath}` : 'nothing to resume',
    });
  }
  refuseWhileProcessLives(journal);
  await takeRunLock(ctx, journal.runId, { adopt: true });
  journal.pid = process.pid;
  const command = options.command.length ? options.command : journal.command;
  if (!journal.migrateStartedAt && !journal.execution && (journal.commandHadSecrets || command.length === 0) && options.command.length === 0) {
    throw new LogbookError('the migration command held a secret, so it was not kept', {
      code: 'E_USAGE',
      outcome: 'usage',
      hint: `give it again: logbook resume --run ${journal.runId} -- <command>`,
    });
  }
  ctx.out.info(`resuming run ${journal.runId}: done so far — ${journal.timeline.map((t) => `${t.phase} ${t.status}`).join(', ') || 'nothing'}`);
  try {
    if (journal.status !== 'aborted' && (await beforeMigration(ctx, journal))) {
      await mirrorJournal(ctx, journal);
      await migrate(ctx, journal, command);
      await mirrorJournal(ctx, journal);
      if (options.status) journal.status = options.status;
      await afterMigration(ctx, journal);
    }
    return await finishAndFile(ctx, journal, options.checklist);
  } catch (error) {
    return interrupted(ctx, journal, error);
  }
}

export async function abortRun(ctx: RunContext, journal: RunJournal, reason: string): Promise<Outcome> {
  if (journal.state === 'filed' || journal.state === 'aborted') {
    throw new LogbookError(`run ${journal.runId} is already ${journal.state}`, { code: 'E_USAGE', outcome: 'usage' });
  }
  refuseWhileProcessLives(journal);
  await takeRunLock(ctx, journal.runId, { adopt: true });
  if (!journal.pre) {
    // Nothing was captured: close the run without a record.
    journal.state = 'aborted';
    await saveJournal(ctx.stateDir, journal);
    await releaseRunLock(ctx);
    ctx.out.info(`run ${journal.runId} closed; nothing had been captured, so no record was filed`);
    return 'stopped-before-change';
  }
  journal.abortReason = reason;
  if (journal.mode === 'step' && !journal.execution) {
    // Step by step, the migration is run by hand after `start`: whether it ran is what the database says.
    await readBackOutcomes(ctx, journal);
    const touched = journal.migrationOutcomes?.some((m) => m.outcome !== 'not-run') ?? true;
    if (touched) await capturePost(ctx, journal);
    journal.status = touched ? 'interrupted' : 'aborted';
  } else if (journal.migrateStartedAt || journal.execution) {
    // The migration started: the database may have changed. Leave maintenance if it was entered, read back
    // what each migration did and capture the state now, so the record says what is known.
    if (!journal.execution) await migrate(ctx, journal, []);
    else await leaveMaintenance(ctx, journal, true);
    await capturePost(ctx, journal);
    journal.status = 'interrupted';
  } else {
    journal.status = 'aborted';
  }
  const { record, file } = await fileRecord(ctx, journal, null);
  await releaseRunLock(ctx);
  const committed = await commitFiledRecord(ctx, journal, record, file);
  const outcome = outcomeOfRecord(record.status, journal, true);
  return outcome === 'stopped-before-change' && !committed ? 'not-committed' : outcome;
}
