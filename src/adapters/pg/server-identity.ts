// The one server-identity query: which cluster and database a connection reaches (independent of the URL used to
// get there) and the server's version. Every caller reads these through here.
import { createHash } from 'node:crypto';
import type pg from 'pg';
import { LogbookError } from '../../core/errors.ts';

export interface ServerIdentity {
  /**
   * pg_control_system().system_identifier: unique per cluster (initdb), the same through any host name, port or
   * pooler; null where the role may not execute pg_control_system() (some managed services revoke it).
   */
  systemIdentifier: string | null;
  database: string;
  serverVersion: string;
  serverVersionNum: number;
}

export interface DatabaseIdentity extends ServerIdentity {
  systemIdentifier: string;
}

const IDENTITY_SQL = `
  SELECT CASE WHEN has_function_privilege('pg_control_system()', 'EXECUTE') THEN (SELECT system_identifier::text FROM pg_control_system()) END
           AS system_identifier,
         current_database() AS database, current_setting('server_version') AS version, current_setting('server_version_num') AS version_num`;

export async function readServerIdentity(client: pg.ClientBase): Promise<ServerIdentity> {
  const { rows } = await client.query<{ system_identifier: string | null; database: string; version: string; version_num: string }>(IDENTITY_SQL);
  const row = rows[0]!;
  return {
    systemIdentifier: row.system_identifier,
    database: row.database,
    serverVersion: row.version,
    serverVersionNum: Number(row.version_num),
  };
}

/** The identity where the system identifier is required (the advisory-lock key); refused when the role may not read it. */
export async function readDatabaseIdentity(client: pg.ClientBase): Promise<DatabaseIdentity> {
  const identity = await readServerIdentity(client);
  const { systemIdentifier } = identity;
  if (systemIdentifier === null) {
    throw new LogbookError(`the role may not read the server's system identifier (pg_control_system()), which keys the environment lock`, {
      code: 'E_NO_SYSTEM_IDENTIFIER',
      outcome: 'query-refused',
      hint: 'as an administrator: GRANT EXECUTE ON FUNCTION pg_control_system() TO <role>',
    });
  }
  return { ...identity, systemIdentifier };
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
