// logbook run: the whole deployment phase around one migration command, filing the record.
import { defineCommand } from '../cli/command.ts';
import { connectionFlags } from '../cli/common-flags.ts';
import { filingFlags } from '../workflow/run-flags.ts';

export default defineCommand({
  name: 'run',
  summary: 'Capture, lint, back up (verified), migrate, check, and file the record',
  description: `Runs the seed checklist's deployment phase in one command:
pre-flight → pre snapshot → lint → verified backup (gate) → maintenance enter → the migration command
→ maintenance leave → post snapshot → integrity checks → smoke checks → record (→ git commit).
If the backup or its verification fails, the migration is NOT run and an "aborted" record is filed.

Exit codes: 0 success; 10 aborted before the migration; 11 migration failed; 12 checks failed;
13 another run holds the environment; 2 usage/config error; 130 interrupted (resume or abort it).`,
  acceptsRest: { valueName: 'migration command...', required: true, example: 'e.g. logbook run --env production -- npx prisma migrate deploy' },
  flags: {
    ...connectionFlags,
    ...filingFlags,
    migration: { type: 'string', multiple: true, valueName: 'NAME', description: 'Migration name(s) for the record (default: the pending migrations)' },
    by: { type: 'string', valueName: 'NAME', description: 'Who runs it, "Name <email>" (default: git user.name/user.email)' },
  },
  async run({ flags, rest, out, signal }) {
    const { createRun, runAll } = await import('../workflow/drive-run.ts');
    const { buildRunContext, checklistSource } = await import('../workflow/run-context.ts');
    const ctx = buildRunContext(flags, out, signal);
    const checklist = checklistSource(flags, ctx);
    const journal = await createRun(ctx, { mode: 'run', migrations: flags.migration, command: rest, by: flags.by });
    return runAll(ctx, journal, rest, checklist);
  },
});
