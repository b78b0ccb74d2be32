// Our context on top of squawk: which table a statement locks, and escalation when that table is large (pure).
import type { LintFinding } from '../../schemas/findings.ts';
import type { Snapshot, TableSnapshot } from '../../schemas/snapshot.ts';
import { formatCount } from '../format.ts';
import { displayName } from '../names.ts';

/**
 * squawk rules whose statement holds a heavy lock for as long as it scans, rewrites or indexes the
 * whole table — the cost grows with the rows, which is what a snapshot knows and squawk does not.
 */
export const TABLE_SIZE_LOCKING_RULES: ReadonlySet<string> = new Set([
  'adding-field-with-default',
  'adding-foreign-key-constraint',
  'adding-not-nullable-field',
  'adding-primary-key-constraint',
  'adding-required-field',
  'changing-column-type',
  'constraint-missing-not-valid',
  'disallowed-unique-constraint',
  'require-concurrent-index-creation',
]);

const IDENT = String.raw`(?:"(?:[^"]|"")+"|[A-Za-z_][A-Za-z0-9_$]*)`;
const NAME = String.raw`(${IDENT})(?:\s*\.\s*(${IDENT}))?`;
const ALTER_TABLE = new RegExp(String.raw`^\s*ALTER\s+TABLE\s+(?:IF\s+EXISTS\s+)?(?:ONLY\s+)?${NAME}`, 'i');
const CREATE_INDEX = new RegExp(
  String.raw`^\s*CREATE\s+(?:UNIQUE\s+)?INDEX\s+(?:CONCURRENTLY\s+)?(?:(?:IF\s+NOT\s+EXISTS\s+)?${IDENT}\s+)?ON\s+(?:ONLY\s+)?${NAME}`,
  'i',
);

/** A bare identifier folds to lower case; a quoted one keeps its case. */
const unquote = (identifier: string) => (identifier.startsWith('"') ? identifier.slice(1, -1).replace(/""/g, '"') : identifier.toLowerCase());

const stripComments = (sql: string) => sql.replace(/\/\*[\s\S]*?\*\//g, ' ').replace(/--[^\n]*/g, ' ');

/** The table an ALTER TABLE or CREATE INDEX statement works on, as written: schema may be absent. */
export function statementTable(statement: string): { schema: string | null; name: string } | null {
  const text = stripComments(statement);
  const match = ALTER_TABLE.exec(text) ?? CREATE_INDEX.exec(text);
  if (!match) return null;
  const [, first, second] = match;
  return second ? { schema: unquote(first!), name: unquote(second) } : { schema: null, name: unquote(first!) };
}

/** The snapshot's table for a reference; an unqualified name resolves the way Prisma's default search path does (public first). */
export function findTable(snapshot: Snapshot, ref: { schema: string | null; name: string }): TableSnapshot | undefined {
  const candidates = snapshot.tables.filter((t) => t.name === ref.name && (ref.schema === null || t.schema === ref.schema));
  return candidates.find((t) => t.schema === 'public') ?? (candidates.length === 1 ? candidates[0] : undefined);
}

/** Adds the table each finding is about and raises locking findings on large tables to errors, saying how many rows. */
export function escalateFindings(findings: LintFinding[], snapshot: Snapshot | null, largeTableThreshold: number): LintFinding[] {
  return findings.map((finding) => {
    const ref = statementTable(finding.statement);
    if (!ref) return finding;
    const table = snapshot ? findTable(snapshot, ref) : undefined;
    const withTable = { ...finding, table: table ? displayName(table) : ref.schema ? displayName({ schema: ref.schema, name: ref.name }) : ref.name };
    if (!table || !TABLE_SIZE_LOCKING_RULES.has(finding.rule) || table.rows <= largeTableThreshold) return withTable;
    const how = table.counted === 'exact' ? 'counted exactly' : 'estimated';
    return {
      ...withTable,
      severity: 'error' as const,
      escalated: `${withTable.table} has ${formatCount(table.rows)} rows (${how}, above the large-table threshold of ${formatCount(largeTableThreshold)}): this statement would lock all ${formatCount(table.rows)} rows while it runs`,
    };
  });
}
