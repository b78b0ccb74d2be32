// How pg_dump / pg_restore are told where to connect without the password ever reaching their argv (visible in ps).
import { parseDatabaseUrl } from '../pg/client.ts';
import { APPLICATION_NAME } from '../pg/client.ts';

/** URI parameters libpq accepts that make sense here (the password travels in PGPASSWORD instead). */
const LIBPQ_PARAMETERS = new Set([
  'host',
  'hostaddr',
  'port',
  'user',
  'dbname',
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
  /** The connection URL minus its password: safe for `--dbname`. */
  dbname: string;
  /** The child's environment: PGPASSWORD carries the password when the URL has one. */
  env: NodeJS.ProcessEnv;
}

export function libpqTarget(url: string): LibpqTarget {
  // Registers the password with the redactor, so nothing the tools print can leak it either.
  const parts = parseDatabaseUrl(url);
  const parsed = new URL(url);
  parsed.password = '';
  // libpq rejects parameters it does not know, and Prisma URLs carry its own (?schema=, ?connection_limit=…).
  for (const key of [...parsed.searchParams.keys()]) if (!LIBPQ_PARAMETERS.has(key)) parsed.searchParams.delete(key);
  const env: NodeJS.ProcessEnv = { ...process.env, PGAPPNAME: APPLICATION_NAME };
  // Without a password in the URL, an inherited PGPASSWORD or ~/.pgpass still applies, as with psql.
  if (parts.password) env.PGPASSWORD = parts.password;
  return { dbname: parsed.toString(), env };
}
