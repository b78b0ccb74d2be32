// logbook backup: a verified, self-describing pg_dump archive (and its sidecar) in the backup folder.
import { defineCommand } from '../cli/command.ts';
import { connectionFlags } from '../cli/common-flags.ts';
import { EXIT } from '../cli/errors.ts';
import type { BackupFormat, VerifyLevel } from '../schemas/backup.ts';

export default defineCommand({
  name: 'backup',
  summary: 'Back up a database with pg_dump: sha256, row counts, verification, sidecar',
  description: [
    'Writes backup_<YYYYMMDD_HHMMSS>_<database>[.dump] and its <archive>.meta.json sidecar (sha256, versions, timings,',
    'exact row counts taken in the snapshot pg_dump dumps). Defaults come from the "backup" section of the config.',
  ].join('\n'),
  flags: {
    ...connectionFlags,
    dir: { type: 'string', valueName: 'DIR', description: 'Backup folder (default: paths.backups in the config)' },
    format: {
      type: 'enum',
      options: ['custom', 'directory'] satisfies BackupFormat[],
      config: 'backup.format',
      default: 'custom',
      description: 'custom (one file) or directory (parallel, one file per table)',
    },
    jobs: { type: 'int', min: 1, max: 32, config: 'backup.jobs', default: 2, description: 'Parallel jobs for directory dumps and scratch restores' },
    verify: {
      type: 'enum',
      options: ['none', 'list', 'restore'] satisfies VerifyLevel[],
      config: 'backup.verify',
      default: 'list',
      description: 'none, list (pg_restore --list), or restore (into a scratch database, counts compared)',
    },
    'scratch-db': {
      type: 'string',
      valueName: 'URL',
      description: 'Server (any database on it) for the scratch database of --verify restore (default: the source server)',
    },
    force: { type: 'boolean', description: 'Back up even when the folder looks too small' },
    json: { type: 'boolean', description: 'Print the sidecar as JSON' },
  },
  async run({ flags, out, signal }) {
    const { loadConfig } = await import('../adapters/fs/config-file.ts');
    const { createBackup } = await import('../adapters/pgdump/create-backup.ts');
    const { resolveDatabaseUrl } = await import('../workflow/database-url.ts');
    const { createProgressLine } = await import('../cli/progress-line.ts');
    const { formatBytes, formatDuration } = await import('../core/format.ts');
    const loaded = loadConfig(flags.config);
    const jobs = flags.jobs ?? loaded.config.backup.jobs;
    const { target } = resolveDatabaseUrl({ db: flags.db, dbEnv: flags['db-env'], env: flags.env, loaded });
    const scratchUrl = flags['scratch-db'] ? resolveDatabaseUrl({ db: flags['scratch-db'], loaded }).target : undefined;

    const progress = createProgressLine(out);
    try {
      const meta = await createBackup({
        url: target,
        dir: flags.dir ?? loaded.path('backups'),
        format: flags.format ?? loaded.config.backup.format,
        jobs,
        verify: flags.verify ?? loaded.config.backup.verify,
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
        out.line(
          `  ${meta.database} on PostgreSQL ${meta.serverVersion}, ${meta.tables.length} tables, ${rows} rows, dumped in ${formatDuration(meta.durationMs)}`,
        );
        out.line(`  verification: ${meta.verification ? `${meta.verification.level}: ${meta.verification.detail}` : 'none (--verify none)'}`);
      }
      return EXIT.ok;
    } finally {
      progress.done();
    }
  },
});
