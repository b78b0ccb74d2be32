// logbook rollback: restore the backup a record names beside the live database, swap it in, and append the rollback to the record.
import { defineCommand } from '../cli/command.ts';
import { configFlag, dbEnvFlag } from '../cli/common-flags.ts';
import { EXIT, type ExitCode, LogbookError, outcomeFor, usageError } from '../cli/errors.ts';
import type { Output } from '../cli/output.ts';
import type { RunSubject } from '../cli/report-run.ts';
import type { RollbackJournal } from '../workflow/rollback-journal.ts';

export default defineCommand({
  name: 'rollback',
  summary: "Restore a record's backup beside the live database, swap it in, and append the rollback to the record",
  description: `Trusts only the record: refuses (exit 10, nothing changed) a record whose facts were edited, that was already
rolled back or has a later record in its environment, an archive that does not hash to the record's sha256, a
database other than the record's (unless --target-moved, which is recorded), and rows written since the
migration (unless --accept-data-loss). Then, under the environment lock: restores the backup into a new
database on the same server, verifies it (exact counts equal the backup's, objects present), enters
maintenance, closes the live database to new connections, ends its sessions and swaps the names in one
transaction (owner, settings, grants and comment carried over), leaves maintenance, runs the checks, and
appends a "Rollback" section to the record. The replaced database is kept; drop it later with --drop-retained.
Every step is journaled (here and in the lock row): one interrupted by kill -9 or a lost machine is finished with
\`logbook resume\` or, before its swap, undone with \`logbook abort\`; running the rollback again does either.`,
  flags: {
    record: { type: 'string', valueName: 'ID', description: 'Record id (its file name without .mdx); required unless --drop-retained' },
    db: { type: 'string', valueName: 'URL', description: "Database URL (default: the record's environment env var)" },
    'db-env': dbEnvFlag,
    env: { type: 'string', valueName: 'NAME', description: 'With --drop-retained: the environment whose server holds the database' },
    config: configFlag,
    by: { type: 'string', valueName: 'NAME', description: 'Who rolls back (default: git user)' },
    yes: { type: 'boolean', short: 'y', description: 'Do not ask for confirmation (scripts)' },
    commit: { type: 'boolean', description: 'Commit the updated record (default: the config "commit")' },
    json: { type: 'boolean', description: 'Print one JSON object on stdout (outcome, exit code, record, backup) and nothing else' },
    push: { type: 'boolean', description: 'Commit the updated record and push it to the records remote (default: the config "git.push")' },
    wait: { type: 'string', valueName: 'DURATION', description: 'Wait up to DURATION (30s, 5m) for a run to free the database, instead of refusing (exit 13)' },
    'accept-data-loss': { type: 'boolean', description: 'Roll back although tables changed since the migration (the rows are listed and recorded)' },
    'target-moved': { type: 'boolean', description: "Roll back into a database other than the record's (the database moved); recorded" },
    'space-checked': { type: 'boolean', description: "Skip the free-space check when the server's disk cannot be measured from here (you checked it)" },
    'drop-retained': {
      type: 'string',
      valueName: 'NAME',
      conflicts: ['record'],
      description: 'Drop a database an earlier rollback kept (NAME_replaced_<date>)',
    },
  },
  async run({ flags, out, signal }) {
    const { loadConfig } = await import('../adapters/fs/config-file.ts');
    const { resolveDatabaseUrl } = await import('../workflow/database-url.ts');
    const { reportRun } = await import('../cli/report-run.ts');
    const loaded = loadConfig(flags.config);
    if (flags['drop-retained'])
      return dropRetained(
        flags['drop-retained'],
        resolveDatabaseUrl({ db: flags.db, dbEnv: flags['db-env'], env: flags.env, loaded }).url,
        Boolean(flags.yes),
        out,
      );
    if (!flags.record) throw usageError('--record ID is required', 'record ids are the record file names (in the records folder or its YYYY/MM folders)');
    const subject: RunSubject = { environment: flags.env };
    const record = flags.record;
    return reportRun('rollback', { json: flags.json, out }, subject, async () =>
      outcomeFor(await rollBackRecord({ ...flags, record }, { out, signal, subject })),
    );
  },
});

export interface RollbackFlags {
  record: string;
  db?: string | undefined;
  'db-env'?: string | undefined;
  config?: string | undefined;
  by?: string | undefined;
  yes?: boolean | undefined;
  commit?: boolean | undefined;
  json?: boolean | undefined;
  push?: boolean | undefined;
  wait?: string | undefined;
  'accept-data-loss'?: boolean | undefined;
  'target-moved'?: boolean | undefined;
  'space-checked'?: boolean | undefined;
}

