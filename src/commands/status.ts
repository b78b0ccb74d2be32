// logbook status: applied / pending / failed / edited Prisma migrations, read without the Prisma engine.
import { loadConfig } from '../adapters/fs/config-file.ts';
import { migrationsFolderExists } from '../adapters/fs/migrations-folder.ts';
import { withClient } from '../adapters/pg/client.ts';
import { readMigrationState } from '../adapters/pg/prisma-migrations.ts';
import { inReadOnlyTransaction } from '../adapters/pg/read-only.ts';
import { defineCommand } from '../cli/command.ts';
import { connectionFlags } from '../cli/common-flags.ts';
import { resolveDatabaseUrl } from '../cli/database-url.ts';
import { EXIT } from '../cli/errors.ts';
import { resolveMigrationsDir } from '../cli/migrations-dir.ts';
import { migrationProblems, pendingMigrations } from '../core/migrations/classify-migrations.ts';
import { renderMigrationStatus } from '../core/migrations/render-status.ts';

export default defineCommand({
  name: 'status',
  summary: 'Show applied, pending, failed and edited migrations; exit 1 if any need attention',
  usage: '[--db URL | --env NAME] [--migrations DIR] [--json]',
  description: `Reads _prisma_migrations (no Prisma engine needed) and compares it with the migrations folder.
Exit codes: 0 in sync, 1 something is pending, failed, edited or missing from the folder,
2 usage/config error, 3 cannot connect, 4 query refused.`,
  flags: {
    ...connectionFlags,
    migrations: { type: 'string', valueName: 'DIR', description: 'Prisma migrations folder (default: environment appRepo/migrationsDir, else ./prisma/migrations)' },
    json: { type: 'boolean', description: 'Print the state as JSON ({ ok, pending, failed, edited, missing, state })' },
  },
  async run({ flags, out }) {
    const loaded = loadConfig(flags.config);
    const db = resolveDatabaseUrl({ db: flags.db, dbEnv: flags['db-env'], env: flags.env, loaded });
    const folder = resolveMigrationsDir({ flag: flags.migrations, env: flags.env, loaded });
    const migrationsDir = folder.explicit || migrationsFolderExists(folder.dir) ? folder.dir : null;
    const state = await withClient(db.url, { doing: 'reading migration status' }, (client) =>
      inReadOnlyTransaction(client, loaded.config.capture, () => readMigrationState(client, { migrationsDir })),
    );
    const problems = migrationProblems(state);
    const ok = Object.values(problems).every((names) => names.length === 0);
    if (flags.json) out.json({ ok, ...problems, pending: pendingMigrations(state), state });
    else out.line(renderMigrationStatus(state));
    return ok ? EXIT.ok : EXIT.problems;
  },
});
