// logbook verify-backup: re-check a stored backup (sha256 + pg_restore --list, optionally a scratch restore).
import { defineCommand } from '../cli/command.ts';
import { configFlag, dbEnvFlag } from '../cli/common-flags.ts';
import { EXIT } from '../cli/errors.ts';

export default defineCommand({
  name: 'verify-backup',
  summary: 'Re-check a stored backup: sha256, pg_restore --list, optionally a scratch restore',
  description: ['PATH is the archive (or its .meta.json sidecar). The result is also stored as the sidecar\'s "verification".'].join('\n'),
  flags: {
    path: {
      type: 'positional',
      valueName: 'PATH',
      required: true,
      example: 'e.g. logbook verify-backup .logbook/backups/backup_20260101_120000_app.dump',
      description: 'The backup archive (or its .meta.json sidecar)',
    },
    level: {
      type: 'enum',
      options: ['list', 'restore'],
      default: 'list',
      description: 'list (sha256 + pg_restore --list) or restore (also restore into a scratch database and compare counts)',
    },
    db: { type: 'string', valueName: 'URL', description: 'Server for the scratch database of --level restore (default: DATABASE_URL)' },
    'db-env': dbEnvFlag,
    env: { type: 'string', valueName: 'NAME', description: "Use the configured environment's database URL env var" },
    config: configFlag,
    json: { type: 'boolean', description: 'Print the result as JSON' },
  },
  async run({ flags, out, signal }) {
    const { loadConfig } = await import('../adapters/fs/config-file.ts');
    const { readBackupMeta, writeSidecar } = await import('../adapters/pgdump/sidecar.ts');
    const { verifyStoredBackup } = await import('../adapters/pgdump/verify-archive.ts');
    const { resolveDatabaseUrl } = await import('../workflow/database-url.ts');
    const { createProgressLine } = await import('../cli/progress-line.ts');
    const { archivePathOf } = await import('../core/backup/naming.ts');
    const { path, level } = flags;
    const url =
      level === 'restore' ? resolveDatabaseUrl({ db: flags.db, dbEnv: flags['db-env'], env: flags.env, loaded: loadConfig(flags.config) }).target : undefined;

    const progress = createProgressLine(out);
    const archivePath = archivePathOf(path);
    let result: Awaited<ReturnType<typeof verifyStoredBackup>>;
    try {
      progress.update(`verifying ${archivePath} (${level})`);
      result = await verifyStoredBackup(archivePath, {
        level,
        ...(url ? { url } : {}),
        signal,
        onTable: (t) => progress.update(`restoring ${t}`, { transient: true }),
      });
    } finally {
      progress.done();
    }
    // The sidecar keeps the latest verification, so a record (or a person) later sees when it was last checked.
    const meta = await readBackupMeta(archivePath);
    await writeSidecar(archivePath, { ...meta, verification: result });

    if (flags.json) out.json({ path: archivePath, ...result });
    else if (result.ok) out.line(`ok: ${archivePath}\n  ${result.detail}`);
    else
      out.info(
        `error: backup verification failed for ${archivePath}\n  why: ${result.detail}\n  next: do not rely on this backup; take a new one with \`logbook backup\``,
      );
    return result.ok ? EXIT.ok : EXIT.problems;
  },
});