/** The rollback of one record, for `rollback --record` and for `resume` of an interrupted one (which passes what it had accepted). */
export async function rollBackRecord(
  flags: RollbackFlags,
  context: { out: Output; signal: AbortSignal; subject: RunSubject; acceptedBefore?: RollbackJournal['dataLossAccepted'] },
): Promise<ExitCode> {
  const { out, signal, subject } = context;
  const { findRecord } = await import('../adapters/fs/record-store.ts');
  const { loadConfig } = await import('../adapters/fs/config-file.ts');
  const { checkBeforeRestore } = await import('../adapters/pgdump/restore.ts');
  const { confirmDestructive } = await import('../cli/confirm.ts');
  const { resolveDatabaseUrl } = await import('../workflow/database-url.ts');
  const { checkArchiveMatchesRecord, checkRecordItself, rollbackRecord } = await import('../workflow/rollback-record.ts');
  const { parseWaitFlag } = await import('../workflow/run-context.ts');
  const { pushRecords } = await import('../adapters/git/publish-records.ts');
  const { migrationsNotApplied } = await import('../core/record/snapshot-access.ts');
  const loaded = loadConfig(flags.config);
  const record = flags.record;
  // With --json, stdout carries the one JSON object: the result lines go to stderr.
  const say = (text: string) => (flags.json ? out.info(text) : out.line(text));
  const stored = await findRecord(loaded.path('records'), record);
  const environment = stored.record.environment;
  subject.environment = environment;
  if (!loaded.config.environments[environment] && !flags.db && !flags['db-env']) {
    throw new LogbookError(`the record's environment "${environment}" is not configured, so its database is unknown; nothing was changed`, {
      code: 'E_CONFIG',
      exitCode: EXIT.usage,
      hint: `add "${environment}" under "environments" in ${loaded.file ?? 'logbook.config.json'}, or name the database with --db URL`,
    });
  }
  const db = resolveDatabaseUrl({ db: flags.db, dbEnv: flags['db-env'], env: flags.db || flags['db-env'] ? undefined : environment, loaded });
  // The record first (refusals name it), then the archive, matched to the record's own sha256, before anything is asked or changed.
  await checkRecordItself(stored, loaded.path('records'));
  const checked = await checkBeforeRestore(stored.record.backup?.path ?? '', signal).catch((error: unknown) => {
    if (!stored.record.backup) return null;
    throw error;
  });
  if (!checked)
    throw new LogbookError(`cannot roll back ${stored.record.id}: it names no backup; nothing was changed`, {
      code: 'E_ROLLBACK_REFUSED',
      exitCode: EXIT.aborted,
    });
  checkArchiveMatchesRecord(stored.record, checked);
  const result = await rollbackRecord({
    stored,
    checked,
    url: db.url,
    config: loaded.config,
    stateDir: loaded.path('state'),
    baseDir: loaded.baseDir,
    recordsDir: loaded.path('records'),
    by: flags.by,
    commit: Boolean(flags.commit || flags.push || loaded.config.commit || loaded.config.git.push),
    targetMoved: flags['target-moved'],
    acceptDataLoss: flags['accept-data-loss'],
    acceptedBefore: context.acceptedBefore,
    spaceChecked: flags['space-checked'],
    waitMs: parseWaitFlag(flags.wait),
    confirm: (question) => confirmDestructive(out, { yes: Boolean(flags.yes), question, what: 'roll back' }),
    critical: (await import('../cli/critical-section.ts')).critical,
    out,
    signal,
  });
  if (!result) {
    out.info('not rolled back: no confirmation; nothing was changed');
    return EXIT.usage;
  }
  subject.recordPath = stored.file;
  say(`rolled back ${stored.record.id}: ${stored.file}`);
  say(
    `  the replaced database is kept as ${result.retained}; drop it once you are sure: logbook rollback --drop-retained ${result.retained} --env ${environment}`,
  );
  const pending = migrationsNotApplied(result.record.rollback!.after).map((m) => m.name);
  const undone = stored.record.migrations.filter((m) => pending.includes(m));
  say(`  migrations pending again: ${undone.length ? undone.join(', ') : 'none (check `logbook status`)'}`);
  say('  next: revert the code deploy that needs these migrations, and tell the team the rollback is done');
  if (flags.push || loaded.config.git.push) {
    // The appended rollback is a new commit on top of the record's; a failed push leaves it for `logbook sync`.
    const pushed = await pushRecords(loaded.path('records'), { remote: loaded.config.git.remote }).catch((error: Error) => {
      out.warn(`${error.message}${error instanceof LogbookError && error.hint ? `\n  next: ${error.hint}` : ''}`);
      return null;
    });
    if (!pushed) return EXIT.notCommitted;
  }
  if (result.checksFailed) {
    out.info('checks after the rollback failed: see the record');
    return EXIT.checksFailed;
  }
  return EXIT.ok;
}

async function dropRetained(name: string, url: string, yes: boolean, out: Output): Promise<number> {
  const { dropDatabase, quoteIdent, setAllowConnections, withMaintenanceClient, readDatabaseFacts } = await import('../adapters/pg/database-swap.ts');
  const { confirmDestructive } = await import('../cli/confirm.ts');
  const { isRetainedDatabaseName } = await import('../core/backup/database-names.ts');
  const { formatBytes } = await import('../core/format.ts');
  if (!isRetainedDatabaseName(name))
    throw usageError(
      `${JSON.stringify(name)} is not a database kept by a rollback (those are named <database>_replaced_<date>)`,
      'see the rollback section of the record for its name',
    );
  const facts = await withMaintenanceClient(url, 'looking up the kept database', (client) => readDatabaseFacts(client, name));
  if (!facts) throw usageError(`no database named ${JSON.stringify(name)} on this server`, 'check the name and the server (--db or --env)');
  // A swap leaves the database it replaced closed to connections; one that takes them may be what the app uses now.
  if (facts.allowConnections)
    throw new LogbookError(`${JSON.stringify(name)} takes connections, so it may be in use (a database a swap kept is closed); nothing was changed`, {
      code: 'E_ROLLBACK_REFUSED',
      exitCode: EXIT.aborted,
      hint: `check that nothing uses it, close it (ALTER DATABASE ${quoteIdent(name)} WITH ALLOW_CONNECTIONS false), then run this again`,
    });
  if (
    !(await confirmDestructive(out, {
      yes,
      question: `Drop ${name} (${formatBytes(facts.bytes)}), the database an earlier rollback replaced? This cannot be undone.`,
      what: 'drop it',
    }))
  ) {
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
