// The server-side half of a restore beside: what a database carries outside any dump (owner, settings, grants,
// comment), whether this role may create and rename databases, and the swap itself. Every statement runs from
// the maintenance database `postgres`: a database cannot be renamed by a session connected to it.
import type pg from 'pg';
import { withClient, withDatabase } from './client.ts';
import { readServerIdentity } from './server-identity.ts';

/** What lives in pg_database / pg_db_role_setting / pg_shdescription, which pg_dump without --create leaves out. */
export interface DatabaseFacts {
  oid: string;
  name: string;
  owner: string;
  encoding: string;
  collate: string;
  ctype: string;
  allowConnections: boolean;
  bytes: number;
  /** Default tablespace, and its folder on the server ('' for pg_default, which lives in data_directory). */
  tablespace: string;
  tablespaceLocation: string;
  /** NULL datacl (the built-in defaults) is kept as null, not spelled out. */
  grants: Array<{ grantee: string | null; privilege: string; grantable: boolean }> | null;
  comment: string | null;
  /** `ALTER DATABASE ... SET` (role null) and `ALTER ROLE ... IN DATABASE ... SET` settings, as `name=value`. */
  settings: Array<{ role: string | null; setting: string }>;
}

export interface SwapRights {
  role: string;
  superuser: boolean;
  createdb: boolean;
  ownsLive: boolean;
  /** Can end other sessions of the live database (superuser, pg_signal_backend, or same role). */
  canTerminate: boolean;
  /** data_directory, readable by superusers and pg_read_all_settings members. */
  dataDirectory: string | null;
  systemIdentifier: string | null;
}

export function maintenanceUrl(url: string): string {
  return withDatabase(url, 'postgres');
}

export function quoteIdent(identifier: string): string {
  return `"${identifier.replace(/"/g, '""')}"`;
}

