// logbook abort: close an unfinished run; what it captured is filed as an aborted record.
import { defineCommand } from '../cli/command.ts';
import { connectionFlags } from '../cli/common-flags.ts';
import type { RunSubject } from '../cli/report-run.ts';

export default defineCommand({
  name: 'abort',
  summary: 'Close an unfinished run and release its environment lock; undo a rollback or restore interrupted before its swap',
  description: `Before the migration started: files what was captured as an "aborted" record (none if nothing
was captured) and exits 10. After it started: files an "interrupted" record with what is known (the
per-migration outcomes read from _prisma_migrations, the state after) and exits 11. Refused while any
process of the run's migration process group is alive.
An interrupted rollback or restore whose swap never committed is undone (exit 10): its copy dropped, the live
database reopened, both checked on the server. One whose swap committed is never swapped back: abort says so
and refuses (exit 2); \`logbook resume\` finishes it.`,
  flags: {
    ...connectionFlags,
    run: { type: 'string', valueName: 'ID', description: 'The run to close (default: the only unfinished one)' },
    reason: { type: 'string', valueName: 'TEXT', description: 'Why, for the record' },
    commit: { type: 'boolean', description: 'Commit the record with git' },
    push: { type: 'boolean', description: 'Commit the record and push it to the records remote (default: the config "git.push")' },
    json: { type: 'boolean', description: 'Print one JSON object on stdout and nothing else' },
    wait: { type: 'string', valueName: 'DURATION', description: "Wait up to DURATION for the run's lock instead of refusing (exit 13)" },
  },
  async run({ flags, out, signal }) {
    const { reportRun } = await import('../cli/report-run.ts');
    const { abortRun, openRun } = await import('../workflow/drive-run.ts');
    const subject: RunSubject = { environment: flags.env };
    return reportRun('abort', { json: flags.json, out }, subject, async () => {
      const { abortSwapRun, findSwapRun } = await import('./interrupted-swaps.ts');
      const swap = await findSwapRun(flags, out);
      if (swap) return abortSwapRun(swap, flags, { out, subject });
      const { ctx, journal } = await openRun(flags, out, signal, (await import('../cli/run-hooks.ts')).terminalRunHooks);
      subject.journal = journal;
      return abortRun(ctx, journal, flags.reason ?? 'aborted by hand with `logbook abort`');
    });
  },
});
