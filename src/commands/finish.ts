// logbook finish: after a migration run by hand — post snapshot, checks, record.
import { defineCommand } from '../cli/command.ts';
import { exitCodeFor, usageError } from '../cli/errors.ts';
import { findOpenRun, finishStep } from '../workflow/drive-run.ts';
import { buildRunContext, checklistSource } from '../workflow/run-context.ts';
import { connectionFlags } from '../cli/common-flags.ts';
import { filingFlags, statusValues } from '../workflow/run-flags.ts';
import { loadConfig } from '../adapters/fs/config-file.ts';

export default defineCommand({
  name: 'finish',
  summary: 'Step by step, part 2: post snapshot, checks, record',
  usage: '[--run ID] [--status success|failed] [--exit-code N] [--checklist FILE] [--commit]',
  description: 'Status failed (11) when the migration is reported failed; unverified (12) when checks failed or could not run.',
  flags: {
    ...connectionFlags,
    ...filingFlags,
    run: { type: 'string', valueName: 'ID', description: 'The run to finish (default: the only unfinished one)' },
    status: { type: 'string', valueName: 'STATUS', description: 'How the migration went: success (default) or failed' },
    'exit-code': { type: 'string', valueName: 'N', description: 'Exit code of the migration you ran' },
  },
  async run({ flags, out, signal }) {
    if (flags.status && !statusValues.includes(flags.status as (typeof statusValues)[number])) throw usageError(`--status must be success or failed, not "${flags.status}"`);
    const exitCode = flags['exit-code'] === undefined ? undefined : Number(flags['exit-code']);
    if (exitCode !== undefined && !Number.isInteger(exitCode)) throw usageError('--exit-code takes a whole number');
    const journal = await findOpenRun(loadConfig(flags.config).path('state'), flags.run, flags.env);
    const ctx = buildRunContext({ ...flags, env: journal.environment, migrations: flags.migrations ?? journal.migrationsDir ?? undefined }, out, signal);
    return exitCodeFor(await finishStep(ctx, journal, {
      status: flags.status as (typeof statusValues)[number] | undefined,
      exitCode,
      checklist: checklistSource(flags, ctx),
    }));
  },
});
