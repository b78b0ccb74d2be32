// A database created for one verification and always dropped after it, on the source server or another one.
import { randomBytes } from 'node:crypto';
import { withClient } from '../pg/client.ts';
import { type DatabaseTarget, type TargetInput, targetWithDatabase, toTarget } from '../pg/target.ts';

/** `server` is any database on the server where the scratch database may be created (its role needs CREATEDB). */
export async function withScratchDatabase<T>(server: TargetInput, fn: (scratch: DatabaseTarget, name: string) => Promise<T>): Promise<T> {
  const serverTarget = toTarget(server);
  const name = `logbook_scratch_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  await withClient(serverTarget, { doing: `creating scratch database ${name} on ${serverTarget.display}` }, (client) =>
    client.query(`CREATE DATABASE "${name}"`),
  );
  try {
    return await fn(targetWithDatabase(serverTarget, name), name);
  } finally {
    // FORCE (PostgreSQL 13+) ends any connection a failed restore left behind.
    await withClient(serverTarget, { doing: `dropping scratch database ${name}` }, (client) =>
      client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
    ).catch(() => {});
  }
}
