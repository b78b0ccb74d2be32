// Flags shared by run, start, finish and resume.
import type { FlagDef } from '../cli/command.ts';

export const filingFlags = {
  'app-repo': { type: 'string', valueName: 'DIR', description: 'Application git repo, for provenance (default: the environment appRepo)' },
  migrations: { type: 'string', valueName: 'DIR', description: 'Prisma migrations folder (default: <appRepo>/prisma/migrations or ./prisma/migrations)' },
  commit: { type: 'boolean', description: 'Commit the record with git (default: the config "commit")' },
  push: { type: 'boolean', description: 'Commit the record and push it to the records remote (default: the config "git.push"); exit 15 when the push fails' },
  json: { type: 'boolean', description: 'Print one JSON object on stdout (outcome, exit code, record, migrations, backup) and nothing else' },
  wait: {
    type: 'string',
    valueName: 'DURATION',
    description: 'Wait up to DURATION (30s, 5m) for a run elsewhere to free the database, instead of refusing (exit 13)',
  },
  checklist: {
    type: 'string',
    valueName: 'FILE',
    description: 'Checklist JSON exported from the runbook page: the steps a person did, skipped or found not applicable',
  },
  interactive: { type: 'boolean', description: 'Ask about each manual runbook step (done / skipped with a reason / not applicable) before filing' },
} as const satisfies Record<string, FlagDef>;

export const statusValues = ['success', 'failed'] as const;
