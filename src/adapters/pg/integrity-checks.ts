// Integrity checks after a migration: configured SQL queries, and orphan counts for every NOT VALID
// foreign key and configured soft reference. All in one read-only transaction; each configured query is
// sent alone through the extended protocol (which refuses several statements) and may not end that transaction.
import type pg from 'pg';
import { judgeIntegrity } from '../../core/checks/evaluate.ts';
import { displayName } from '../../core/names.ts';
import type { IntegrityCheckConfig, SoftReferenceConfig } from '../../schemas/config.ts';
import type { CheckResult } from '../../schemas/findings.ts';
import { withClient } from './client.ts';
import { inReadOnlyTransaction } from './read-only.ts';
import { qualifiedName } from './tables.ts';
import type { TargetInput } from './target.ts';

const NOT_VALID_FOREIGN_KEYS = `
  SELECT c.conname AS name,
         cn.nspname AS child_schema, cc.relname AS child_table,
         pn.nspname AS parent_schema, pc.relname AS parent_table,
         ARRAY(SELECT a.attname FROM unnest(c.conkey) WITH ORDINALITY k(attnum, i)
               JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum ORDER BY k.i)::text[] AS child_columns,
         ARRAY(SELECT a.attname FROM unnest(c.confkey) WITH ORDINALITY k(attnum, i)
               JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.attnum ORDER BY k.i)::text[] AS parent_columns
    FROM pg_constraint c
    JOIN pg_class cc ON cc.oid = c.conrelid JOIN pg_namespace cn ON cn.oid = cc.relnamespace
    JOIN pg_class pc ON pc.oid = c.confrelid JOIN pg_namespace pn ON pn.oid = pc.relnamespace
   WHERE c.contype = 'f' AND NOT c.convalidated`;

interface Reference {
  name: string;
  child: { schema: string; name: string };
  parent: { schema: string; name: string };
  childColumns: string[];
  parentColumns: string[];
}

const TRANSACTION_CONTROL =
  /^\s*(commit|rollback|end|abort|begin|start\s+transaction|savepoint|release|prepare\s+transaction|set\s+(transaction|session\s+characteristics))\b/i;

const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;

function orphanQuery(ref: Reference): string {
  const notNull = ref.childColumns.map((c) => `c.${ident(c)} IS NOT NULL`).join(' AND ');
  const match = ref.childColumns.map((c, i) => `p.${ident(ref.parentColumns[i]!)} = c.${ident(c)}`).join(' AND ');
  return `SELECT count(*)::bigint AS n FROM ${qualifiedName(ref.child)} c WHERE ${notNull} AND NOT EXISTS (SELECT 1 FROM ${qualifiedName(ref.parent)} p WHERE ${match})`;
}

function softReference(ref: SoftReferenceConfig): Reference {
  const [cs, ct, cc] = ref.from.split('.') as [string, string, string];
  const [ps, pt, pcol] = ref.to.split('.') as [string, string, string];
  return {
    name: ref.name ?? `${ref.from} → ${ref.to}`,
    child: { schema: cs, name: ct },
    parent: { schema: ps, name: pt },
    childColumns: [cc],
    parentColumns: [pcol],
  };
}

export async function runIntegrityChecks(
  url: TargetInput,
  options: { checks: IntegrityCheckConfig[]; softReferences: SoftReferenceConfig[]; statementTimeoutMs: number; lockTimeoutMs: number },
): Promise<CheckResult[]> {
  return withClient(url, { doing: 'running integrity checks' }, (client) =>
    inReadOnlyTransaction(client, options, async () => {
      const results: CheckResult[] = [];
      const measure = async (sql: string): Promise<{ value: number | null; error: string | null; ms: number }> => {
        const started = performance.now();
        if (TRANSACTION_CONTROL.test(sql))
          return { value: null, error: 'a check may not control the transaction (COMMIT, ROLLBACK, SET TRANSACTION…): it must be one read-only query', ms: 0 };
        await client.query('SAVEPOINT check_one');
        let rows: Array<Record<string, unknown>>;
        try {
          // Extended protocol: "SELECT 1; COMMIT; DELETE …" is refused as several commands, nothing of it runs.
          const query: pg.QueryConfig & { queryMode: 'extended' } = { text: sql, queryMode: 'extended' };
          ({ rows } = await client.query(query));
        } catch (error) {
          await client.query('ROLLBACK TO SAVEPOINT check_one');
          return { value: null, error: (error as Error).message, ms: performance.now() - started };
        }
        try {
          // Fails when the statement ended the read-only transaction: stop before anything else runs outside it.
          await client.query('RELEASE SAVEPOINT check_one');
        } catch (error) {
          throw new Error(`an integrity check ended the read-only transaction; no further check was run: ${(error as Error).message}`);
        }
        {
          const first = rows[0] ? Object.values(rows[0])[0] : null;
          const value = Number(first);
          return Number.isFinite(value)
            ? { value, error: null, ms: performance.now() - started }
            : { value: null, error: 'the query did not return a number', ms: performance.now() - started };
        }
      };

      for (const check of options.checks) {
        const { value, error, ms } = await measure(check.sql);
        results.push(
          value === null
            ? { kind: 'integrity', name: check.name, status: 'fail', detail: `query failed: ${error}`, durationMs: ms }
            : judgeIntegrity(check, value, ms),
        );
      }

      const { rows } = await client.query<{
        name: string;
        child_schema: string;
        child_table: string;
        parent_schema: string;
        parent_table: string;
        child_columns: string[];
        parent_columns: string[];
      }>(NOT_VALID_FOREIGN_KEYS);
      const references: Reference[] = [
        ...rows.map((r) => ({
          name: `NOT VALID foreign key ${r.name}`,
          child: { schema: r.child_schema, name: r.child_table },
          parent: { schema: r.parent_schema, name: r.parent_table },
          childColumns: r.child_columns,
          parentColumns: r.parent_columns,
        })),
        ...options.softReferences.map(softReference),
      ];
      for (const ref of references) {
        const { value, error, ms } = await measure(orphanQuery(ref));
        const where = `${displayName(ref.child)}(${ref.childColumns.join(', ')}) → ${displayName(ref.parent)}`;
        results.push(
          value === null
            ? { kind: 'orphans', name: ref.name, status: 'fail', detail: `orphan count failed for ${where}: ${error}`, durationMs: ms }
            : {
                kind: 'orphans',
                name: ref.name,
                status: value === 0 ? 'pass' : 'fail',
                value,
                expected: '= 0',
                detail: `${value} orphaned row(s) in ${where}`,
                durationMs: ms,
              },
        );
      }
      return results;
    }),
  );
}
