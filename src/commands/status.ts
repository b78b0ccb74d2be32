// logbook status: applied / pending / failed / edited Prisma migrations, read without the Prisma engine.
import { defineCommand } from '../cli/command.ts';
import { connectionFlags } from '../cli/common-flags.ts';
import { EXIT } from '../cli/errors.ts';

export default defineCommand({
  name: 'status',
  summary: 'Show applied, pending, failed and edited migrations; exit 1 if any need attention',
  description: `Reads _prisma_migrations (no Prisma engine needed) and compares it with the migrations folder.
Exits 1 when something is pending, failed, edited or missing from the folder.`,
  flags: {
    ...connectionFlags,
    migrations: {
      type: 'string',
      valueName: 'DIR',
      description: 'Prisma migrations folder (default: environment appRepo/migrationsDir, else ./prisma/migrations)',
    },
    json: { type: 'boolean', description: 'Print the state as JSON ({ ok, pending, failed, edited, missing, state })' },
  },
  async run({ flags, out }) {
    const { loadConfig } = await import('../adapters/fs/config-file.ts');
    const { migrationsFolderExists } = await import('../adapters/fs/migrations-folder.ts');
    const { withClient } = await import('../adapters/pg/client.ts');
    const { readMigrationState } = await import('../adapters/pg/prisma-migrations.ts');
    const { inReadOnlyTransaction } = await import('../adapters/pg/read-only.ts');
    const { resolveDatabaseUrl } = await import('../workflow/database-url.ts');
    const { resolveMigrationsDir } = await import('../workflow/migrations-dir.ts');
    const { migrationProblems, pendingMigrations } = await import('../core/migrations/classify-migrations.ts');
    const { renderMigrationStatus } = await import('../core/migrations/render-status.ts');
    const loaded = loadConfig(flags.config);
    const db = resolveDatabaseUrl({ db: flags.db, dbEnv: flags['db-env'], env: flags.env, loaded });
    const folder = resolveMigrationsDir({ flag: flags.migrations, env: flags.env, loaded });
    const migrationsDir = folder.explicit || migrationsFolderExists(folder.dir) ? folder.dir : null;
    const state = await withClient(db.target, { doing: 'reading migration status' }, (client) =>
      inReadOnlyTransaction(client, loaded.config.capture, () => readMigrationState(client, { migrationsDir })),
    );
    const problems = migrationProblems(state);
    const ok = Object.values(problems).every((names) => names.length === 0);
    if (flags.json) out.json({ ok, ...problems, pending: pendingMigrations(state), state });
    else out.line(renderMigrationStatus(state));
    return ok ? EXIT.ok : EXIT.problems;
  },
});
