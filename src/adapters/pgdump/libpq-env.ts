// How pg_dump / pg_restore are told where to connect without the password ever reaching their argv (visible in ps).
import { parseDatabaseUrl } from '../pg/client.ts';
import { APPLICATION_NAME } from '../pg/client.ts';

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
  for (const key of [...parsed.searchParams.keys()]) if (/^password$/i.test(key)) parsed.searchParams.delete(key);
  const env: NodeJS.ProcessEnv = { ...process.env, PGAPPNAME: APPLICATION_NAME };
  // Without a password in the URL, an inherited PGPASSWORD or ~/.pgpass still applies, as with psql.
  if (parts.password) env.PGPASSWORD = parts.password;
  return { dbname: parsed.toString(), env };
}
