// logbook backup: a verified, self-describing pg_dump archive (and its sidecar) in the backup folder.
import { loadConfig } from '../adapters/fs/config-file.ts';
import { createBackup } from '../adapters/pgdump/create-backup.ts';
import { defineCommand } from '../cli/command.ts';
import { connectionFlags } from '../cli/common-flags.ts';
import { resolveDatabaseUrl } from '../cli/database-url.ts';
import { EXIT, usageError } from '../cli/errors.ts';
import { createProgressLine } from '../cli/progress-line.ts';
import { formatBytes, formatDuration } from '../core/format.ts';
import { backupFormatSchema, verifyLevelSchema } from '../schemas/backup.ts';

export default defineCommand({
  name: 'backup',
  summary: 'Back up a database with pg_dump: sha256, row counts, verification, sidecar',
  usage: '[--db URL | --env NAME] [--dir DIR] [--format custom|directory] [--jobs N] [--verify none|list|restore] [--scratch-db URL] [--force] [--json]',
  description: [
    'Writes backup_<YYYYMMDD_HHMMSS>_<database>[.dump] and its <archive>.meta.json sidecar (sha256, versions, timings,',
    'exact row counts taken in the snapshot pg_dump dumps). Defaults come from the "backup" section of the config.',
    'Exit codes: 0 backup written and verified, 2 usage error, 5 the backup failed (nothing kept), 130 interrupted.',
  ].join('\n'),
  flags: {
    ...connectionFlags,
    dir: { type: 'string', valueName: 'DIR', description: 'Backup folder (default: paths.backups in the config)' },
    format: { type: 'string', valueName: 'FORMAT', description: 'custom (one file, default) or directory (parallel, one file per table)' },
    jobs: { type: 'string', valueName: 'N', description: 'Parallel jobs for directory dumps and scratch restores (default: backup.jobs)' },
    verify: { type: 'string', valueName: 'LEVEL', description: 'none, list (pg_restore --list), or restore (into a scratch database; default)' },
    'scratch-db': { type: 'string', valueName: 'URL', description: 'Server (any database on it) for the scratch database of --verify restore (default: the source server)' },
    force: { type: 'boolean', description: 'Back up even when the folder looks too small' },
    json: { type: 'boolean', description: 'Print the sidecar as JSON' },
  },
  async run({ flags, out, signal }) {
    const loaded = loadConfig(flags.config);
    const format = backupFormatSchema.safeParse(flags.format ?? loaded.config.backup.format);
    if (!format.success) throw usageError(`--format must be custom or directory, not "${flags.format}"`);
    const verify = verifyLevelSchema.safeParse(flags.verify ?? loaded.config.backup.verify);
    if (!verify.success) throw usageError(`--verify must be none, list or restore, not "${flags.verify}"`);
    const jobs = flags.jobs === undefined ? loaded.config.backup.jobs : Number(flags.jobs);
    if (!Number.isInteger(jobs) || jobs < 1 || jobs > 32) throw usageError(`--jobs must be a whole number from 1 to 32, not "${flags.jobs}"`);
    const { url } = resolveDatabaseUrl({ db: flags.db, dbEnv: flags['db-env'], env: flags.env, loaded });
    const scratchUrl = flags['scratch-db'] ? resolveDatabaseUrl({ db: flags['scratch-db'], loaded }).url : undefined;

    const progress = createProgressLine(out);
    try {
      const meta = await createBackup({
        url,
        dir: flags.dir ?? loaded.path('backups'),
        format: format.data,
        jobs,
        verify: verify.data,
        scratchUrl,
        force: flags.force,
        signal,
        onProgress: progress.update,
        progressIntervalMs: out.interactive ? 250 : 1000,
      });
      progress.done();
      if (flags.json) out.json(meta);
      else {
        const rows = meta.tables.reduce((sum, t) => sum + t.rows, 0);
        out.line(`backup: ${meta.path}`);
        out.line(`  ${meta.format} format, ${formatBytes(meta.bytes)}, sha256 ${meta.sha256}`);
        out.line(`  ${meta.database} on PostgreSQL ${meta.serverVersion}, ${meta.tables.length} tables, ${rows} rows, dumped in ${formatDuration(meta.durationMs)}`);
        out.line(`  verification: ${meta.verification ? `${meta.verification.level}: ${meta.verification.detail}` : 'none (--verify none)'}`);
      }
      return EXIT.ok;
    } finally {
      progress.done();
    }
  },
});
