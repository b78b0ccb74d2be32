// Two databases are "the same" for a rollback when their normalised schema dumps, every table's rows (md5 in
// row order) and their Prisma history (by migration name and state, not ids or timestamps) are equal.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { parseDatabaseTarget } from '../../src/adapters/pg/target.ts';
import { sql } from './postgres.ts';

export interface DatabaseFingerprint {
  schema: string;
  rows: Record<string, string>;
  prisma: string[];
}

/** `pg_dump --schema-only` without comments, SET lines, \restrict keys and the tool's own `logbook` schema. */
export function normalisedSchema(url: string): string {
  const target = parseDatabaseTarget(url).libpq;
  const dump = spawnSync('pg_dump', ['--schema-only', '--no-owner', '--exclude-schema=logbook', `--dbname=${target.dbname}`], {
    env: target.env,
    encoding: 'utf8',
  });
  assert.equal(dump.status, 0, dump.stderr);
  return dump.stdout
    .split('\n')
    .filter((line) => line.trim() !== '' && !line.startsWith('--') && !/^SET |^SELECT pg_catalog\.set_config|^\\(un)?restrict /.test(line))
    .join('\n');
}

export async function fingerprint(url: string): Promise<DatabaseFingerprint> {
  const tables = await sql<{ schema: string; name: string }>(
    url,
    `
    SELECT n.nspname AS schema, c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'logbook') AND n.nspname NOT LIKE 'pg_toast%'
       AND NOT (n.nspname = 'public' AND c.relname = '_prisma_migrations') ORDER BY 1, 2`,
  );
  const rows: Record<string, string> = {};
  for (const t of tables) {
    const q = `"${t.schema.replace(/"/g, '""')}"."${t.name.replace(/"/g, '""')}"`;
    const [r] = await sql<{ md5: string | null; n: string }>(url, `SELECT md5(string_agg(x::text, E'\\n' ORDER BY x::text)) AS md5, count(*) AS n FROM ${q} x`);
    rows[JSON.stringify([t.schema, t.name])] = `${r!.n}:${r!.md5}`;
  }
  const [has] = await sql<{ t: string | null }>(url, `SELECT to_regclass('public._prisma_migrations')::text AS t`);
  const prisma = has?.t
    ? (
        await sql<{ s: string }>(
          url,
          `SELECT migration_name || ':' || CASE WHEN rolled_back_at IS NOT NULL THEN 'rolled-back' WHEN finished_at IS NOT NULL THEN 'applied' ELSE 'failed' END AS s FROM _prisma_migrations ORDER BY 1`,
        )
      ).map((r) => r.s)
    : [];
  return { schema: normalisedSchema(url), rows, prisma };
}

export async function assertSameDatabase(actualUrl: string, referenceUrl: string): Promise<void> {
  const [actual, reference] = await Promise.all([fingerprint(actualUrl), fingerprint(referenceUrl)]);
  assert.equal(actual.schema, reference.schema, 'schema dumps differ');
  assert.deepEqual(actual.rows, reference.rows, 'row data differs');
  assert.deepEqual(actual.prisma, reference.prisma, 'Prisma history differs');
}
