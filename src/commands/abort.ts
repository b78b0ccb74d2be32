// logbook abort: close an unfinished run; what it captured is filed as an aborted record.
import { defineCommand } from '../cli/command.ts';
import { exitCodeFor } from '../cli/errors.ts';
import { connectionFlags } from '../cli/common-flags.ts';

export default defineCommand({
  name: 'abort',
  summary: 'Close an unfinished run and release its environment lock',
  description: `Before the migration started: files what was captured as an "aborted" record (none if nothing
was captured) and exits 10. After it started: files an "interrupted" record with what is known (the
per-migration outcomes read from _prisma_migrations, the state after) and exits 11. Refused while any
process of the run's migration process group is alive.`,
  flags: {
    ...connectionFlags,
    run: { type: 'string', valueName: 'ID', description: 'The run to close (default: the only unfinished one)' },
    reason: { type: 'string', valueName: 'TEXT', description: 'Why, for the record' },
    commit: { type: 'boolean', description: 'Commit the record with git' },
  },
  async run({ flags, out, signal }) {
    const { loadConfig } = await import('../adapters/fs/config-file.ts');
    const { abortRun, findOpenRun } = await import('../workflow/drive-run.ts');
    const { buildRunContext } = await import('../workflow/run-context.ts');
    const journal = await findOpenRun(loadConfig(flags.config).path('state'), flags.run, flags.env);
    const ctx = buildRunContext({ ...flags, env: journal.environment, migrations: journal.migrationsDir ?? undefined }, out, signal, (await import('../cli/run-hooks.ts')).terminalRunHooks);
    return exitCodeFor(await abortRun(ctx, journal, flags.reason ?? 'aborted by hand with `logbook abort`'));
  },
});
