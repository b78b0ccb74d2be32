// logbook restore: put a stored backup back by restoring it beside the target database, verifying it, and swapping it in (or into a new database only).
import { defineCommand } from '../cli/command.ts';
import { configFlag, dbEnvFlag } from '../cli/common-flags.ts';
import { EXIT, LogbookError } from '../cli/errors.ts';

export default defineCommand({
  name: 'restore',
  summary: 'Restore a backup beside a database, verify it, and swap it in (or restore into a new database only)',
  description: [
    "Checks the archive's sha256 against its sidecar and refuses (exit 10, nothing changed) when the role cannot create",
    'and rename databases or the server lacks room for a second copy. Asks before changing anything (y/N on a terminal; --yes in scripts).',
    'Then restores into a new database on the same server and counts every table exactly against the sidecar; only a copy that',
    'matches is swapped in: the target is closed to connections, its sessions ended, and the names swapped in one transaction',
    '(owner, settings, grants and comment carried over). The replaced database is kept (drop it with `logbook rollback --drop-retained`).',
    'With --env, the environment lock is held and maintenance mode entered around the swap. --into NAME restores into a new database NAME and stops there.',
    'Every step is journaled: a restore killed at any point is finished with `logbook resume` or undone with `logbook abort` (before the swap), or recovered by the next restore.',
  ].join('\n'),
  flags: {
    from: {
      type: 'string',
      valueName: 'PATH',
      required: true,
      example: 'e.g. logbook restore --from .logbook/backups/backup_20260101_120000_app.dump',
      description: 'The backup archive (or its .meta.json sidecar)',
    },
    db: { type: 'string', valueName: 'URL', description: 'Database to replace (default: DATABASE_URL)' },
    'db-env': dbEnvFlag,
    env: { type: 'string', valueName: 'NAME', description: "Use the configured environment's database URL env var, lock and maintenance commands" },
    into: { type: 'string', valueName: 'NAME', description: 'Restore into a new database of this name on the same server, and swap nothing' },
    config: configFlag,
    yes: { type: 'boolean', short: 'y', description: 'Do not ask for confirmation (scripts)' },
    json: { type: 'boolean', description: 'Print the result as JSON' },
    'space-checked': { type: 'boolean', description: "Skip the free-space check when the server's disk cannot be measured from here (you checked it)" },
  },
  async run({ flags, out, signal }) {
    const { loadConfig } = await import('../adapters/fs/config-file.ts');
    const { withDatabase } = await import('../adapters/pg/client.ts');
    const { createDatabaseLike, databaseExists, readDatabaseFacts, withMaintenanceClient } = await import('../adapters/pg/database-swap.ts');
    const { checkBeforeRestore } = await import('../adapters/pgdump/restore.ts');
    const { resolveDatabaseUrl } = await import('../workflow/database-url.ts');
    const { confirmDestructive } = await import('../cli/confirm.ts');
    const { critical } = await import('../cli/critical-section.ts');
    const { createProgressLine } = await import('../cli/progress-line.ts');
    const { formatDuration } = await import('../core/format.ts');
    const { redactUrl } = await import('../core/redact.ts');
    const { planSwap, restoreBeside } = await import('../workflow/restore-beside.ts');
    const loaded = loadConfig(flags.config);
    const { url, redacted } = resolveDatabaseUrl({ db: flags.db, dbEnv: flags['db-env'], env: flags.env, loaded });
    const checked = await checkBeforeRestore(flags.from, signal);
    const { meta } = checked;
    const progress = createProgressLine(out);

    if (flags.into) {
      const into = flags.into;
      const target = withDatabase(url, into);
      const question = `Restore ${meta.database} as of ${meta.startedAt} into a new database ${JSON.stringify(into)} on ${redactUrl(target)}?`;
      if (!(await confirmDestructive(out, { yes: Boolean(flags.yes), question, what: 'restore' }))) return declined(out);
      const plan = await planSwap(url, checked, { at: new Date(), spaceChecked: flags['space-checked'], swap: false });
      await withMaintenanceClient(url, `creating ${into}`, async (client) => {
        if (await databaseExists(client, into))
          throw new LogbookError(`a database named ${JSON.stringify(into)} already exists; nothing was changed`, {
            code: 'E_RESTORE_EXISTS',
            exitCode: EXIT.aborted,
            hint: 'choose another name with --into',
          });
        await createDatabaseLike(client, into, (await readDatabaseFacts(client, plan.live.name))!);
      });
      // restoreBeside creates its database itself; here the named one exists already, so restore into it directly.
      const restored = await restoreBeside({ ...plan, restoring: into }, checked, { signal, onProgress: progress.update, created: true }).finally(() =>
        progress.done(),
      );
      if (flags.json) out.json({ ok: true, path: meta.path, database: into, durationMs: restored.durationMs, counts: restored.counts });
      else
        out.line(
          `restored ${meta.path} into the new database ${into} in ${formatDuration(restored.durationMs)}; all ${restored.counts.length} table counts match the backup`,
        );
      return EXIT.ok;
    }

    const { restoreInPlace } = await import('../workflow/restore-in-place.ts');
    const done = await restoreInPlace({
      url,
      checked,
      environment: flags.env,
      dbEnv: flags['db-env'],
      config: loaded.config,
      baseDir: loaded.baseDir,
      stateDir: loaded.path('state'),
      spaceChecked: flags['space-checked'],
      confirm: (plan) =>
        confirmDestructive(out, {
          yes: Boolean(flags.yes),
          question: `Restore ${meta.database} as of ${meta.startedAt} in place of ${redacted}? It is restored beside and swapped in; the current database is kept as ${plan.retained}.`,
          what: 'restore',
        }),
      onProgress: progress.update,
      critical,
      out,
      signal,
    }).finally(() => progress.done());
    if (!done) return declined(out);
    const { plan, restored } = done;
    if (flags.json)
      out.json({ ok: true, path: meta.path, database: plan.live.name, retained: plan.retained, durationMs: restored.durationMs, counts: restored.counts });
    else {
      out.line(`restored ${meta.path} into ${redacted} in ${formatDuration(restored.durationMs)}`);
      out.line(`  row counts: all ${restored.counts.length} tables match the backup`);
      out.line(`  the replaced database is kept as ${plan.retained}; drop it once you are sure: logbook rollback --drop-retained ${plan.retained}`);
    }
    return EXIT.ok;
  },
});

function declined(out: { info(text: string): void }): number {
  out.info('not restored: no confirmation; nothing was changed');
  return EXIT.usage;
}
