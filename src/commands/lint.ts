// logbook lint: squawk on the pending (or all) migrations' SQL, escalated where a table is large.
import { loadConfig } from '../adapters/fs/config-file.ts';
import { readMigrationsFolder } from '../adapters/fs/migrations-folder.ts';
import { takeSnapshot } from '../adapters/pg/snapshot.ts';
import { lintMigrations } from '../adapters/squawk/lint-migrations.ts';
import { defineCommand } from '../cli/command.ts';
import { configFlag, dbEnvFlag } from '../cli/common-flags.ts';
import { resolveDatabaseUrl, type ResolvedDatabase } from '../cli/database-url.ts';
import { EXIT, LogbookError, usageError } from '../cli/errors.ts';
import { resolveMigrationsDir } from '../cli/migrations-dir.ts';
import { pendingMigrations } from '../core/migrations/classify-migrations.ts';
import { renderFindings } from '../core/lint/render-findings.ts';
import type { Snapshot } from '../schemas/snapshot.ts';

export default defineCommand({
  name: 'lint',
  summary: 'Lint the pending (or all) migrations\' SQL with squawk, escalating locks on large tables',
  usage: '[--migrations DIR] [--all] [--db URL | --env NAME] [--large-table-rows N] [--all-rules] [--json]',
  description: `With a database, lints the pending migrations and escalates locking findings on tables above
the large-table threshold to errors (saying how many rows they lock). Without one (no URL set, or unreachable),
lints every migration in the folder without escalation.
squawk rules about style rather than production safety (lint.excludeRules in the config) are left out;
--all-rules reports them too.
Exit codes: 0 no warnings or errors, 1 findings of severity warning or error, 2 usage/config error.`,
  flags: {
    migrations: { type: 'string', valueName: 'DIR', description: 'Prisma migrations folder (default: environment appRepo/migrationsDir, else ./prisma/migrations)' },
    all: { type: 'boolean', description: 'Lint every migration in the folder, not only the pending ones' },
    db: { type: 'string', valueName: 'URL', description: 'Database URL for pending migrations and table sizes (default: DATABASE_URL / --env)' },
    'db-env': dbEnvFlag,
    env: { type: 'string', valueName: 'NAME', description: 'Configured environment whose database and migrations folder to use' },
    config: configFlag,
    'large-table-rows': { type: 'string', valueName: 'N', description: 'Escalate locking findings on tables above N rows (default: lint.largeTableRows in the config, 1,000,000)' },
    'all-rules': { type: 'boolean', description: 'Report every squawk rule, including the ones lint.excludeRules leaves out' },
    json: { type: 'boolean', description: 'Print { migrations, findings } as JSON' },
  },
  async run({ flags, out, signal }) {
    const loaded = loadConfig(flags.config);
    const threshold = flags['large-table-rows'] === undefined ? loaded.config.lint.largeTableRows : Number(flags['large-table-rows']);
    if (!Number.isInteger(threshold) || threshold < 0) throw usageError(`--large-table-rows must be a whole number, got "${flags['large-table-rows']}"`);
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
        snapshot = await takeSnapshot(db.url, { mode: 'estimate', capture: loaded.config.capture, migrationsDir: dir, signal });
      } catch (error) {
        if (!(error instanceof LogbookError) || error.exitCode !== EXIT.connection) throw error;
        out.warn(`${error.message}; linting without table sizes${flags.all ? '' : ' and linting every migration'}`);
      }
    }
    if (!db) out.info('no database URL: linting every migration in the folder, without table sizes (pass --db for pending only and large-table escalation)');

    const migrations = flags.all || !snapshot ? all : pendingMigrations(snapshot.migrations);
    const excludeRules = flags['all-rules'] ? [] : loaded.config.lint.excludeRules;
    const findings = await lintMigrations({ migrationsDir: dir, migrations, snapshot, largeTableThreshold: threshold, excludeRules, signal });
    if (flags.json) out.json({ migrations, findings });
    else if (migrations.length > 0) out.line(renderFindings(findings, migrations));
    else out.line(all.length === 0 ? `nothing to lint: no migrations in ${dir}` : 'nothing to lint: no pending migrations (use --all to lint every migration)');
    return findings.some((f) => f.severity !== 'info') ? EXIT.problems : EXIT.ok;
  },
});
