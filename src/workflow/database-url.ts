// Which database a command talks to: --db, else the --env environment's configured env var, else DATABASE_URL.
import type { LoadedConfig } from '../adapters/fs/config-file.ts';
import { parseDatabaseUrl } from '../adapters/pg/client.ts';
import { redactUrl } from '../core/redact.ts';
import { LogbookError } from '../core/errors.ts';

export interface ResolvedDatabase {
  url: string;
  /** The URL with its password replaced, safe to print or store. */
  redacted: string;
  /** Where the URL came from, for messages: "--db", "DATABASE_URL", "PROD_DATABASE_URL (environment production)". */
  source: string;
}

export function resolveDatabaseUrl(options: { db?: string | undefined; env?: string | undefined; loaded: LoadedConfig }): ResolvedDatabase {
  const { db, env, loaded } = options;
  let url: string | undefined;
  let source: string;
  if (db) {
    url = db;
    source = '--db';
  } else if (env) {
    const environment = loaded.config.environments[env];
    if (!environment) {
      const known = Object.keys(loaded.config.environments);
      throw new LogbookError(`unknown environment "${env}"`, {
        code: 'E_CONFIG',
        outcome: 'usage',
        hint: known.length ? `configured environments: ${known.join(', ')}` : `add it under "environments" in ${loaded.file ?? 'logbook.config.json'}`,
      });
    }
    url = process.env[environment.databaseUrlEnv];
    source = `${environment.databaseUrlEnv} (environment ${env})`;
  } else {
    url = process.env.DATABASE_URL;
    source = 'DATABASE_URL';
  }
  if (!url) {
    throw new LogbookError(`no database URL: ${source} is not set`, {
      code: 'E_NO_DATABASE_URL',
      outcome: 'usage',
      hint: `export ${source.split(' ')[0]}=postgresql://USER:PASSWORD@HOST:5432/DB, or pass --db URL`,
    });
  }
  try {
    parseDatabaseUrl(url);
    if (!/^postgres(ql)?:\/\//.test(url)) throw new Error('not a postgres:// or postgresql:// URL');
  } catch (error) {
    throw new LogbookError(`the database URL from ${source} is not a valid connection string`, {
      code: 'E_BAD_DATABASE_URL',
      outcome: 'usage',
      cause: error,
      hint: 'use the form postgresql://USER:PASSWORD@HOST:5432/DB',
    });
  }
  return { url, redacted: redactUrl(url), source };
}