export function quoteLiteral(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

// Settings PostgreSQL stores as a list (`app, "my schema"`): one literal per element, or the list becomes one name.
const LIST_SETTINGS = new Set(['search_path', 'temp_tablespaces', 'local_preload_libraries', 'session_preload_libraries']);

/** A stored setting value as SQL literals, so the copy stores exactly what the original stored. */
export function settingValueSql(name: string, value: string): string {
  if (!LIST_SETTINGS.has(name.toLowerCase())) return quoteLiteral(value);
  const items = [...value.matchAll(/\s*("(?:[^"]|"")*"|[^,]*)\s*(?:,|$)/g)].map((m) => m[1]!).filter((item, i, all) => item !== '' || i < all.length - 1);
  return items.map((item) => quoteLiteral(item.startsWith('"') ? item.slice(1, -1).replace(/""/g, '"') : item)).join(', ') || "''";
}

export async function readDatabaseFacts(client: pg.ClientBase, name: string): Promise<DatabaseFacts | null> {
  const { rows } = await client.query(
    `SELECT d.oid::text, d.datname AS name, pg_get_userbyid(d.datdba) AS owner, pg_encoding_to_char(d.encoding) AS encoding,
            d.datcollate AS collate, d.datctype AS ctype, d.datallowconn AS "allowConnections", pg_database_size(d.oid)::text AS bytes,
            t.spcname AS tablespace, pg_tablespace_location(t.oid) AS "tablespaceLocation",
            CASE WHEN d.datacl IS NULL THEN NULL ELSE (
              SELECT coalesce(json_agg(json_build_object('grantee', CASE WHEN a.grantee = 0 THEN NULL ELSE pg_get_userbyid(a.grantee) END,
                                                         'privilege', a.privilege_type, 'grantable', a.is_grantable)), '[]'::json)
                FROM aclexplode(d.datacl) a) END AS grants,
            shobj_description(d.oid, 'pg_database') AS comment,
            (SELECT coalesce(json_agg(json_build_object('role', CASE WHEN s.setrole = 0 THEN NULL ELSE pg_get_userbyid(s.setrole) END, 'setting', c)), '[]'::json)
               FROM pg_db_role_setting s, unnest(s.setconfig) c WHERE s.setdatabase = d.oid) AS settings
       FROM pg_database d JOIN pg_tablespace t ON t.oid = d.dattablespace WHERE d.datname = $1`,
    [name],
  );
  const row = rows[0];
  return row ? { ...row, bytes: Number(row.bytes) } : null;
}

export async function readSwapRights(client: pg.ClientBase, live: string): Promise<SwapRights> {
  const { rows } = await client.query(
    `SELECT current_user AS role, r.rolsuper AS superuser, r.rolcreatedb AS createdb,
            EXISTS (SELECT 1 FROM pg_database d WHERE d.datname = $1 AND pg_has_role(current_user, d.datdba, 'MEMBER')) AS "ownsLive",
            r.rolsuper OR pg_has_role(current_user, 'pg_signal_backend', 'MEMBER') AS "canTerminate",
            CASE WHEN r.rolsuper OR pg_has_role(current_user, 'pg_read_all_settings', 'MEMBER') THEN current_setting('data_directory') END AS "dataDirectory"
       FROM pg_roles r WHERE r.rolname = current_user`,
    [live],
  );
  return { ...rows[0], systemIdentifier: (await readServerIdentity(client)).systemIdentifier } as SwapRights;
}

export async function databaseExists(client: pg.ClientBase, name: string): Promise<boolean> {
  const { rows } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
  return rows.length > 0;
}

/** An empty database with the live one's encoding, locale and tablespace, so the restored copy sorts, compares and is stored the same. */
export async function createDatabaseLike(client: pg.ClientBase, name: string, like: DatabaseFacts): Promise<void> {
  await client.query(
    `CREATE DATABASE ${quoteIdent(name)} TEMPLATE template0 ENCODING ${quoteLiteral(like.encoding)} LC_COLLATE ${quoteLiteral(like.collate)} LC_CTYPE ${quoteLiteral(like.ctype)} TABLESPACE ${quoteIdent(like.tablespace)}`,
  );
}

export async function dropDatabase(client: pg.ClientBase, name: string): Promise<void> {
  await client.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`);
}

/**
 * Drops every table of a copy about to be dropped (never the live database): a dropped table's file is cut
 * to zero at commit, freeing disk at once; TRUNCATE cannot, as it needs room for new empty files.
 */
export async function dropAllTables(client: pg.ClientBase): Promise<void> {
  const { rows } = await client.query<{ target: string }>(
    `SELECT format('%I.%I', n.nspname, c.relname) AS target FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_toast%'`,
  );
  if (rows.length) await client.query(`DROP TABLE IF EXISTS ${rows.map((r) => r.target).join(', ')} CASCADE`);
}

export async function setAllowConnections(client: pg.ClientBase, name: string, allow: boolean): Promise<void> {
  await client.query(`ALTER DATABASE ${quoteIdent(name)} WITH ALLOW_CONNECTIONS ${allow}`);
}

/** Ends every other session of a database and waits until they are gone (a rename refuses while any remains). */
export async function endOtherSessions(client: pg.ClientBase, name: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { rows } = await client.query(
      `SELECT count(*)::int AS n FROM (SELECT pg_terminate_backend(pid, 1000) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()) t`,
      [name],
    );
    const { rows: left } = await client.query('SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [name]);
    if (left[0].n === 0) return;
    if (Date.now() > deadline) throw new Error(`${left[0].n} session(s) of ${name} would not end (tried ${rows[0].n})`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/**
 * One transaction (PostgreSQL allows ALTER DATABASE RENAME in a transaction block): the live database takes
 * the retained name, the restored one takes the live name and what the live one carried outside the dump.
 * Either all of it commits or none of it does; a crash leaves the live database as it was.
 */
export async function swapDatabases(client: pg.ClientBase, options: { live: DatabaseFacts; restored: string; retained: string }): Promise<void> {
  const { live, restored, retained } = options;
  const name = quoteIdent(live.name);
  await client.query('BEGIN');
  try {
    await client.query(`ALTER DATABASE ${name} RENAME TO ${quoteIdent(retained)}`);
    await client.query(`ALTER DATABASE ${quoteIdent(restored)} RENAME TO ${name}`);
    await client.query(`ALTER DATABASE ${name} OWNER TO ${quoteIdent(live.owner)}`);
    for (const { role, setting } of live.settings) {
      const at = setting.indexOf('=');
      const set = `SET ${quoteIdent(setting.slice(0, at))} = ${settingValueSql(setting.slice(0, at), setting.slice(at + 1))}`;
      await client.query(role === null ? `ALTER DATABASE ${name} ${set}` : `ALTER ROLE ${quoteIdent(role)} IN DATABASE ${name} ${set}`);
    }
    if (live.grants) {
      await client.query(`REVOKE ALL ON DATABASE ${name} FROM PUBLIC`);
      for (const g of live.grants) {
        const grantee = g.grantee === null ? 'PUBLIC' : quoteIdent(g.grantee);
        await client.query(`GRANT ${g.privilege} ON DATABASE ${name} TO ${grantee}${g.grantable ? ' WITH GRANT OPTION' : ''}`);
      }
    }
    await client.query(`COMMENT ON DATABASE ${name} IS ${live.comment === null ? 'NULL' : quoteLiteral(live.comment)}`);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  }
}

export function withMaintenanceClient<T>(url: string, doing: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  return withClient(maintenanceUrl(url), { doing }, fn);
}
