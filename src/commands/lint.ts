// logbook lint: squawk and PostgreSQL's parser on the pending (or all) migrations: findings by tier, escalated
// where a table is large, the lock each statement takes; as text, JSON, GitHub annotations or Markdown.
import { appendFileSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { defineCommand } from '../cli/command.ts';
import { configFlag, dbEnvFlag } from '../cli/common-flags.ts';
import { EXIT, LogbookError } from '../cli/errors.ts';
import type { Snapshot } from '../schemas/snapshot.ts';
import type { ResolvedDatabase } from '../workflow/database-url.ts';

export default defineCommand({
  name: 'lint',
  summary: "Lint the pending (or all) migrations' SQL: findings by severity, and the lock each statement takes",
  description: `With a database, lints the pending migrations: tables created earlier in the batch are not flagged,
blocking locks on tables above the large-table threshold are errors (saying how many rows they lock), and
every statement is listed with the lock it takes, on which tables, their size and the time a rewrite or
scan may hold it. Without one (no URL set, or unreachable), lints every migration in the folder without sizes.
Severity: error = data loss, or a blocking lock on a large table; warning = the same locks on smaller
tables and other risky changes; info = style. \`-- logbook:accept RULE: reason\` in a migration accepts a finding.
squawk rules about style rather than production safety (lint.excludeRules in the config) are left out;
--all-rules reports them too. --format github prints workflow annotations (and appends the Markdown report to
$GITHUB_STEP_SUMMARY when set); --format markdown prints a pull-request comment.
--fail-on LEVEL (default lint.failOn: error) sets which findings exit 1.`,
  flags: {
    migrations: {
      type: 'string',
      valueName: 'DIR',
      description: 'Prisma migrations folder (default: environment appRepo/migrationsDir, else ./prisma/migrations)',
    },
    all: { type: 'boolean', description: 'Lint every migration in the folder, not only the pending ones' },
    db: { type: 'string', valueName: 'URL', description: 'Database URL for pending migrations and table sizes (default: DATABASE_URL / --env)' },
    'db-env': dbEnvFlag,
    env: { type: 'string', valueName: 'NAME', description: 'Configured environment whose database and migrations folder to use' },
    config: configFlag,
    'large-table-rows': {
      type: 'int',
      min: 0,
      config: 'lint.largeTableRows',
      default: 1_000_000,
      description: 'Escalate locking findings on tables above N rows',
    },
    'all-rules': { type: 'boolean', description: 'Report every squawk rule, including the ones lint.excludeRules leaves out' },
    'fail-on': {
      type: 'enum',
      options: ['error', 'warning', 'info', 'none'],
      config: 'lint.failOn',
      default: 'error',
      description: 'Exit 1 when an unaccepted finding is at this level or above',
    },
    format: {
      type: 'enum',
      options: ['text', 'json', 'github', 'markdown'],
      default: 'text',
      description: 'github: workflow annotations; markdown: a pull-request comment',
    },
    'app-repo': {
      type: 'string',
      valueName: 'DIR',
      description: 'Repository that --format github paths are relative to (default: the environment appRepo, else the current folder)',
    },
    json: { type: 'boolean', description: 'Print { migrations, findings, locks, acceptances } as JSON (same as --format json)' },
  },
  async run({ flags, out, signal }) {
    const { loadConfig } = await import('../adapters/fs/config-file.ts');
    const { readMigrationsFolder } = await import('../adapters/fs/migrations-folder.ts');
    const { takeSnapshot } = await import('../adapters/pg/snapshot.ts');
    const { lintMigrations } = await import('../adapters/squawk/lint-migrations.ts');
    const { resolveDatabaseUrl } = await import('../workflow/database-url.ts');
    const { resolveMigrationsDir } = await import('../workflow/migrations-dir.ts');
    const { pendingMigrations } = await import('../core/migrations/classify-migrations.ts');
    const { renderFindings } = await import('../core/lint/render-findings.ts');
    const { renderGithubAnnotations, renderLintMarkdown } = await import('../core/lint/render-ci.ts');
    const { blockingFindings } = await import('../core/lint/gate.ts');
    const loaded = loadConfig(flags.config);
    const threshold = flags['large-table-rows'] ?? loaded.config.lint.largeTableRows;
    const failOn = flags['fail-on'] ?? loaded.config.lint.failOn;
    const format = flags.json ? 'json' : flags.format;
    const { dir } = resolveMigrationsDir({ flag: flags.migrations, env: flags.env, loaded });
    const all = readMigrationsFolder(dir).map((m) => m.name);

    // A database is optional: it narrows the lint to pending migrations and knows table sizes.
    let db: ResolvedDatabase | null = null;
    try {
      db = resolveDatabaseUrl({ db: flags.db, dbEnv: flags['db-env'], env: flags.env, loaded });
    } catch (error) {
      if (!(error instanceof LogbookError) || error.code !== 'E_NO_DATABASE_URL' || flags.db || flags.env) throw error;
    }
    let snapshot: Snapshot | null = null;
    if (db) {
      try {
        snapshot = await takeSnapshot(db.target, { mode: 'estimate', capture: loaded.config.capture, migrationsDir: dir, signal });
      } catch (error) {
        if (!(error instanceof LogbookError) || error.outcome !== 'connection') throw error;
        out.warn(`${error.message}; linting without table sizes${flags.all ? '' : ' and linting every migration'}`);
      }
    }
    if (!db) out.info('no database URL: linting every migration in the folder, without table sizes (pass --db for pending only and large-table escalation)');

    const migrations = flags.all || !snapshot ? all : pendingMigrations(snapshot.migrations);
    const excludeRules = flags['all-rules'] ? [] : loaded.config.lint.excludeRules;
    const result = await lintMigrations({
      migrationsDir: dir,
      migrations,
      snapshot,
      largeTableThreshold: threshold,
      excludeRules,
      severity: loaded.config.lint.severity,
      signal,
    });
    const { findings, locks, acceptances } = result;
    for (const problem of result.parseErrors)
      out.warn(`${problem.migration}: PostgreSQL's parser rejected the file (${problem.message}); its locks are unknown`);
    if (format === 'json') out.json({ migrations, findings, locks, acceptances, failOn });
    else if (format === 'github') {
      const envRepo = flags.env ? loaded.config.environments[flags.env]?.appRepo : undefined;
      const root = flags['app-repo'] ? resolve(flags['app-repo']) : envRepo ? resolve(loaded.baseDir, envRepo) : process.cwd();
      const pathOf = (f: { file: string }) => {
        const path = relative(root, join(dir, f.file));
        return isAbsolute(path) ? path : path.split('\\').join('/');
      };
      if (findings.length) out.line(renderGithubAnnotations(findings, pathOf));
      if (process.env.GITHUB_STEP_SUMMARY) appendFileSync(process.env.GITHUB_STEP_SUMMARY, `${renderLintMarkdown(findings, migrations, locks)}\n`);
    } else if (format === 'markdown') out.line(renderLintMarkdown(findings, migrations, locks));
    else if (migrations.length > 0) out.line(renderFindings(findings, migrations, locks, acceptances));
    else out.line(all.length === 0 ? `nothing to lint: no migrations in ${dir}` : 'nothing to lint: no pending migrations (use --all to lint every migration)');
    return blockingFindings(findings, failOn).length > 0 ? EXIT.problems : EXIT.ok;
  },
});
