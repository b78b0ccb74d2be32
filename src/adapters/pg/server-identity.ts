// The one server-identity query: which cluster and database a connection reaches, independent of the URL used to get there.
import { createHash } from 'node:crypto';
import type pg from 'pg';

export interface DatabaseIdentity {
  /** pg_control_system().system_identifier: unique per cluster (initdb), the same through any host name, port or pooler. */
  systemIdentifier: string;
  database: string;
  serverVersion: string;
  serverVersionNum: number;
}

export async function readDatabaseIdentity(client: pg.ClientBase): Promise<DatabaseIdentity> {
  const { rows } = await client.query<{ system_identifier: string; database: string; version: string; version_num: string }>(
    `SELECT (SELECT system_identifier::text FROM pg_control_system()) AS system_identifier, current_database() AS database,
            current_setting('server_version') AS version, current_setting('server_version_num') AS version_num`,
  );
  const row = rows[0]!;
  return { systemIdentifier: row.system_identifier, database: row.database, serverVersion: row.version, serverVersionNum: Number(row.version_num) };
}

/**
 * The advisory-lock key of a database: a signed 64-bit number derived from the cluster identity and the
 * database name (never an OID, which a rollback's swap changes). Two environment names pointing at the
 * same database get the same key, so they are serialised too.
 */
export function advisoryLockKey(identity: Pick<DatabaseIdentity, 'systemIdentifier' | 'database'>): string {
  const digest = createHash('sha256').update(`migration-logbook\0${identity.systemIdentifier}\0${identity.database}`).digest();
  return digest.readBigInt64BE(0).toString();
}
