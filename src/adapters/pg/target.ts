// The database a command talks to, parsed once (pg-connection-string, the parser pg itself uses) into everything the
// tool needs: the pg client config, the libpq connection string and environment for pg_dump / pg_restore / psql, and
// a display string without the password. All three come from the same parse, so they cannot disagree.
import type pg from 'pg';
import { parse as parseConnectionString } from 'pg-connection-string';
import { redactUrl, registerSecret } from '../../core/redact.ts';

export const APPLICATION_NAME = 'migration-logbook';

/** URI parameters libpq accepts that make sense here (the password travels in PGPASSWORD instead). */
const LIBPQ_PARAMETERS = new Set([
  'hostaddr',
  'connect_timeout',
  'options',
  'application_name',
  'target_session_attrs',
  'sslmode',
  'sslcert',
  'sslkey',
  'sslrootcert',
  'sslcrl',
  'sslpassword',
  'sslcompression',
  'requiressl',
  'gssencmode',
  'krbsrvname',
  'channel_binding',
  'keepalives',
  'keepalives_idle',
  'keepalives_interval',
  'keepalives_count',
  'tcp_user_timeout',
  'service',
]);

export interface LibpqTarget {
  /** A libpq keyword/value connection string without the password: safe for `--dbname` (visible in ps). */
  dbname: string;
  /** The child's environment: PGPASSWORD carries the password when the URL has one. */
  env: NodeJS.ProcessEnv;
}

export interface DatabaseTarget {
  /** The URL as given: it holds the password, so it only goes where a URL is required (a child's DATABASE_URL). */
  readonly url: string;
  /** The URL with its password replaced, safe to print or store in a record. */
  readonly display: string;
  /** Empty when the URL names none (libpq's defaults then apply, as with psql). */
  readonly host: string;
  readonly port: string;
  readonly user: string;
  readonly database: string;
  readonly hasPassword: boolean;
  /** For pg.Client / pg.Pool (add application_name and timeouts when connecting). */
  readonly clientConfig: pg.ClientConfig;
  readonly libpq: LibpqTarget;
}

/** A libpq conninfo value, always quoted: backslashes and single quotes escaped. */
function conninfoValue(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

const parsed = new Map<string, DatabaseTarget>();

/**
 * Parses a postgres:// URL once (later calls with the same URL get the same value) and registers its password
 * with the redactor, so nothing the tool or its children print can leak it. Throws on what is not a URL.
 */
export function parseDatabaseTarget(url: string): DatabaseTarget {
  const known = parsed.get(url);
  if (known) return known;
  const parts = parseConnectionString(url) as Record<string, unknown> & ReturnType<typeof parseConnectionString>;
  registerSecret(parts.password);
  const host = parts.host ?? '';
  const port = parts.port ?? '';
  const user = parts.user ?? '';
  const database = parts.database ?? '';
  const conninfo: string[] = [];
  if (host) conninfo.push(`host=${conninfoValue(host)}`);
  if (port) conninfo.push(`port=${conninfoValue(port)}`);
  if (user) conninfo.push(`user=${conninfoValue(user)}`);
  if (database) conninfo.push(`dbname=${conninfoValue(database)}`);
  // libpq rejects parameters it does not know, and Prisma URLs carry its own (?schema=, ?connection_limit=…).
  for (const [key, value] of Object.entries(parts)) {
    if (LIBPQ_PARAMETERS.has(key) && typeof value === 'string' && value !== '') conninfo.push(`${key}=${conninfoValue(value)}`);
  }
  const password = parts.password;
  const dbname = conninfo.join(' ');
  const target: DatabaseTarget = {
    url,
    display: redactUrl(url),
    host,
    port,
    user,
    database,
    hasPassword: Boolean(parts.password),
    clientConfig: parts as pg.ClientConfig,
    // Read when a program starts, so it inherits the environment of that moment.
    get libpq(): LibpqTarget {
      const env: NodeJS.ProcessEnv = { ...process.env, PGAPPNAME: APPLICATION_NAME };
      // Without a password in the URL, an inherited PGPASSWORD or ~/.pgpass still applies, as with psql.
      if (password) env.PGPASSWORD = password;
      return { dbname, env };
    },
  };
  parsed.set(url, target);
  return target;
}

/** A target given as a URL or already parsed. */
export type TargetInput = DatabaseTarget | string;

export function toTarget(input: TargetInput): DatabaseTarget {
  return typeof input === 'string' ? parseDatabaseTarget(input) : input;
}

/** The same server and credentials, another database (scratch databases, the maintenance database, a restored copy). */
export function targetWithDatabase(input: TargetInput, database: string): DatabaseTarget {
  return parseDatabaseTarget(withDatabase(toTarget(input).url, database));
}

/** The same URL pointing at another database on the same server. */
export function withDatabase(url: string, database: string): string {
  const parsedUrl = new URL(url);
  parsedUrl.pathname = `/${encodeURIComponent(database)}`;
  return parsedUrl.toString();
}
