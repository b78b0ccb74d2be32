// logbook verify-backup: re-check a stored backup (sha256 + pg_restore --list, optionally a scratch restore).
import { loadConfig } from '../adapters/fs/config-file.ts';
import { readBackupMeta, writeSidecar } from '../adapters/pgdump/sidecar.ts';
import { verifyStoredBackup } from '../adapters/pgdump/verify-archive.ts';
import { defineCommand } from '../cli/command.ts';
import { configFlag, dbEnvFlag } from '../cli/common-flags.ts';
import { resolveDatabaseUrl } from '../cli/database-url.ts';
import { EXIT, usageError } from '../cli/errors.ts';
import { createProgressLine } from '../cli/progress-line.ts';
import { archivePathOf } from '../core/backup/naming.ts';

export default defineCommand({
  name: 'verify-backup',
  summary: 'Re-check a stored backup: sha256, pg_restore --list, optionally a scratch restore',
  usage: 'PATH [--level list|restore] [--db URL | --env NAME] [--json]',
  description: [
    'PATH is the archive (or its .meta.json sidecar). The result is also stored as the sidecar\'s "verification".',
    'Exit codes: 0 verified, 1 verification failed (checksum, listing or counts), 2 usage error,',
    '5 not a complete backup (no or invalid sidecar) or pg_restore could not run, 130 interrupted.',
  ].join('\n'),
  flags: {
    level: { type: 'string', valueName: 'LEVEL', description: 'list (sha256 + pg_restore --list, default) or restore (also restore into a scratch database and compare counts)' },
    db: { type: 'string', valueName: 'URL', description: 'Server for the scratch database of --level restore (default: DATABASE_URL)' },
    'db-env': dbEnvFlag,
    env: { type: 'string', valueName: 'NAME', description: "Use the configured environment's database URL env var" },
    config: configFlag,
    json: { type: 'boolean', description: 'Print the result as JSON' },
  },
  async run({ flags, positionals, out, signal }) {
    const [path, ...extra] = positionals;
    if (!path || extra.length) throw usageError('give exactly one backup path', 'e.g. logbook verify-backup .logbook/backups/backup_20260101_120000_app.dump');
    const level = flags.level ?? 'list';
    if (level !== 'list' && level !== 'restore') throw usageError(`--level must be list or restore, not "${level}"`);
    const url = level === 'restore' ? resolveDatabaseUrl({ db: flags.db, dbEnv: flags['db-env'], env: flags.env, loaded: loadConfig(flags.config) }).url : undefined;

    const progress = createProgressLine(out);
    const archivePath = archivePathOf(path);
    let result;
    try {
      progress.update(`verifying ${archivePath} (${level})`);
      result = await verifyStoredBackup(archivePath, { level, ...(url ? { url } : {}), signal, onTable: (t) => progress.update(`restoring ${t}`, { transient: true }) });
    } finally {
      progress.done();
    }
    // The sidecar keeps the latest verification, so a record (or a person) later sees when it was last checked.
    const meta = await readBackupMeta(archivePath);
    await writeSidecar(archivePath, { ...meta, verification: result });

    if (flags.json) out.json({ path: archivePath, ...result });
    else if (result.ok) out.line(`ok: ${archivePath}\n  ${result.detail}`);
    else out.info(`error: backup verification failed for ${archivePath}\n  why: ${result.detail}\n  next: do not rely on this backup; take a new one with \`logbook backup\``);
    return result.ok ? EXIT.ok : EXIT.problems;
  },
});
