// logbook snapshot: a read-only capture of a database (row counts, sizes, indexes, foreign keys, migrations).
import { defineCommand } from '../cli/command.ts';
import { connectionFlags } from '../cli/common-flags.ts';
import { EXIT } from '../cli/errors.ts';

export default defineCommand({
  name: 'snapshot',
  summary: 'Capture row counts, sizes, indexes and migration state (read-only)',
  description: `One REPEATABLE READ, READ ONLY transaction with statement and lock timeouts; exact counts run in
parallel inside its exported snapshot. Tables estimated above capture.exactCountThreshold rows are estimated.`,
  flags: {
    ...connectionFlags,
    exact: { type: 'boolean', conflicts: ['estimate'], description: 'count(*) every table, however large' },
    estimate: { type: 'boolean', description: 'Never count: planner estimates only (fastest)' },
    migrations: {
      type: 'string',
      valueName: 'DIR',
      description: 'Prisma migrations folder to compare with (default: environment appRepo/migrationsDir, else ./prisma/migrations if present)',
    },
    json: { type: 'boolean', description: 'Print the snapshot as JSON' },
  },
  async run({ flags, out, signal }) {
    const { loadConfig } = await import('../adapters/fs/config-file.ts');
    const { migrationsFolderExists } = await import('../adapters/fs/migrations-folder.ts');
    const { takeSnapshot } = await import('../adapters/pg/snapshot.ts');
    const { resolveDatabaseUrl } = await import('../workflow/database-url.ts');
    const { resolveMigrationsDir } = await import('../workflow/migrations-dir.ts');
    const { renderSnapshot } = await import('../core/snapshot/render-snapshot.ts');
    const loaded = loadConfig(flags.config);
    const db = resolveDatabaseUrl({ db: flags.db, dbEnv: flags['db-env'], env: flags.env, loaded });
    const folder = resolveMigrationsDir({ flag: flags.migrations, env: flags.env, loaded });
    const migrationsDir = folder.explicit || migrationsFolderExists(folder.dir) ? folder.dir : null;
    out.info(`snapshot of ${db.redacted} (from ${db.source})`);
    const snapshot = await takeSnapshot(db.target, {
      mode: flags.exact ? 'exact' : flags.estimate ? 'estimate' : 'auto',
      capture: loaded.config.capture,
      migrationsDir,
      signal,
      onProgress: (message) => out.info(message),
    });
    if (flags.json) out.json(snapshot);
    else out.line(renderSnapshot(snapshot));
    return EXIT.ok;
  },
});
