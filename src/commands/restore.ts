// logbook restore: put a stored backup back into a database (checksum first, confirmation, counts compared after).
import { loadConfig } from '../adapters/fs/config-file.ts';
import { checkBeforeRestore, restoreBackup } from '../adapters/pgdump/restore.ts';
import { defineCommand } from '../cli/command.ts';
import { configFlag, dbEnvFlag } from '../cli/common-flags.ts';
import { resolveDatabaseUrl } from '../cli/database-url.ts';
import { confirmDestructive } from '../cli/confirm.ts';
import { EXIT, usageError } from '../cli/errors.ts';
import { createProgressLine } from '../cli/progress-line.ts';
import { describeMismatch } from '../core/backup/compare-counts.ts';
import { formatDuration } from '../core/format.ts';

export default defineCommand({
  name: 'restore',
  summary: 'Restore a backup into a database (replaces the objects it holds), then compare row counts',
  usage: '--from PATH [--db URL | --env NAME] [--yes] [--json]',
  description: [
    'Checks the archive\'s sha256 against its sidecar, asks before changing anything (y/N on a terminal; --yes in scripts),',
    'then runs pg_restore --clean --if-exists --single-transaction: all or nothing, so a failed restore leaves the database as it was.',
    'Afterwards every table is counted exactly and compared with the counts the sidecar recorded at backup time.',
    'Exit codes: 0 restored and counts match, 1 restored but counts differ or tables not in the backup remain,',
    '2 usage error or no confirmation, 3/4 database errors, 5 checksum mismatch or pg_restore failed (database unchanged), 130 interrupted.',
  ].join('\n'),
  flags: {
    from: { type: 'string', valueName: 'PATH', description: 'The backup archive (or its .meta.json sidecar)' },
    db: { type: 'string', valueName: 'URL', description: 'Database to restore into (default: DATABASE_URL)' },
    'db-env': dbEnvFlag,
    env: { type: 'string', valueName: 'NAME', description: "Use the configured environment's database URL env var" },
    config: configFlag,
    yes: { type: 'boolean', short: 'y', description: 'Do not ask for confirmation (scripts)' },
    json: { type: 'boolean', description: 'Print the result as JSON' },
  },
  async run({ flags, out, signal }) {
    if (!flags.from) throw usageError('--from PATH is required', 'e.g. logbook restore --from .logbook/backups/backup_20260101_120000_app.dump');
    const { url, redacted } = resolveDatabaseUrl({ db: flags.db, dbEnv: flags['db-env'], env: flags.env, loaded: loadConfig(flags.config) });
    const checked = await checkBeforeRestore(flags.from, signal);
    const { meta } = checked;

    const question = `Restore ${meta.database} as of ${meta.startedAt} into ${redacted}? Objects in the backup are dropped and recreated.`;
    if (!(await confirmDestructive(out, { yes: flags.yes, question, what: 'restore' }))) {
      out.info('not restored: no confirmation');
      return EXIT.usage;
    }

    const progress = createProgressLine(out);
    let result;
    try {
      result = await restoreBackup({ from: flags.from, url, checked, signal, onProgress: progress.update });
    } finally {
      progress.done();
    }
    const ok = result.mismatches.length === 0 && result.extraTables.length === 0;
    if (flags.json) out.json({ ok, path: result.meta.path, database: result.meta.database, durationMs: result.durationMs, counts: result.counts, mismatches: result.mismatches, extraTables: result.extraTables });
    else {
      out.line(`restored ${result.meta.path} into ${redacted} in ${formatDuration(result.durationMs)}`);
      if (result.mismatches.length === 0) out.line(`  row counts: all ${result.meta.tables.length} tables match the backup`);
      for (const m of result.mismatches) out.line(`  count mismatch: ${describeMismatch(m)}`);
      if (result.extraTables.length) out.line(`  not in the backup (left untouched by --clean): ${result.extraTables.join(', ')}; drop them if the backup's state is wanted`);
    }
    return ok ? EXIT.ok : EXIT.problems;
  },
});
