// Flags many commands share: which config, which environment, which database.
import type { FlagDef } from './command.ts';

export const configFlag = {
  type: 'string',
  valueName: 'FILE',
  description: 'Config file (default: $LOGBOOK_CONFIG, else ./logbook.config.json)',
} as const satisfies FlagDef;

export const dbEnvFlag = {
  type: 'string',
  valueName: 'NAME',
  description: 'Env var holding the database URL (keeps the password out of the process list)',
} as const satisfies FlagDef;

export const connectionFlags = {
  env: {
    type: 'string',
    valueName: 'NAME',
    description: 'Environment from the config: its env var holds the database URL (records and locks are per environment)',
  },
  db: {
    type: 'string',
    valueName: 'URL',
    description: "Database URL (default: the environment's env var, else DATABASE_URL). A password in it is visible in ps: prefer --db-env",
  },
  'db-env': dbEnvFlag,
  config: configFlag,
} as const satisfies Record<string, FlagDef>;
