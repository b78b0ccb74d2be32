// Live objects a backup does not hold. A backup of this same database keeps each object's catalog OID, so
// an object is "new since the backup" exactly when its (classid, oid) pair is not among the archive's entries.

import type pg from 'pg';
import { catalogKey, type NamedObject } from '../../core/backup/archive-listing.ts';
import { withClient } from './client.ts';
import { DEFAULT_LOGBOOK_SCHEMA } from './logbook-schema.ts';
import type { TargetInput } from './target.ts';

// User objects pg_dump lists on their own: schemas, relations (not indexes or toast, which go with their
// table), standalone types, extensions and functions. Members of extensions come back with the extension.
const OBJECTS = `
  WITH sys AS (
    SELECT oid FROM pg_namespace
     WHERE nspname IN ('pg_catalog', 'information_schema', $1) OR nspname LIKE 'pg\\_toast%' OR nspname LIKE 'pg\\_temp\\_%'
  ), objects AS (
    SELECT 'pg_namespace'::regclass::oid AS classid, n.oid, 'schema' AS kind, NULL::text AS schema, n.nspname::text AS name
      FROM pg_namespace n WHERE n.oid NOT IN (SELECT oid FROM sys)
    UNION ALL
    SELECT 'pg_class'::regclass::oid, c.oid,
           CASE c.relkind WHEN 'v' THEN 'view' WHEN 'm' THEN 'materialized view' WHEN 'S' THEN 'sequence' WHEN 'f' THEN 'foreign table' ELSE 'table' END,
           n.nspname::text, c.relname::text
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f') AND n.oid NOT IN (SELECT oid FROM sys)
    UNION ALL
    SELECT 'pg_type'::regclass::oid, t.oid, 'type', n.nspname::text, t.typname::text
      FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
     WHERE n.oid NOT IN (SELECT oid FROM sys)
       AND (t.typtype IN ('e', 'd', 'r') OR (t.typtype = 'c' AND (SELECT relkind FROM pg_class WHERE oid = t.typrelid) = 'c'))
    UNION ALL
    SELECT 'pg_extension'::regclass::oid, e.oid, 'extension', NULL, e.extname::text FROM pg_extension e
    UNION ALL
    SELECT 'pg_proc'::regclass::oid, p.oid, 'function', n.nspname::text, p.proname::text
      FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.oid NOT IN (SELECT oid FROM sys)
  ), user_objects AS (
    SELECT * FROM objects o WHERE NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = o.classid AND d.objid = o.oid AND d.deptype = 'e')
  )`;

// A new database already holds the public schema and plpgsql, so they are never "created since the backup".
const LIVE_OBJECTS = `${OBJECTS}
  SELECT o.classid::int AS classid, o.oid::text AS objid, o.kind, o.schema, o.name
    FROM user_objects o
   WHERE NOT (o.kind = 'schema' AND o.name = 'public') AND NOT (o.kind = 'extension' AND o.name = 'plpgsql')
   ORDER BY o.kind, o.schema NULLS FIRST, o.name`;

/** Objects in the live database whose catalog identity the archive does not hold, i.e. created after the backup. */
export async function objectsNotInArchive(url: TargetInput, archived: Set<string>): Promise<NamedObject[]> {
  return withClient(url, { doing: 'listing objects created since the backup' }, async (client) => {
    const { rows } = await client.query<{ classid: number; objid: string; kind: string; schema: string | null; name: string }>(LIVE_OBJECTS, [
      DEFAULT_LOGBOOK_SCHEMA,
    ]);
    return rows.filter((r) => !archived.has(catalogKey(r.classid, Number(r.objid)))).map(({ kind, schema, name }) => ({ kind, schema, name }));
  });
}

/** How many user objects of each catalog (pg_class, pg_type, ...) a database holds: a restored copy has at least the archive's. */
export async function objectCountsByCatalog(client: pg.ClientBase): Promise<Map<number, number>> {
  const { rows } = await client.query<{ classid: number; n: number }>(
    `${OBJECTS} SELECT classid::int AS classid, count(*)::int AS n FROM user_objects GROUP BY 1`,
    [DEFAULT_LOGBOOK_SCHEMA],
  );
  return new Map(rows.map((r) => [r.classid, r.n]));
}
