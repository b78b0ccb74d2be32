// logbook rollback: restore the backup a record names beside the live database, swap it in, and append the rollback to the record.
import { findRecord } from '../adapters/fs/record-store.ts';
import { loadConfig } from '../adapters/fs/config-file.ts';
import { dropDatabase, setAllowConnections, withMaintenanceClient, readDatabaseFacts } from '../adapters/pg/database-swap.ts';
import { checkBeforeRestore } from '../adapters/pgdump/restore.ts';
import { defineCommand } from '../cli/command.ts';
import { configFlag } from '../cli/common-flags.ts';
import { confirmDestructive } from '../cli/confirm.ts';
import { resolveDatabaseUrl } from '../cli/database-url.ts';
import { EXIT, LogbookError, usageError } from '../cli/errors.ts';
import type { Output } from '../cli/output.ts';
import { isRetainedDatabaseName } from '../core/backup/database-names.ts';
import { formatBytes } from '../core/format.ts';
import { checkArchiveMatchesRecord, checkRecordItself, rollbackRecord } from '../workflow/rollback-record.ts';

export default defineCommand({
  name: 'rollback',
  summary: "Restore a record's backup beside the live database, swap it in, and append the rollback to the record",
  usage: '--record ID [--db URL] [--yes] [--commit] [--accept-data-loss] [--target-moved] | --drop-retained NAME [--db URL | --env NAME] [--yes]',
  description: `Trusts only the record: refuses (exit 10, nothing changed) a record whose facts were edited, that was already
rolled back or has a later record in its environment, an archive that does not hash to the record's sha256, a
database other than the record's (unless --target-moved, which is recorded), and rows written since the
migration (unless --accept-data-loss). Then, under the environment lock: restores the backup into a new
database on the same server, verifies it (exact counts equal the backup's, objects present), enters
maintenance, closes the live database to new connections, ends its sessions and swaps the names in one
transaction (owner, settings, grants and comment carried over), leaves maintenance, runs the checks, and
appends a "Rollback" section to the record. The replaced database is kept; drop it later with --drop-retained.

Exit codes: 0 rolled back; 2 usage error or no confirmation; 3/4 database errors; 5 restore or verification
failed (live database untouched); 10 refused (nothing changed); 12 rolled back but checks failed; 13 locked.`,
  flags: {
    record: { type: 'string', valueName: 'ID', description: 'Record id (its file name without .mdx)' },
    db: { type: 'string', valueName: 'URL', description: "Database URL (default: the record's environment env var)" },
    env: { type: 'string', valueName: 'NAME', description: 'With --drop-retained: the environment whose server holds the database' },
    config: configFlag,
    by: { type: 'string', valueName: 'NAME', description: 'Who rolls back (default: git user)' },
    yes: { type: 'boolean', short: 'y', description: 'Do not ask for confirmation (scripts)' },
    commit: { type: 'boolean', description: 'Commit the updated record (default: the config "commit")' },
    'accept-data-loss': { type: 'boolean', description: 'Roll back although tables changed since the migration (the rows are listed and recorded)' },
    'target-moved': { type: 'boolean', description: "Roll back into a database other than the record's (the database moved); recorded" },
    'space-checked': { type: 'boolean', description: "Skip the free-space check when the server's disk cannot be measured from here (you checked it)" },
    'drop-retained': { type: 'string', valueName: 'NAME', description: 'Drop a database an earlier rollback kept (NAME_replaced_<date>)' },
  },
  async run({ flags, out, signal }) {
    const loaded = loadConfig(flags.config);
    if (flags['drop-retained']) return dropRetained(flags['drop-retained'], resolveDatabaseUrl({ db: flags.db, env: flags.env, loaded }).url, Boolean(flags.yes), out);
    if (!flags.record) throw usageError('--record ID is required', 'record ids are the file names in content/records without .mdx');
    const stored = await findRecord(loaded.path('records'), flags.record);
    const environment = stored.record.environment;
    if (!loaded.config.environments[environment] && !flags.db) {
      throw new LogbookError(`the record's environment "${environment}" is not configured, so its database is unknown; nothing was changed`, {
        code: 'E_CONFIG',
        exitCode: EXIT.usage,
        hint: `add "${environment}" under "environments" in ${loaded.file ?? 'logbook.config.json'}, or name the database with --db URL`,
      });
    }
    const db = resolveDatabaseUrl({ db: flags.db, env: flags.db ? undefined : environment, loaded });
    // The record first (refusals name it), then the archive, matched to the record's own sha256, before anything is asked or changed.
    await checkRecordItself(stored, loaded.path('records'));
    const checked = await checkBeforeRestore(stored.record.backup!.path, signal);
    checkArchiveMatchesRecord(stored.record, checked);
    const result = await rollbackRecord({
      stored,
      checked,
      url: db.url,
      config: loaded.config,
      stateDir: loaded.path('state'),
      baseDir: loaded.baseDir,
      by: flags.by,
      commit: flags.commit || loaded.config.commit,
      targetMoved: flags['target-moved'],
      acceptDataLoss: flags['accept-data-loss'],
      spaceChecked: flags['space-checked'],
      confirm: (question) => confirmDestructive(out, { yes: Boolean(flags.yes), question, what: 'roll back' }),
      out,
      signal,
    });
    if (!result) {
      out.info('not rolled back: no confirmation; nothing was changed');
      return EXIT.usage;
    }
    out.line(`rolled back ${stored.record.id}: ${stored.file}`);
    out.line(`  the replaced database is kept as ${result.retained}; drop it once you are sure: logbook rollback --drop-retained ${result.retained} --env ${environment}`);
    const pending = result.record.rollback!.after.migrations.migrations.filter((m) => m.status !== 'applied').map((m) => m.name);
    const undone = stored.record.migrations.filter((m) => pending.includes(m));
    out.line(`  migrations pending again: ${undone.length ? undone.join(', ') : 'none (check `logbook status`)'}`);
    out.line('  next: revert the code deploy that needs these migrations, and tell the team the rollback is done');
    if (result.checksFailed) {
      out.info('checks after the rollback failed: see the record');
      return EXIT.checksFailed;
    }
    return EXIT.ok;
  },
});

async function dropRetained(name: string, url: string, yes: boolean, out: Output): Promise<number> {
  if (!isRetainedDatabaseName(name)) throw usageError(`${JSON.stringify(name)} is not a database kept by a rollback (those are named <database>_replaced_<date>)`, 'see the rollback section of the record for its name');
  const facts = await withMaintenanceClient(url, 'looking up the kept database', (client) => readDatabaseFacts(client, name));
  if (!facts) throw usageError(`no database named ${JSON.stringify(name)} on this server`, 'check the name and the server (--db or --env)');
  if (!(await confirmDestructive(out, { yes, question: `Drop ${name} (${formatBytes(facts.bytes)}), the database an earlier rollback replaced? This cannot be undone.`, what: 'drop it' }))) {
    out.info('not dropped: no confirmation');
    return EXIT.usage;
  }
  await withMaintenanceClient(url, `dropping ${name}`, async (client) => {
    await setAllowConnections(client, name, false);
    await dropDatabase(client, name);
  });
  out.line(`dropped ${name}`);
  return EXIT.ok;
}
