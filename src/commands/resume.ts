// logbook resume: continue a run that was interrupted (crash, Ctrl-C, SIGKILL) from its journal.
import { defineCommand } from '../cli/command.ts';
import { connectionFlags } from '../cli/common-flags.ts';
import type { RunSubject } from '../cli/report-run.ts';
import { filingFlags, statusValues } from './run-flags.ts';

export default defineCommand({
  name: 'resume',
  summary: 'Continue an interrupted run, rollback or restore from its journal; nothing captured is redone',
  description: `Phases already in the journal are kept as they are. If the run died while the migration was
running, its outcome was not observed: the record says so and takes --status (default failed).
Refused while any process of the run's migration process group is alive; when maintenance mode was
entered and never left, it is left first and the real downtime recorded.
An interrupted rollback or restore (run ids rollback-<record>, restore-<stamp>) is completed: one whose swap
committed gets its record (or its tidying up); one that never swapped is undone and runs again from the restore.`,
  acceptsRest: { valueName: 'migration command...' },
  flags: {
    ...connectionFlags,
    ...filingFlags,
    run: { type: 'string', valueName: 'ID', description: 'The run to resume (default: the only unfinished one)' },
    status: { type: 'enum', options: statusValues, description: 'Outcome of a migration whose end was not observed' },
  },
  async run({ flags, rest, out, signal }) {
    const { reportRun } = await import('../cli/report-run.ts');
    const { openRun, resumeRun } = await import('../workflow/drive-run.ts');
    const { checklistSource } = await import('../workflow/run-context.ts');
    const subject: RunSubject = { environment: flags.env };
    return reportRun('resume', { json: flags.json, out }, subject, async () => {
      const { findSwapRun, resumeSwapRun } = await import('./interrupted-swaps.ts');
      const swap = await findSwapRun(flags, out);
      if (swap) return resumeSwapRun(swap, flags, { out, signal, subject });
      const { ctx, journal } = await openRun(flags, out, signal, (await import('../cli/run-hooks.ts')).terminalRunHooks);
      subject.journal = journal;
      return resumeRun(ctx, journal, { command: rest, status: flags.status, checklist: checklistSource(flags, ctx) });
    });
  },
});
