// logbook rollback: restore the backup a record names and append the rollback to that record.
import { findRecord } from '../adapters/fs/record-store.ts';
import { loadConfig } from '../adapters/fs/config-file.ts';
import { checkBeforeRestore } from '../adapters/pgdump/restore.ts';
import { defineCommand } from '../cli/command.ts';
import { configFlag, dbEnvFlag } from '../cli/common-flags.ts';
import { confirmDestructive } from '../cli/confirm.ts';
import { resolveDatabaseUrl } from '../cli/database-url.ts';
import { EXIT, usageError } from '../cli/errors.ts';
import { rollbackRecord, rollbackRefusal } from '../workflow/rollback-record.ts';

export default defineCommand({
  name: 'rollback',
  summary: "Restore a record's backup and append the rollback to the record",
  usage: '--record ID [--db URL] [--yes] [--commit]',
  description: `Checks the backup (sidecar, sha256, pg_restore --list) before asking anything, then drops the
tables the migration created and restores the backup
(pg_restore --clean --if-exists --single-transaction), snapshots with exact counts, and appends a
"Rollback" section to the record (status rolled-back). People's prose in the record is kept as is.

Exit codes: 0 rolled back and counts match the backup; 1 restored but counts differ;
2 usage error or no confirmation; 3/4 database errors; 5 checksum mismatch or restore failed.`,
  flags: {
    record: { type: 'string', valueName: 'ID', description: 'Record id (its file name without .mdx)' },
    db: { type: 'string', valueName: 'URL', description: "Database URL (default: the record's environment env var, else DATABASE_URL)" },
    'db-env': dbEnvFlag,
    config: configFlag,
    by: { type: 'string', valueName: 'NAME', description: 'Who rolls back (default: git user)' },
    yes: { type: 'boolean', short: 'y', description: 'Do not ask for confirmation (scripts)' },
    commit: { type: 'boolean', description: 'Commit the updated record (default: the config "commit")' },
  },
  async run({ flags, out, signal }) {
    if (!flags.record) throw usageError('--record ID is required', 'record ids are the file names in content/records without .mdx');
    const loaded = loadConfig(flags.config);
    const stored = await findRecord(loaded.path('records'), flags.record);
    const refusal = rollbackRefusal(stored.record);
    if (refusal) throw usageError(`cannot roll back ${stored.record.id}: ${refusal}`);
    const environment = stored.record.environment;
    const db = resolveDatabaseUrl({ db: flags.db, dbEnv: flags['db-env'], env: loaded.config.environments[environment] ? environment : undefined, loaded });
    // The backup is checked before anything is asked or dropped: a damaged archive stops here, with nothing changed.
    const checked = await checkBeforeRestore(stored.record.backup!.path, signal);
    const question = `Roll back ${stored.record.title} on ${environment}: restore ${stored.record.backup!.path} into ${db.redacted}? Data written since the backup is lost.`;
    if (!(await confirmDestructive(out, { yes: flags.yes, question, what: 'roll back' }))) {
      out.info('not rolled back: no confirmation');
      return EXIT.usage;
    }
    const { matches } = await rollbackRecord({ stored, checked, url: db.url, config: loaded.config, by: flags.by, commit: flags.commit || loaded.config.commit, out, signal });
    out.line(`rolled back ${stored.record.id}: ${stored.file}`);
    return matches ? EXIT.ok : EXIT.problems;
  },
});
