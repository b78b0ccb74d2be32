// Results a run produces besides snapshots: lint findings and check outcomes.
import { z } from 'zod';

export const checkStatusSchema = z.enum(['pass', 'warn', 'fail']).describe('Outcome of one check.');

export const severitySchema = z
  .enum(['error', 'warning', 'info'])
  .describe(
    'error: data loss on any table, or a blocking lock on a large table; warning: the same locks on smaller tables and other risky but bounded changes; info: style.',
  );

/** PostgreSQL's table-level lock modes, weakest first (the order of its conflict table). */
export const LOCK_MODES = [
  'ACCESS SHARE',
  'ROW SHARE',
  'ROW EXCLUSIVE',
  'SHARE UPDATE EXCLUSIVE',
  'SHARE',
  'SHARE ROW EXCLUSIVE',
  'EXCLUSIVE',
  'ACCESS EXCLUSIVE',
] as const;
export const lockModeSchema = z.enum(LOCK_MODES).describe('Table-level lock mode, as PostgreSQL documents it.');

export const lintAcceptanceSchema = z
  .object({
    migration: z.string().describe('Migration the acceptance applies to.'),
    rule: z.string().describe('Rule accepted for that migration.'),
    reason: z.string().min(1).describe('Why the finding is acceptable, in the words of whoever accepted it.'),
    source: z.enum(['flag', 'comment']).describe('--accept-lint on the command line, or a `-- logbook:accept` comment in the migration file.'),
    line: z.number().int().positive().optional().describe('Line of the comment, for comment acceptances.'),
  })
  .strict();

export const lintFindingSchema = z
  .object({
    migration: z.string().describe('Migration folder (or file) the statement comes from.'),
    file: z.string().describe('SQL file linted, relative to the migrations folder.'),
    line: z.number().int().positive().describe('1-based line of the statement.'),
    column: z.number().int().nonnegative().optional().describe('Column of the statement, when known.'),
    rule: z.string().describe('squawk rule name, e.g. require-concurrent-index-creation.'),
    severity: severitySchema.describe('Severity after escalation.'),
    message: z.string().describe('What the rule found.'),
    help: z.string().optional().describe('How to make the statement safe.'),
    statement: z.string().describe('The statement the finding is about.'),
    table: z.string().optional().describe('Table the statement touches, schema.name, when known.'),
    escalated: z.string().optional().describe('Why the severity was raised (e.g. the table is large), with row counts.'),
    target: z
      .object({
        schema: z.string().nullable().describe('Schema; null when neither the statement nor the snapshot says.'),
        name: z.string().describe('Table name.'),
      })
      .strict()
      .optional()
      .describe('The table the finding is about, as a (schema, name) pair.'),
    alsoRules: z.array(z.string()).optional().describe('Other rules that flagged the same statement for the same reason, merged into this finding.'),
    columns: z.array(z.string()).optional().describe('Columns the finding is about, when the statement names them.'),
    lock: lockModeSchema.optional().describe('Strongest lock the statement takes on the table.'),
    safeAlternative: z.string().optional().describe('How to get the same change without the risk.'),
    accepted: z
      .object({ reason: z.string(), source: z.enum(['flag', 'comment']) })
      .strict()
      .optional()
      .describe('The finding was accepted for this migration, and why.'),
  })
  .strict();

export const tableLockSchema = z
  .object({
    schema: z.string().nullable().describe('Schema of the table; null when the statement does not qualify it and the snapshot does not know it.'),
    table: z.string().describe('Table name.'),
    mode: lockModeSchema,
    effect: z
      .enum(['rewrite', 'scan', 'none'])
      .describe('rewrite: the table is copied; scan: every row is read (a check, a validation, an index build); none: catalog only.'),
    created: z.boolean().describe('The table is created earlier in the same pending batch: empty, so its lock is harmless.'),
    rows: z.number().int().nonnegative().nullable().describe('Rows in the table before the migration (from the snapshot), when known.'),
    bytes: z.number().int().nonnegative().nullable().describe('Table, TOAST and index bytes before the migration, when known.'),
    estimatedMs: z.number().nonnegative().nullable().describe('Rough time the lock is held for a rewrite or scan, from the size; null when not estimated.'),
  })
  .strict();

export const statementLockSchema = z
  .object({
    migration: z.string().describe('Migration the statement belongs to.'),
    file: z.string().describe('SQL file, relative to the migrations folder.'),
    line: z.number().int().positive().describe('1-based line of the statement.'),
    kind: z.string().describe('Statement kind, e.g. CREATE INDEX or ALTER TABLE ... SET NOT NULL.'),
    statement: z.string().describe('The statement, shortened to one line.'),
    locks: z.array(tableLockSchema).describe('Each table the statement locks, with the strongest mode on it.'),
    note: z.string().optional().describe('What else matters for this statement (e.g. it cannot run in a transaction).'),
  })
  .strict();

export const checkResultSchema = z
  .object({
    kind: z.enum(['integrity', 'orphans', 'anomaly', 'smoke']).describe('Which family of check produced this result.'),
    name: z.string().describe('Check name.'),
    status: checkStatusSchema,
    detail: z.string().describe('What was measured against what was expected.'),
    value: z.number().optional().describe('The measured number (a count, a status code).'),
    expected: z.string().optional().describe('The expectation, in words.'),
    latencyMs: z.number().nonnegative().optional().describe('Smoke checks: request latency.'),
    durationMs: z.number().nonnegative().optional().describe('How long the check took.'),
  })
  .strict();

export type CheckStatus = z.infer<typeof checkStatusSchema>;
export type LintFinding = z.infer<typeof lintFindingSchema>;
export type Severity = z.infer<typeof severitySchema>;
export type LockMode = z.infer<typeof lockModeSchema>;
export type LintAcceptance = z.infer<typeof lintAcceptanceSchema>;
export type TableLock = z.infer<typeof tableLockSchema>;
export type StatementLock = z.infer<typeof statementLockSchema>;
export type CheckResult = z.infer<typeof checkResultSchema>;
