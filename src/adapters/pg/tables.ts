// Which tables a capture or a backup covers: user tables in every non-system schema, partitions folded into their parent.
import type pg from 'pg';

export interface TableRef {
  schema: string;
  name: string;
  kind: 'table' | 'partitioned';
}

/** `"schema"."name"`, safe to splice into SQL. */
export function qualifiedName(table: { schema: string; name: string }): string {
  const quote = (identifier: string) => `"${identifier.replace(/"/g, '""')}"`;
  return `${quote(table.schema)}.${quote(table.name)}`;
}

export { tableKey } from '../../core/names.ts';
import { DEFAULT_LOGBOOK_SCHEMA } from './logbook-schema.ts';

const LIST_USER_TABLES = `
  SELECT n.nspname AS schema, c.relname AS name,
         CASE c.relkind WHEN 'p' THEN 'partitioned' ELSE 'table' END AS kind
    FROM pg_class c
    JOIN pg_namespace n ON n.oid = c.relnamespace
   WHERE c.relkind IN ('r', 'p')
     AND NOT c.relispartition
     AND n.nspname NOT IN ('pg_catalog', 'information_schema')
     AND n.nspname NOT LIKE 'pg\\_toast%'
     AND n.nspname NOT LIKE 'pg\\_temp\\_%'
     AND n.nspname NOT LIKE 'pg\\_toast\\_temp\\_%'
     AND n.nspname <> $1
   ORDER BY 1, 2`;

/** The user's tables: never the tool's own schema, which describes the logbook, not the database. */
export async function listUserTables(client: pg.ClientBase, toolSchema: string = DEFAULT_LOGBOOK_SCHEMA): Promise<TableRef[]> {
  const { rows } = await client.query<TableRef>(LIST_USER_TABLES, [toolSchema]);
  return rows;
}
