// A database created for one verification and always dropped after it, on the source server or another one.
import { randomBytes } from 'node:crypto';
import { withClient, withDatabase } from '../pg/client.ts';
import { redactUrl } from '../../core/redact.ts';

/** `serverUrl` is any database on the server where the scratch database may be created (its role needs CREATEDB). */
export async function withScratchDatabase<T>(serverUrl: string, fn: (scratchUrl: string, name: string) => Promise<T>): Promise<T> {
  const name = `logbook_scratch_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  await withClient(serverUrl, { doing: `creating scratch database ${name} on ${redactUrl(serverUrl)}` }, (client) => client.query(`CREATE DATABASE "${name}"`));
  try {
    return await fn(withDatabase(serverUrl, name), name);
  } finally {
    // FORCE (PostgreSQL 13+) ends any connection a failed restore left behind.
    await withClient(serverUrl, { doing: `dropping scratch database ${name}` }, (client) =>
      client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
    ).catch(() => {});
  }
}
