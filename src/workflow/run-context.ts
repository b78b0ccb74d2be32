// Everything a run needs to know before it starts, resolved once from flags, config and environment.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadConfig, type LoadedConfig } from '../adapters/fs/config-file.ts';
import { resolveDatabaseUrl, type ResolvedDatabase } from './database-url.ts';
import { LogbookError } from '../core/errors.ts';
import { resolveMigrationsDir } from './migrations-dir.ts';
import type { Output } from '../core/output.ts';
import { checklistExportSchema, type ChecklistExport } from '../core/run/checklist.ts';
import { formatProblem, problemsFromZod } from '../core/problems.ts';
import { parseRunbook, type ParsedRunbook } from '../core/runbook/parse-runbook.ts';
import { environmentNameSchema, type EnvironmentConfig } from '../schemas/config.ts';
import type { RunbookStep } from '../schemas/runbook.ts';
import type { LintAcceptance } from '../schemas/findings.ts';
import { parseAcceptFlag } from '../core/lint/gate.ts';
import { parseDuration } from '../core/duration.ts';
import type { HeldLock } from '../adapters/pg/environment-lock.ts';

export interface RunContext {
  loaded: LoadedConfig;
  environment: string;
  envConfig: EnvironmentConfig | undefined;
  db: ResolvedDatabase;
  migrationsDir: string | null;
  appRepo: string | null;
  runbook: ParsedRunbook | null;
  runbookSlug: string;
  stateDir: string;
  recordsDir: string;
  backupsDir: string;
  commit: boolean;
  /** Push the committed record to the records remote (`git.push` or --push); implies commit. */
  push: boolean;
  /** --wait: how long to wait for a run elsewhere to free the database; 0 refuses at once (exit 13). */
  waitMs: number;
  /** The environment lock while this process holds it (in the target database). */
  lock: HeldLock | null;
  /** --accept-lint: findings accepted for this run, per migration and rule, with a reason. */
  acceptLint: LintAcceptance[];
  out: Output;
  signal: AbortSignal;
  /** Runs work a second Ctrl-C must not cut short (leaving maintenance, stopping the migration command). */
  critical: CriticalSection;
  /** Asks a person about runbook steps (`--interactive`). */
  promptChecklist: ChecklistPrompt;
}

/** Work that must finish even when a second Ctrl-C arrives; the CLI supplies it, since it owns the signal handler. */
export type CriticalSection = <T>(fn: () => Promise<T>) => Promise<T>;

export type ChecklistPrompt = (steps: RunbookStep[], runbook: { slug: string; version: string }) => Promise<ChecklistExport>;

/** What the terminal lends a run: passed in by the commands (src/cli/run-hooks.ts), so the workflow never imports the CLI. */
export interface RunHooks {
  critical: CriticalSection;
  promptChecklist: ChecklistPrompt;
}

export interface RunFlags {
  env?: string | undefined;
  db?: string | undefined;
  'db-env'?: string | undefined;
  config?: string | undefined;
  'app-repo'?: string | undefined;
  migrations?: string | undefined;
  commit?: boolean | undefined;
  push?: boolean | undefined;
  wait?: string | undefined;
  'accept-lint'?: string[] | undefined;
}

