// Everything a run needs to know before it starts, resolved once from flags, config and environment.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadConfig, type LoadedConfig } from '../adapters/fs/config-file.ts';
import { resolveDatabaseUrl, type ResolvedDatabase } from '../cli/database-url.ts';
import { EXIT, LogbookError } from '../cli/errors.ts';
import { resolveMigrationsDir } from '../cli/migrations-dir.ts';
import { promptChecklist } from '../cli/checklist-prompt.ts';
import type { Output } from '../cli/output.ts';
import { checklistExportSchema, type ChecklistExport } from '../core/run/checklist.ts';
import { formatProblem, problemsFromZod } from '../core/problems.ts';
import { parseRunbook, type ParsedRunbook } from '../core/runbook/parse-runbook.ts';
import type { EnvironmentConfig } from '../schemas/config.ts';

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
  out: Output;
  signal: AbortSignal;
}

export interface RunFlags {
  env?: string | undefined;
  db?: string | undefined;
  'db-env'?: string | undefined;
  config?: string | undefined;
  'app-repo'?: string | undefined;
  migrations?: string | undefined;
  commit?: boolean | undefined;
}

export function buildRunContext(flags: RunFlags, out: Output, signal: AbortSignal): RunContext {
  const loaded = loadConfig(flags.config);
  const configured = Object.keys(loaded.config.environments);
  const environment = flags.env ?? (configured.length === 1 ? configured[0]! : undefined);
  if (!environment) {
    throw new LogbookError('which environment? pass --env NAME', {
      code: 'E_USAGE',
      exitCode: EXIT.usage,
      hint: configured.length ? `configured: ${configured.join(', ')}` : 'e.g. --env production (records and locks are kept per environment)',
    });
  }
  const envConfig = loaded.config.environments[environment];
  // An environment named on the command line but not configured is fine with --db or DATABASE_URL.
  const db = resolveDatabaseUrl({ db: flags.db, dbEnv: flags['db-env'], env: envConfig ? environment : undefined, loaded });
  const migrations = resolveMigrationsDir({ flag: flags.migrations, env: envConfig ? environment : undefined, loaded });
  if (migrations.explicit && !existsSync(migrations.dir)) {
    throw new LogbookError(`migrations folder not found: ${migrations.dir}`, { code: 'E_USAGE', exitCode: EXIT.usage, hint: 'check --migrations or the environment appRepo/migrationsDir' });
  }
  const appRepo = flags['app-repo'] ? resolve(flags['app-repo']) : envConfig?.appRepo ? resolve(loaded.baseDir, envConfig.appRepo) : null;
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
    commit: flags.commit === true || loaded.config.commit,
    out,
    signal,
  };
}

/** What a person reports about the runbook's manual steps, asked for when the record is about to be filed. */
export type ChecklistSource = () => Promise<ChecklistExport | null>;

export const noChecklist: ChecklistSource = async () => null;

/** `--checklist FILE` (read now, so a bad file fails before anything runs) or `--interactive` (asked at the end). */
export function checklistSource(flags: { checklist?: string | undefined; interactive?: boolean | undefined }, ctx: RunContext): ChecklistSource {
  if (flags.checklist && flags.interactive) throw new LogbookError('--checklist and --interactive both say which steps were done', { code: 'E_USAGE', exitCode: EXIT.usage, hint: 'use one of them' });
  if (flags.interactive) {
    const runbook = ctx.runbook;
    if (!runbook) throw new LogbookError('--interactive needs the runbook, which was not found', { code: 'E_USAGE', exitCode: EXIT.usage, hint: 'check paths.runbooks and runbook in the config' });
    return () => promptChecklist(runbook.steps, { slug: ctx.runbookSlug, version: runbook.frontmatter.version });
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
    throw new LogbookError(`cannot read the checklist ${file}`, { code: 'E_USAGE', exitCode: EXIT.usage, cause: error, hint: 'export it from the runbook page ("Export checklist")' });
  }
  const parsed = checklistExportSchema.safeParse(raw);
  if (!parsed.success) {
    throw new LogbookError(`invalid checklist:\n  ${problemsFromZod(parsed.error, file).map(formatProblem).join('\n  ')}`, { code: 'E_USAGE', exitCode: EXIT.usage, hint: 'export it again from the runbook page' });
  }
  return parsed.data;
}
