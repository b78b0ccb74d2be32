// Cheap signs of writes that row counts miss (an UPDATE, an insert plus a delete): the largest value of a
// single-column integer primary key, and of a last-modified timestamp column where reading it is cheap.
import pg from 'pg';
import type { WriteMark } from '../../schemas/snapshot.ts';
import { withClient } from './client.ts';
import { tableKey } from './tables.ts';

const MODIFIED_COLUMNS = ['updatedAt', 'updated_at', 'modifiedAt', 'modified_at', 'lastModified', 'last_modified'];

const CANDIDATES = `
  SELECT n.nspname AS schema, c.relname AS name,
    (SELECT a.attname::text FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]
      WHERE i.indrelid = c.oid AND i.indisprimary AND i.indnatts = 1 AND a.atttypid IN ('int2'::regtype, 'int4'::regtype, 'int8'::regtype)) AS pk,
    m.attname::text AS modified,
    EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = c.oid AND i.indkey[0] = m.attnum AND i.indpred IS NULL) AS "modifiedIndexed"
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  LEFT JOIN LATERAL (SELECT a.attname, a.attnum FROM pg_attribute a
      WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped AND a.attname = ANY($3::text[])
        AND a.atttypid IN ('timestamp'::regtype, 'timestamptz'::regtype) ORDER BY a.attnum LIMIT 1) m ON true
  WHERE (n.nspname, c.relname) IN (SELECT * FROM unnest($1::text[], $2::text[]))`;

/**
 * The marks of these tables, read in the caller's transaction. A last-modified column is read only when an index
 * leads with it or the table is small enough to be counted exactly anyway (`scanned`): never a full scan of a big table.
 */
export async function readWriteMarks(client: pg.ClientBase, tables: Array<{ schema: string; name: string }>, scanned: Set<string>): Promise<WriteMark[]> {
  if (!tables.length) return [];
  const { rows } = await client.query<{ schema: string; name: string; pk: string | null; modified: string | null; modifiedIndexed: boolean }>(CANDIDATES, [
    tables.map((t) => t.schema),
    tables.map((t) => t.name),
    MODIFIED_COLUMNS,
  ]);
  const marks: WriteMark[] = [];
  for (const row of rows) {
    const modified = row.modified && (row.modifiedIndexed || scanned.has(tableKey(row))) ? row.modified : null;
    if (!row.pk && !modified) continue;
    const mark = await readMark(client, {
      schema: row.schema,
      name: row.name,
      ...(row.pk ? { idColumn: row.pk } : {}),
      ...(modified ? { modifiedColumn: modified } : {}),
    });
    if (mark) marks.push(mark);
  }
  return marks.sort((a, b) => tableKey(a).localeCompare(tableKey(b)));
}

/** The same marks again, for the columns a record named (a column gone since is simply not compared). */
export async function readMark(client: pg.ClientBase, mark: Pick<WriteMark, 'schema' | 'name' | 'idColumn' | 'modifiedColumn'>): Promise<WriteMark | null> {
  const table = `${pg.escapeIdentifier(mark.schema)}.${pg.escapeIdentifier(mark.name)}`;
  const selects = [
    mark.idColumn ? `max(${pg.escapeIdentifier(mark.idColumn)})::text AS "maxId"` : 'NULL AS "maxId"',
    // Text in ISO form with microseconds: two timestamps compare equal only when they are.
    mark.modifiedColumn
      ? `to_char(max(${pg.escapeIdentifier(mark.modifiedColumn)}), 'YYYY-MM-DD"T"HH24:MI:SS.US') AS "lastModified"`
      : 'NULL AS "lastModified"',
  ];
  try {
    await client.query('SAVEPOINT write_mark');
    const { rows } = await client.query<{ maxId: string | null; lastModified: string | null }>(`SELECT ${selects.join(', ')} FROM ${table}`);
    await client.query('RELEASE SAVEPOINT write_mark');
    const row = rows[0]!;
    return {
      schema: mark.schema,
      name: mark.name,
      ...(mark.idColumn ? { idColumn: mark.idColumn, maxId: row.maxId } : {}),
      ...(mark.modifiedColumn ? { modifiedColumn: mark.modifiedColumn, lastModified: row.lastModified } : {}),
    };
  } catch {
    await client.query('ROLLBACK TO SAVEPOINT write_mark').catch(() => {});
    return null;
  }
}

/** The marks a record captured, read again now (in one read-only transaction), to compare before a rollback. */
export async function readMarksAgain(url: string, marks: WriteMark[]): Promise<WriteMark[]> {
  if (!marks.length) return [];
  return withClient(url, { doing: 'reading the largest ids and last-modified times' }, async (client) => {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    try {
      const again: WriteMark[] = [];
      for (const mark of marks) {
        const now = await readMark(client, mark);
        if (now) again.push(now);
      }
      return again;
    } finally {
      await client.query('ROLLBACK').catch(() => {});
    }
  });
}
