// Turns squawk's raw violations into findings a DBA reads: one per statement and rule, the table and
// columns named, a severity tier that means something, escalation by table size, the safe alternative (pure).
import type { LintFinding, Severity } from '../../schemas/findings.ts';
import type { Snapshot } from '../../schemas/snapshot.ts';
import { formatCount, formatDuration } from '../format.ts';
import type { AnalyzedStatement } from './lock-report.ts';
import { lockRank, serverVersionNum } from './lock-report.ts';
import { tableName } from './render-findings.ts';

/**
 * What a rule is about. data-loss: error on any table. blocking: a lock that grows with the table —
 * warning, error above the large-table threshold. risky: bounded but can break clients. style: info.
 * unlintable: squawk stopped at a syntax error, so the rest of the file went unchecked — fail closed.
 */
export type RuleTier = 'data-loss' | 'blocking' | 'risky' | 'style' | 'unlintable';

export const RULE_TIERS: Readonly<Record<string, RuleTier>> = {
  'syntax-error': 'unlintable',
  'ban-drop-table': 'data-loss',
  'ban-drop-column': 'data-loss',
  'ban-drop-database': 'data-loss',
  'ban-truncate-cascade': 'data-loss',
  'adding-field-with-default': 'blocking',
  'adding-foreign-key-constraint': 'blocking',
  'adding-not-nullable-field': 'blocking',
  'adding-primary-key-constraint': 'blocking',
  'adding-required-field': 'blocking',
  'adding-serial-primary-key-field': 'blocking',
  'changing-column-type': 'blocking',
  'constraint-missing-not-valid': 'blocking',
  'disallowed-unique-constraint': 'blocking',
  'require-concurrent-index-creation': 'blocking',
  'require-concurrent-index-deletion': 'blocking',
  'require-concurrent-reindex': 'blocking',
  'ban-alter-domain-with-add-constraint': 'risky',
  'ban-concurrent-index-creation-in-transaction': 'risky',
  'ban-create-domain-with-constraint': 'risky',
  'ban-drop-not-null': 'risky',
  'ban-uncommitted-transaction': 'risky',
  'renaming-column': 'risky',
  'renaming-table': 'risky',
  'transaction-nesting': 'risky',
  'prisma-concurrent-index-not-alone': 'risky',
  'truncate-table': 'data-loss',
  'blocking-lock-on-large-table': 'blocking',
  'ban-char-field': 'style',
  'prefer-big-int': 'style',
  'prefer-bigint-over-int': 'style',
  'prefer-bigint-over-smallint': 'style',
  'prefer-identity': 'style',
  'prefer-robust-stmts': 'style',
  'prefer-text-field': 'style',
  'prefer-timestamp-tz': 'style',
  'require-enum-value-ordering': 'style',
  'require-timeout-settings': 'style',
  'require-lock-timeout': 'style',
  'require-statement-timeout': 'style',
  'require-table-schema': 'style',
};

const TIER_SEVERITY: Record<RuleTier, Severity> = { 'data-loss': 'error', blocking: 'warning', risky: 'warning', style: 'info', unlintable: 'error' };

/** Rules whose risk vanishes on a table created earlier in the batch: it is empty, so nothing waits and nothing is lost. */
const EMPTY_TABLE_SAFE: ReadonlySet<RuleTier> = new Set(['data-loss', 'blocking']);

/** Target types no value of a compatible source type is lost in (anything else may truncate or fail). */
const WIDE_TYPES = /^(text|varchar|character varying|int8|bigint|numeric|float8|double precision|jsonb|timestamptz)$/i;

const LOCK_TIMEOUT =
  "Set `lock_timeout` (e.g. `SET lock_timeout = '5s';` first in the file) so a lock that has to queue behind a long query fails fast instead of stalling every query behind it.";
const LOCK_TIMEOUT_ALONE =
  'The file can hold nothing else, so set `lock_timeout` on the connection instead (e.g. `?options=-c%20lock_timeout%3D5s` in DATABASE_URL, or `ALTER ROLE … SET lock_timeout`).';

