// Opens pg connections the way the whole tool needs them: named, time-bounded, errors redacted.
import pg from 'pg';
import { describePgError } from './errors.ts';
import { APPLICATION_NAME, type TargetInput, toTarget } from './target.ts';

export { APPLICATION_NAME, withDatabase } from './target.ts';

export interface ConnectOptions {
  /** What the connection is for, used in error messages ("taking a snapshot"). */
  doing?: string;
  connectTimeoutMs?: number;
  /** Overrides the database name of the URL (scratch databases). */
  database?: string;
}

export async function connect(input: TargetInput, options: ConnectOptions = {}): Promise<pg.Client> {
  const target = toTarget(input);
  const client = new pg.Client({
    ...target.clientConfig,
    ...(options.database ? { database: options.database } : {}),
    application_name: APPLICATION_NAME,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 10_000,
  });
  // An idle client whose server goes away emits 'error'; without a listener that crashes the process.
  client.on('error', () => {});
  try {
    await client.connect();
  } catch (error) {
    await client.end().catch(() => {});
    throw describePgError(error, target, options.doing ?? 'connecting to the database');
  }
  return client;
}

/** Run `fn` with a connection, always closing it. */
export async function withClient<T>(input: TargetInput, options: ConnectOptions, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = await connect(input, options);
  try {
    return await fn(client);
  } catch (error) {
    throw describePgError(error, input, options.doing ?? 'querying the database');
  } finally {
    await client.end().catch(() => {});
  }
}
