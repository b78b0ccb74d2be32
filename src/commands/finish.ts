// logbook finish: after a migration run by hand — post snapshot, checks, record.
import { defineCommand } from '../cli/command.ts';
import { usageError } from '../cli/errors.ts';
import { reportRun, type RunSubject } from '../workflow/report-run.ts';
import { openRun, finishStep } from '../workflow/drive-run.ts';
import { checklistSource } from '../workflow/run-context.ts';
import { connectionFlags } from '../cli/common-flags.ts';
import { filingFlags, statusValues } from '../workflow/run-flags.ts';

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
    const subject: RunSubject = { environment: flags.env };
    return reportRun('finish', { json: flags.json, out }, subject, async () => {
      const { ctx, journal } = await openRun(flags, out, signal);
      subject.journal = journal;
      return finishStep(ctx, journal, {
      status: flags.status as (typeof statusValues)[number] | undefined,
      exitCode,
      checklist: checklistSource(flags, ctx),
    });
    });
  },
});