/** The safe way to the same change, Prisma-aware (Prisma runs each migration.sql as one batch). */
function safeAlternative(rule: string, f: { table: string; columns: string[]; fk: boolean; version: number }): string | undefined {
  const col = f.columns[0] ?? 'column';
  switch (rule) {
    case 'require-concurrent-index-creation':
      return `Put \`CREATE INDEX CONCURRENTLY …\` in a migration of its own: its migration.sql must hold only that statement, because Prisma sends a file as one transaction and CONCURRENTLY refuses to run in one. Reads and writes continue while it builds; if it fails it leaves an INVALID index to drop before retrying. ${LOCK_TIMEOUT_ALONE}`;
    case 'require-concurrent-index-deletion':
      return `Use \`DROP INDEX CONCURRENTLY …\` as the only statement of its own migration.sql (it cannot run in a transaction, and Prisma sends a file as one). ${LOCK_TIMEOUT_ALONE}`;
    case 'require-concurrent-reindex':
      if (f.version < 120000)
        return 'REINDEX CONCURRENTLY needs PostgreSQL 12: build a new index with CREATE INDEX CONCURRENTLY, then drop the old one with DROP INDEX CONCURRENTLY, each alone in its own migration.sql.';
      return `Use \`REINDEX … CONCURRENTLY\` (PostgreSQL 12+) as the only statement of its own migration.sql (it cannot run in a transaction, and Prisma sends a file as one). ${LOCK_TIMEOUT_ALONE}`;
    case 'adding-foreign-key-constraint':
    case 'constraint-missing-not-valid':
      return f.fk || rule === 'adding-foreign-key-constraint'
        ? `Add the foreign key with \`NOT VALID\` (a brief SHARE ROW EXCLUSIVE lock on both tables, no scan), then \`ALTER TABLE ${f.table} VALIDATE CONSTRAINT …\` in a later migration: validation takes SHARE UPDATE EXCLUSIVE, so reads and writes continue. ${LOCK_TIMEOUT}`
        : `Add the constraint with \`NOT VALID\`, then \`VALIDATE CONSTRAINT\` in a later migration (SHARE UPDATE EXCLUSIVE: reads and writes continue). ${LOCK_TIMEOUT}`;
    case 'adding-not-nullable-field':
      if (f.version < 120000) {
        return `This server (before PostgreSQL 12) scans the table under ACCESS EXCLUSIVE for SET NOT NULL whatever constraints exist: keep "${col}" nullable and enforce it with \`CHECK ("${col}" IS NOT NULL) NOT VALID\` + \`VALIDATE CONSTRAINT\` in a later migration, until the server is upgraded. ${LOCK_TIMEOUT}`;
      }
      return `Add \`CHECK ("${col}" IS NOT NULL) NOT VALID\`, then \`VALIDATE CONSTRAINT\` in a later migration (no blocking scan), then \`ALTER COLUMN "${col}" SET NOT NULL\` — PostgreSQL 12+ proves it from the valid CHECK without scanning — and drop the CHECK. ${LOCK_TIMEOUT}`;
    case 'adding-required-field':
      return `Add "${col}" as nullable (or with a constant default), backfill it in batches, then make it NOT NULL through a \`CHECK ("${col}" IS NOT NULL) NOT VALID\` + \`VALIDATE CONSTRAINT\` + \`SET NOT NULL\`.`;
    case 'changing-column-type':
      return `Add a new column of the new type, backfill it in batches, switch the application to it, then drop "${col}" — or keep to a binary-compatible change (varchar(n) → text or a longer varchar), which skips the rewrite. ${LOCK_TIMEOUT}`;
    case 'adding-field-with-default':
      return `Add the column without the volatile default, set the default in a second statement, and backfill existing rows in batches. ${LOCK_TIMEOUT}`;
    case 'disallowed-unique-constraint':
    case 'adding-primary-key-constraint':
      return `Build the index first with \`CREATE UNIQUE INDEX CONCURRENTLY\` (alone in its own migration.sql), then \`ALTER TABLE ${f.table} ADD CONSTRAINT … ${rule === 'adding-primary-key-constraint' ? 'PRIMARY KEY' : 'UNIQUE'} USING INDEX …\`, which only takes a brief lock. ${LOCK_TIMEOUT}`;
    case 'ban-drop-column':
      return `Deploy application code that no longer reads or writes "${col}" first (in Prisma: remove the field and deploy), then drop it in a later migration; the verified backup is the only way back to its data.`;
    case 'ban-drop-table':
      return 'Deploy application code that no longer uses the table first, then drop it in a later migration (or rename it away and drop it after a grace period); the verified backup is the only way back to its data.';
    case 'ban-truncate-cascade':
      return 'Name every table to truncate instead of CASCADE, so nothing else is emptied by surprise.';
    case 'renaming-column':
    case 'renaming-table':
      return 'Expand and contract: add the new name, write to both, backfill, switch reads, then drop the old one — so the running application never sees a missing name.';
    case 'ban-drop-not-null':
      return 'Deploy application code that handles NULL in this column before dropping the constraint.';
    case 'truncate-table':
      return 'Delete what must go with a DELETE … WHERE that names it (in batches for a big table), or take the verified backup and accept the finding with the reason.';
    case 'blocking-lock-on-large-table':
      return `Split the change so the table is not rewritten or scanned under this lock (a new column and a batched backfill, NOT VALID then VALIDATE, CONCURRENTLY), or run it in a maintenance window. ${LOCK_TIMEOUT}`;
    case 'prisma-concurrent-index-not-alone':
      return `Move the CONCURRENTLY statement into a migration of its own whose migration.sql holds nothing else. ${LOCK_TIMEOUT_ALONE}`;
    default:
      return undefined;
  }
}

