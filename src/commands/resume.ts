// logbook resume: continue a run that was interrupted (crash, Ctrl-C, SIGKILL) from its journal.
import { defineCommand } from '../cli/command.ts';
import { usageError } from '../cli/errors.ts';
import { reportRun, type RunSubject } from '../workflow/report-run.ts';
import { openRun, resumeRun } from '../workflow/drive-run.ts';
import { checklistSource } from '../workflow/run-context.ts';
import { connectionFlags } from '../cli/common-flags.ts';
import { filingFlags, statusValues } from '../workflow/run-flags.ts';

export default defineCommand({
  name: 'resume',
  summary: 'Continue an interrupted run from its journal; nothing captured is redone',
  usage: '[--run ID] [--status success|failed] [-- <migration command...>]',
  description: `Phases already in the journal are kept as they are. If the run died while the migration was
running, its outcome was not observed: the record says so and takes --status (default failed).
Refused while any process of the run's migration process group is alive; when maintenance mode was
entered and never left, it is left first and the real downtime recorded.`,
  acceptsRest: true,
  flags: {
    ...connectionFlags,
    ...filingFlags,
    run: { type: 'string', valueName: 'ID', description: 'The run to resume (default: the only unfinished one)' },
    status: { type: 'string', valueName: 'STATUS', description: 'Outcome of a migration whose end was not observed: success or failed' },
  },
  async run({ flags, rest, out, signal }) {
    if (flags.status && !statusValues.includes(flags.status as (typeof statusValues)[number])) throw usageError(`--status must be success or failed, not "${flags.status}"`);
    const subject: RunSubject = { environment: flags.env };
    return reportRun('resume', { json: flags.json, out }, subject, async () => {
      const { ctx, journal } = await openRun(flags, out, signal);
      subject.journal = journal;
      return resumeRun(ctx, journal, { command: rest, status: flags.status as (typeof statusValues)[number] | undefined, checklist: checklistSource(flags, ctx) });
    });
  },
});
