// Opens pg connections the way the whole tool needs them: named, time-bounded, errors redacted.
import pg from 'pg';
import { parse as parseConnectionString } from 'pg-connection-string';
import { registerSecret } from '../../core/redact.ts';
import { describePgError } from './errors.ts';

export const APPLICATION_NAME = 'migration-logbook';

export interface ConnectOptions {
  /** What the connection is for, used in error messages ("taking a snapshot"). */
  doing?: string;
  connectTimeoutMs?: number;
  /** Overrides the database name of the URL (scratch databases). */
  database?: string;
}

/** Parse once, remember the password so redaction catches it anywhere, and return libpq-style parts. */
export function parseDatabaseUrl(url: string): ReturnType<typeof parseConnectionString> {
  const parts = parseConnectionString(url);
  registerSecret(parts.password);
  return parts;
}

export async function connect(url: string, options: ConnectOptions = {}): Promise<pg.Client> {
  const parts = parseDatabaseUrl(url);
  const client = new pg.Client({
    ...(parts as pg.ClientConfig),
    ...(options.database ? { database: options.database } : {}),
    application_name: APPLICATION_NAME,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 10_000,
  } as pg.ClientConfig);
  // An idle client whose server goes away emits 'error'; without a listener that crashes the process.
  client.on('error', () => {});
  try {
    await client.connect();
  } catch (error) {
    await client.end().catch(() => {});
    throw describePgError(error, url, options.doing ?? 'connecting to the database');
  }
  return client;
}

/** Run `fn` with a connection, always closing it. */
export async function withClient<T>(url: string, options: ConnectOptions, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = await connect(url, options);
  try {
    return await fn(client);
  } catch (error) {
    throw describePgError(error, url, options.doing ?? 'querying the database');
  } finally {
    await client.end().catch(() => {});
  }
}

/** The same URL pointing at another database on the same server. */
export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${encodeURIComponent(database)}`;
  return parsed.toString();
}
