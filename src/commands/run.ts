// logbook run: the whole deployment phase around one migration command, filing the record.
import { defineCommand } from '../cli/command.ts';
import type { RunSubject } from '../cli/report-run.ts';
import { connectionFlags } from '../cli/common-flags.ts';
import { filingFlags } from './run-flags.ts';

export default defineCommand({
  name: 'run',
  summary: 'Capture, lint, back up (verified), migrate, check, and file the record',
  description: `Runs the seed checklist's deployment phase in one command:
pre-flight → pre snapshot → lint → verified backup (gate) → maintenance enter → the migration command
→ maintenance leave → post snapshot → integrity checks → smoke checks → record (→ git commit).
If the backup or its verification fails, or the database already has a failed migration, the migration
is NOT run and an "aborted" record is filed. The migration command runs in its own process group: Ctrl-C
or SIGTERM stops the whole group (SIGKILL after process.stopGraceMs), and maintenance mode is still left.
Status: success only when the post snapshot, every configured check and leaving maintenance mode ran and
passed; unverified when the migration ran but one of them did not; failed when the migration failed.
If lint finds an unaccepted finding at lint.failOn (default: error), the run stops before the backup
(exit 10, "aborted" record); accept one with --accept-lint MIGRATION:RULE=REASON or a
\`-- logbook:accept RULE: reason\` comment in the migration file.`,
  acceptsRest: { valueName: 'migration command...', required: true, example: 'e.g. logbook run --env production -- npx prisma migrate deploy' },
  flags: {
    ...connectionFlags,
    ...filingFlags,
    migration: { type: 'string', multiple: true, valueName: 'NAME', description: 'Migration name(s) for the record (default: the pending migrations)' },
    'accept-lint': {
      type: 'string',
      multiple: true,
      valueName: 'MIGRATION:RULE=REASON',
      description: 'Let a lint finding through the gate for that migration, with the reason (recorded); repeatable',
    },
    by: { type: 'string', valueName: 'NAME', description: 'Who runs it, "Name <email>" (default: git user.name/user.email)' },
  },
  async run({ flags, rest, out, signal }) {
    const { reportRun } = await import('../cli/report-run.ts');
    const { createRun, runAll } = await import('../workflow/drive-run.ts');
    const { buildRunContext, checklistSource } = await import('../workflow/run-context.ts');
    const subject: RunSubject = { environment: flags.env };
    return reportRun('run', { json: flags.json, out }, subject, async () => {
      const ctx = buildRunContext(flags, out, signal, (await import('../cli/run-hooks.ts')).terminalRunHooks);
      const checklist = checklistSource(flags, ctx);
      const journal = await createRun(ctx, { mode: 'run', migrations: flags.migration, command: rest, by: flags.by });
      subject.journal = journal;
      return runAll(ctx, journal, rest, checklist);
    });
  },
});