/** A squawk violation placed in its migration file (offset in characters). */
export interface PlacedViolation {
  migration: string;
  file: string;
  offset: number;
  line: number;
  column: number;
  rule: string;
  severity: Severity;
  message: string;
  help?: string | undefined;
}

export interface ClassifyOptions {
  snapshot: Snapshot | null;
  largeTableRows: number;
  /** lint.severity: a rule's level before escalation. */
  severity?: Readonly<Record<string, Severity>> | undefined;
}

function columnsFor(rule: string, s: AnalyzedStatement | undefined): string[] {
  const c = s?.locks.columns;
  if (!c) return [];
  switch (rule) {
    case 'adding-not-nullable-field':
      return c.setNotNull;
    case 'changing-column-type':
      return c.alterType.map((t) => t.column);
    case 'ban-drop-column':
      return c.drop;
    case 'adding-required-field':
    case 'adding-field-with-default':
    case 'adding-serial-primary-key-field':
      return c.add;
    case 'adding-foreign-key-constraint':
    case 'constraint-missing-not-valid':
      return c.foreignKey;
    default:
      return [];
  }
}

const quoteList = (names: string[]) => names.map((n) => `"${n}"`).join(', ');

/** One finding per statement and rule, severity by tier and table size, suppressed on tables the batch created. */
export function classifyFindings(violations: PlacedViolation[], statements: AnalyzedStatement[], options: ClassifyOptions): LintFinding[] {
  // squawk may place a finding on the blanks before a statement: it belongs to the next one.
  const statementOf = (v: PlacedViolation) => statements.find((s) => s.migration === v.migration && v.offset < s.statement.end);
  const groups = new Map<string, { violation: PlacedViolation; statement: AnalyzedStatement | undefined; rules: Set<string> }>();
  for (const violation of violations) {
    const statement = statementOf(violation);
    const id = JSON.stringify([violation.migration, statement?.statement.start ?? violation.offset, violation.rule]);
    if (!groups.has(id)) groups.set(id, { violation, statement, rules: new Set([violation.rule]) });
  }
  // A foreign key or a unique/primary key added without NOT VALID trips two squawk rules for one risk: keep one finding.
  for (const [id, group] of groups) {
    if (group.violation.rule !== 'constraint-missing-not-valid' || !group.statement) continue;
    const start = group.statement.statement.start;
    const twin = ['adding-foreign-key-constraint', 'disallowed-unique-constraint', 'adding-primary-key-constraint']
      .map((rule) => groups.get(JSON.stringify([group.violation.migration, start, rule])))
      .find(Boolean);
    if (twin) {
      twin.rules.add(group.violation.rule);
      groups.delete(id);
    }
  }

  // Our lock-report rule only speaks when no squawk rule already covers the statement's blocking lock.
  for (const [id, group] of groups) {
    if (group.violation.rule !== 'blocking-lock-on-large-table' || !group.statement) continue;
    const start = group.statement.statement.start;
    const covered = [...groups.values()].some(
      (g) =>
        g !== group &&
        g.statement?.statement.start === start &&
        g.violation.migration === group.violation.migration &&
        RULE_TIERS[g.violation.rule] === 'blocking',
    );
    if (covered) groups.delete(id);
  }

  const findings: LintFinding[] = [];
  for (const { violation: v, statement: s, rules } of groups.values()) {
    let tier: RuleTier = RULE_TIERS[v.rule] ?? 'risky';
    const columns = columnsFor(v.rule, s);
    const target = s?.target;
    // Nothing to lock or lose on a table created earlier in this batch.
    if (target?.created && EMPTY_TABLE_SAFE.has(tier)) continue;
    let message = tier === 'unlintable' ? `${v.message}: the statements after a syntax error in ${v.file} may not have been linted.` : v.message;
    if (v.rule === 'changing-column-type') {
      const narrowing = (s?.locks.columns.alterType ?? []).filter((t) => !WIDE_TYPES.test(t.type.replace(/\(.*$/, '')) || /\(/.test(t.type));
      if (narrowing.length) {
        tier = 'data-loss';
        message = `${message.replace(/\.?$/, '.')} Converting to ${narrowing.map((t) => `${t.type} ("${t.column}")`).join(', ')} can truncate values or fail on existing data.`;
      }
    }
    let severity: Severity = options.severity?.[v.rule] ?? TIER_SEVERITY[tier];
    const table = target ? tableName(target) : undefined;
    let escalated: string | undefined;
    // A type change stays a lock question even when it can lose data: say how big the rewrite is.
    if ((tier === 'blocking' || v.rule === 'changing-column-type') && s) {
      // Every table the statement blocks writes on counts: a foreign key holds both tables while it scans.
      const big = s.report.locks
        .filter((l) => !l.created && l.rows !== null && l.rows > options.largeTableRows && lockRank(l.mode) >= lockRank('SHARE'))
        .sort((a, b) => (b.rows ?? 0) - (a.rows ?? 0))[0];
      if (big) {
        severity = 'error';
        const snapshotTable = options.snapshot?.tables.find((t) => t.schema === big.schema && t.name === big.table);
        const how = snapshotTable?.counted === 'exact' ? 'counted exactly' : 'estimated';
        const name = tableName(big);
        escalated = `${name} has ${formatCount(big.rows)} rows (${how}, above the large-table threshold of ${formatCount(options.largeTableRows)}): this statement takes ${big.mode} on it${big.effect !== 'none' ? ` and ${big.effect === 'rewrite' ? 'rewrites' : 'scans'} it (about ${formatDuration(big.estimatedMs)})` : ''}, locking all ${formatCount(big.rows)} rows while it runs`;
      }
    }
    if (columns.length) message = `${message} Column${columns.length > 1 ? 's' : ''}: ${quoteList(columns)}${table ? ` of ${table}` : ''}.`;
    else if (table) message = `${message} Table: ${table}.`;
    const alternative = safeAlternative(v.rule, {
      table: table ?? 'the table',
      columns,
      fk: (s?.locks.columns.foreignKey.length ?? 0) > 0,
      version: serverVersionNum(options.snapshot?.serverVersion),
    });
    const also = [...rules].filter((r) => r !== v.rule);
    findings.push({
      migration: v.migration,
      file: v.file,
      line: s?.statement.line ?? v.line,
      column: v.column,
      rule: v.rule,
      severity,
      message,
      ...(v.help ? { help: v.help } : {}),
      statement: s?.statement.text ?? '',
      ...(table ? { table } : {}),
      ...(target ? { target: { schema: target.schema, name: target.table } } : {}),
      ...(escalated ? { escalated } : {}),
      ...(also.length ? { alsoRules: also } : {}),
      ...(columns.length ? { columns } : {}),
      ...(target ? { lock: target.mode } : {}),
      ...(alternative ? { safeAlternative: alternative } : {}),
    });
  }
  return findings;
}

/**
 * Our own rules from the lock report: TRUNCATE empties a table (squawk only flags TRUNCATE … CASCADE), and a
 * rewrite or scan under a write-blocking lock on a large table that no squawk rule names is still a blocking lock.
 */
export function lockReportViolations(statements: AnalyzedStatement[], largeTableRows: number): PlacedViolation[] {
  const violations: PlacedViolation[] = [];
  for (const s of statements) {
    const at = { migration: s.migration, file: s.file, offset: s.statement.start, line: s.statement.line, column: 0 };
    const cascade = s.locks.intents.some((i) => i.on === 'fk-neighbours');
    if (s.locks.kind === 'TRUNCATE' && !cascade) {
      violations.push({ ...at, rule: 'truncate-table', severity: 'error', message: 'TRUNCATE deletes every row of the table at once.' });
    }
    const heavy = s.report.locks.find(
      (l) => !l.created && l.effect !== 'none' && l.rows !== null && l.rows > largeTableRows && lockRank(l.mode) >= lockRank('SHARE'),
    );
    if (heavy) {
      const name = tableName(heavy);
      violations.push({
        ...at,
        rule: 'blocking-lock-on-large-table',
        severity: 'warning',
        message: `${s.locks.kind} takes ${heavy.mode} on ${name} and ${heavy.effect === 'rewrite' ? 'rewrites' : 'scans'} it.`,
      });
    }
  }
  return violations;
}

/**
 * Our own Prisma-aware rule: CREATE/DROP INDEX CONCURRENTLY in a migration.sql with other statements fails,
 * because Prisma sends the file as one batch (an implicit transaction).
 */
export function prismaConcurrentlyViolations(statements: AnalyzedStatement[]): PlacedViolation[] {
  return statements
    .filter((s) => s.locks.concurrent && s.siblings > 0)
    .map((s) => ({
      migration: s.migration,
      file: s.file,
      offset: s.statement.start,
      line: s.statement.line,
      column: 0,
      rule: 'prisma-concurrent-index-not-alone',
      severity: 'warning' as const,
      message: `${s.locks.kind} shares its migration.sql with ${s.siblings} other statement(s): Prisma sends the file as one multi-statement query, which PostgreSQL runs as one transaction, and CONCURRENTLY refuses to run inside a transaction.`,
    }));
}
