// logbook snapshot: a read-only capture of a database (row counts, sizes, indexes, foreign keys, migrations).
import { loadConfig } from '../adapters/fs/config-file.ts';
import { migrationsFolderExists } from '../adapters/fs/migrations-folder.ts';
import { takeSnapshot } from '../adapters/pg/snapshot.ts';
import { defineCommand } from '../cli/command.ts';
import { connectionFlags } from '../cli/common-flags.ts';
import { resolveDatabaseUrl } from '../cli/database-url.ts';
import { EXIT, usageError } from '../cli/errors.ts';
import { resolveMigrationsDir } from '../cli/migrations-dir.ts';
import { renderSnapshot } from '../core/snapshot/render-snapshot.ts';

export default defineCommand({
  name: 'snapshot',
  summary: 'Capture row counts, sizes, indexes and migration state (read-only)',
  usage: '[--db URL | --env NAME] [--exact | --estimate] [--migrations DIR] [--json]',
  description: `One REPEATABLE READ, READ ONLY transaction with statement and lock timeouts; exact counts run in
parallel inside its exported snapshot. Tables estimated above capture.exactCountThreshold rows are estimated.
Exit codes: 0 captured, 2 usage/config error, 3 cannot connect (unreachable, auth, missing database),
4 query refused (permission, timeout, lock timeout), 130 interrupted.`,
  flags: {
    ...connectionFlags,
    exact: { type: 'boolean', description: 'count(*) every table, however large' },
    estimate: { type: 'boolean', description: 'Never count: planner estimates only (fastest)' },
    migrations: { type: 'string', valueName: 'DIR', description: 'Prisma migrations folder to compare with (default: environment appRepo/migrationsDir, else ./prisma/migrations if present)' },
    json: { type: 'boolean', description: 'Print the snapshot as JSON' },
  },
  async run({ flags, out, signal }) {
    if (flags.exact && flags.estimate) throw usageError('--exact and --estimate contradict each other', 'pass at most one of them');
    const loaded = loadConfig(flags.config);
    const db = resolveDatabaseUrl({ db: flags.db, dbEnv: flags['db-env'], env: flags.env, loaded });
    const folder = resolveMigrationsDir({ flag: flags.migrations, env: flags.env, loaded });
    const migrationsDir = folder.explicit || migrationsFolderExists(folder.dir) ? folder.dir : null;
    out.info(`snapshot of ${db.redacted} (from ${db.source})`);
    const snapshot = await takeSnapshot(db.url, {
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
