// Results a run produces besides snapshots: lint findings and check outcomes.
import { z } from 'zod';

export const checkStatusSchema = z.enum(['pass', 'warn', 'fail']).describe('Outcome of one check.');

export const lintFindingSchema = z
  .object({
    migration: z.string().describe('Migration folder (or file) the statement comes from.'),
    file: z.string().describe('SQL file linted, relative to the migrations folder.'),
    line: z.number().int().positive().describe('1-based line of the statement.'),
    column: z.number().int().nonnegative().optional().describe('Column of the statement, when known.'),
    rule: z.string().describe('squawk rule name, e.g. require-concurrent-index-creation.'),
    severity: z.enum(['error', 'warning', 'info']).describe('Severity after escalation.'),
    message: z.string().describe('What the rule found.'),
    help: z.string().optional().describe('How to make the statement safe.'),
    statement: z.string().describe('The statement the finding is about.'),
    table: z.string().optional().describe('Table the statement touches, schema.name, when known.'),
    escalated: z.string().optional().describe('Why the severity was raised (e.g. the table is large), with row counts.'),
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
export type CheckResult = z.infer<typeof checkResultSchema>;
