// Which database a command talks to: --db, else --db-env's env var, else the --env environment's configured
// env var, else DATABASE_URL.
import type { LoadedConfig } from '../adapters/fs/config-file.ts';
import { type DatabaseTarget, parseDatabaseTarget } from '../adapters/pg/target.ts';
import { LogbookError } from '../core/errors.ts';

export interface ResolvedDatabase {
  url: string;
  /** The URL parsed once: pg client config, libpq connection string and environment, display string. */
  target: DatabaseTarget;
  /** The URL with its password replaced, safe to print or store (= target.display). */
  redacted: string;
  /** Where the URL came from, for messages: "--db", "DATABASE_URL", "PROD_DATABASE_URL (environment production)". */
  source: string;
}

export function resolveDatabaseUrl(options: {
  db?: string | undefined;
  dbEnv?: string | undefined;
  env?: string | undefined;
  loaded: LoadedConfig;
}): ResolvedDatabase {
  const { db, dbEnv, env, loaded } = options;
  let url: string | undefined;
  let source: string;
  if (db) {
    url = db;
    source = '--db';
  } else if (dbEnv) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(dbEnv)) {
      throw new LogbookError(`--db-env takes the NAME of an environment variable, not "${dbEnv}"`, {
        code: 'E_USAGE',
        outcome: 'usage',
        hint: 'e.g. --db-env PROD_DATABASE_URL, with the URL exported in that variable',
      });
    }
    url = process.env[dbEnv];
    source = dbEnv;
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
  let target: DatabaseTarget;
  try {
    if (!/^postgres(ql)?:\/\//.test(url)) throw new Error('not a postgres:// or postgresql:// URL');
    target = parseDatabaseTarget(url);
  } catch (error) {
    throw new LogbookError(`the database URL from ${source} is not a valid connection string`, {
      code: 'E_BAD_DATABASE_URL',
      outcome: 'usage',
      cause: error,
      hint: 'use the form postgresql://USER:PASSWORD@HOST:5432/DB',
    });
  }
  if (source === '--db' && target.hasPassword) hidePasswordFromProcessList();
  return { url, target, redacted: target.display, source };
}

let warned = false;

/**
 * A password in argv is readable by every local user (`ps`) while the run lasts. Say so and name the
 * safer way, and overwrite this process's visible command line so it stops showing there now.
 */
function hidePasswordFromProcessList(): void {
  if (warned) return;
  warned = true;
  process.stderr.write(
    'warning: the password in --db is visible to every user of this machine (ps) and in your shell history; ' +
      "export the URL in a variable and pass --db-env NAME, or name that variable as the environment's databaseUrlEnv in the config\n",
  );
  process.title = `logbook ${process.argv[2] ?? ''}`.trim();
}