export function buildRunContext(flags: RunFlags, out: Output, signal: AbortSignal, hooks: RunHooks): RunContext {
  const loaded = loadConfig(flags.config);
  const configured = Object.keys(loaded.config.environments);
  const environment = flags.env ?? (configured.length === 1 ? configured[0]! : undefined);
  if (!environment) {
    throw new LogbookError('which environment? pass --env NAME', {
      code: 'E_USAGE',
      outcome: 'usage',
      hint: configured.length ? `configured: ${configured.join(', ')}` : 'e.g. --env production (records and locks are kept per environment)',
    });
  }
  if (!environmentNameSchema.safeParse(environment).success) {
    // The name becomes part of lock, journal and record file names: it must never walk a path.
    throw new LogbookError(`"${environment}" is not an environment name`, {
      code: 'E_USAGE',
      outcome: 'usage',
      hint: 'environment names start with a lowercase letter, then lowercase letters, digits or "-" (at most 63), e.g. production',
    });
  }
  const envConfig = Object.hasOwn(loaded.config.environments, environment) ? loaded.config.environments[environment] : undefined;
  // An environment named on the command line but not configured is fine with --db or DATABASE_URL.
  const db = resolveDatabaseUrl({ db: flags.db, dbEnv: flags['db-env'], env: envConfig ? environment : undefined, loaded });
  const migrations = resolveMigrationsDir({ flag: flags.migrations, env: envConfig ? environment : undefined, loaded });
  if (migrations.explicit && !existsSync(migrations.dir)) {
    throw new LogbookError(`migrations folder not found: ${migrations.dir}`, {
      code: 'E_USAGE',
      outcome: 'usage',
      hint: 'check --migrations or the environment appRepo/migrationsDir',
    });
  }
  const appRepo = flags['app-repo'] ? resolve(flags['app-repo']) : envConfig?.appRepo ? resolve(loaded.baseDir, envConfig.appRepo) : null;
  const acceptLint = (flags['accept-lint'] ?? []).map((value) => {
    const parsed = parseAcceptFlag(value);
    if ('problem' in parsed)
      throw new LogbookError(parsed.problem, {
        code: 'E_USAGE',
        outcome: 'usage',
        hint: 'e.g. --accept-lint 20250101000000_drop_legacy:ban-drop-column="the column is unused since v2.3"',
      });
    return parsed;
  });
  const waitMs = parseWaitFlag(flags.wait);
  const runbookSlug = loaded.config.runbook;
  const runbookFile = join(loaded.path('runbooks'), `${runbookSlug}.mdx`);
  const runbook = existsSync(runbookFile) ? parseRunbook(readFileSync(runbookFile, 'utf8'), runbookFile) : null;
  if (!runbook) out.warn(`runbook ${runbookFile} not found: the record will not link to a runbook`);
  return {
    loaded,
    environment,
    envConfig,
    db,
    migrationsDir: existsSync(migrations.dir) ? migrations.dir : null,
    appRepo,
    runbook,
    runbookSlug,
    stateDir: loaded.path('state'),
    recordsDir: loaded.path('records'),
    backupsDir: loaded.path('backups'),
    commit: flags.commit === true || flags.push === true || loaded.config.commit || loaded.config.git.push,
    push: flags.push === true || loaded.config.git.push,
    waitMs,
    lock: null,
    acceptLint,
    out,
    signal,
    critical: hooks.critical,
    promptChecklist: hooks.promptChecklist,
  };
}

/** --wait DURATION as milliseconds (0 without the flag). */
export function parseWaitFlag(value: string | undefined): number {
  if (value === undefined) return 0;
  const ms = parseDuration(value);
  if (ms === null) throw new LogbookError(`--wait takes a duration, not "${value}"`, { code: 'E_USAGE', outcome: 'usage', hint: 'e.g. --wait 30s, --wait 5m' });
  return ms;
}

/** What a person reports about the runbook's manual steps, asked for when the record is about to be filed. */
export type ChecklistSource = (doneByTool: string[]) => Promise<ChecklistExport | null>;

export const noChecklist: ChecklistSource = async () => null;

/** `--checklist FILE` (read now, so a bad file fails before anything runs) or `--interactive` (asked at the end). */
export function checklistSource(flags: { checklist?: string | undefined; interactive?: boolean | undefined }, ctx: RunContext): ChecklistSource {
  if (flags.checklist && flags.interactive)
    throw new LogbookError('--checklist and --interactive both say which steps were done', { code: 'E_USAGE', outcome: 'usage', hint: 'use one of them' });
  if (flags.interactive) {
    const runbook = ctx.runbook;
    if (!runbook)
      throw new LogbookError('--interactive needs the runbook, which was not found', {
        code: 'E_USAGE',
        outcome: 'usage',
        hint: 'check paths.runbooks and runbook in the config',
      });
    // Every step this run did not do itself is the person's: manual ones, and automated ones it was not configured for.
    return (doneByTool) =>
      ctx.promptChecklist(
        runbook.steps.filter((s) => !doneByTool.includes(s.id)),
        { slug: ctx.runbookSlug, version: runbook.frontmatter.version },
      );
  }
  const fromFile = readChecklistFile(flags.checklist);
  return async () => fromFile;
}

export function readChecklistFile(file: string | undefined): ChecklistExport | null {
  if (!file) return null;
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new LogbookError(`cannot read the checklist ${file}`, {
      code: 'E_USAGE',
      outcome: 'usage',
      cause: error,
      hint: 'export it from the runbook page ("Export checklist")',
    });
  }
  const parsed = checklistExportSchema.safeParse(raw);
  if (!parsed.success) {
    throw new LogbookError(`invalid checklist:\n  ${problemsFromZod(parsed.error, file).map(formatProblem).join('\n  ')}`, {
      code: 'E_USAGE',
      outcome: 'usage',
      hint: 'export it again from the runbook page',
    });
  }
  return parsed.data;
}
