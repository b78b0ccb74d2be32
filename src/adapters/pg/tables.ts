// Which tables a capture or a backup covers: user tables in every non-system schema, partitions folded into their parent.
import { TOOL_SCHEMA } from './logbook-schema.ts';
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
     AND n.nspname <> ${TOOL_SCHEMA}
   ORDER BY 1, 2`;

export async function listUserTables(client: pg.ClientBase): Promise<TableRef[]> {
  const { rows } = await client.query<TableRef>(LIST_USER_TABLES);
  return rows;
}
