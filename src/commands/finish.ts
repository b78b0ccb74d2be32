// logbook finish: after a migration run by hand — post snapshot, checks, record.
import { defineCommand } from '../cli/command.ts';
import type { RunSubject } from '../cli/report-run.ts';
import { connectionFlags } from '../cli/common-flags.ts';
import { filingFlags, statusValues } from './run-flags.ts';

export default defineCommand({
  name: 'finish',
  summary: 'Step by step, part 2: post snapshot, checks, record',
  description: 'Status failed (11) when the migration is reported failed; unverified (12) when checks failed or could not run.',
  flags: {
    ...connectionFlags,
    ...filingFlags,
    run: { type: 'string', valueName: 'ID', description: 'The run to finish (default: the only unfinished one)' },
    status: { type: 'enum', options: statusValues, description: 'How the migration went (default: success)' },
    'exit-code': { type: 'int', description: 'Exit code of the migration you ran' },
  },
  async run({ flags, out, signal }) {
    const { reportRun } = await import('../cli/report-run.ts');
    const { finishStep, openRun } = await import('../workflow/drive-run.ts');
    const { checklistSource } = await import('../workflow/run-context.ts');
    const subject: RunSubject = { environment: flags.env };
    return reportRun('finish', { json: flags.json, out }, subject, async () => {
      const { ctx, journal } = await openRun(flags, out, signal, (await import('../cli/run-hooks.ts')).terminalRunHooks);
      subject.journal = journal;
      return finishStep(ctx, journal, {
        status: flags.status,
        exitCode: flags['exit-code'],
        checklist: checklistSource(flags, ctx),
      });
    });
  },
});
