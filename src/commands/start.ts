// logbook start: the part before a migration run by hand — pre-flight, snapshot, lint, verified backup.
import { defineCommand } from '../cli/command.ts';
import type { RunSubject } from '../cli/report-run.ts';
import { connectionFlags } from '../cli/common-flags.ts';
import { filingFlags } from './run-flags.ts';

const { checklist: _notHere, interactive: _notHereEither, ...startFilingFlags } = filingFlags;

export default defineCommand({
  name: 'start',
  summary: 'Step by step, part 1: pre-flight, snapshot, lint, verified backup',
  description: `For teams that run the migration by hand: \`start\`, run it, then \`finish\`.
Everything captured is journaled in .logbook/runs/<run>.json and survives crashes; the environment
stays locked until \`finish\` or \`abort\`. Refused (10, aborted record) when the backup fails or the
database already has a failed migration, or when lint finds an unaccepted finding at lint.failOn.`,
  flags: {
    ...connectionFlags,
    ...startFilingFlags,
    migration: { type: 'string', multiple: true, valueName: 'NAME', description: 'Migration name(s) (default: the pending migrations)' },
    'accept-lint': {
      type: 'string',
      multiple: true,
      valueName: 'MIGRATION:RULE=REASON',
      description: 'Let a lint finding through the gate for that migration, with the reason (recorded); repeatable',
    },
    by: { type: 'string', valueName: 'NAME', description: 'Who runs it (default: git user)' },
  },
  async run({ flags, out, signal }) {
    const { reportRun } = await import('../cli/report-run.ts');
    const { createRun, startOnly } = await import('../workflow/drive-run.ts');
    const { buildRunContext } = await import('../workflow/run-context.ts');
    const subject: RunSubject = { environment: flags.env };
    return reportRun('start', { json: flags.json, out }, subject, async () => {
      const ctx = buildRunContext(flags, out, signal, (await import('../cli/run-hooks.ts')).terminalRunHooks);
      const journal = await createRun(ctx, { mode: 'step', migrations: flags.migration, command: [], by: flags.by });
      subject.journal = journal;
      return startOnly(ctx, journal);
    });
  },
});
