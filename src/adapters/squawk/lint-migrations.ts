// lintMigrations: squawk on a migrations folder, findings tied to their migration and statement, escalated by table size.
import { readFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { EXIT, LogbookError } from '../../cli/errors.ts';
import { escalateFindings } from '../../core/lint/escalate-findings.ts';
import { offsetOf, splitSqlStatements, statementAt } from '../../core/lint/sql-statements.ts';
import { lintFindingSchema, type LintFinding } from '../../schemas/findings.ts';
import type { Snapshot } from '../../schemas/snapshot.ts';
import { readMigrationsFolder } from '../fs/migrations-folder.ts';
import { runSquawk, type SquawkViolation } from './run-squawk.ts';

export interface LintOptions {
  migrationsDir: string;
  /** Migration names to lint; default: every migration in the folder. */
  migrations?: string[] | undefined;
  /** Table sizes for escalation, and the server version squawk should assume. */
  snapshot?: Snapshot | null | undefined;
  largeTableThreshold: number;
  /** squawk rules not to report (config lint.excludeRules); none: every rule. */
  excludeRules?: readonly string[] | undefined;
  signal?: AbortSignal | undefined;
}

const severity = (level: string): LintFinding['severity'] => (/error/i.test(level) ? 'error' : /warn/i.test(level) ? 'warning' : 'info');

function toFinding(violation: SquawkViolation, migration: string, file: string, sql: string): LintFinding {
  const statement = statementAt(splitSqlStatements(sql), offsetOf(sql, violation.line, violation.column));
  return {
    migration,
    file,
    line: statement?.line ?? violation.line + 1,
    column: violation.column,
    rule: violation.rule_name,
    severity: severity(violation.level),
    message: violation.message,
    ...(violation.help ? { help: violation.help } : {}),
    statement: statement?.text ?? '',
  };
}

export async function lintMigrations(options: LintOptions): Promise<LintFinding[]> {
  const dir = resolve(options.migrationsDir);
  const all = readMigrationsFolder(dir);
  let chosen = all;
  if (options.migrations) {
    const known = new Map(all.map((m) => [m.name, m]));
    const unknown = options.migrations.filter((name) => !known.has(name));
    if (unknown.length > 0) {
      throw new LogbookError(`not in the migrations folder ${dir}: ${unknown.join(', ')}`, {
        code: 'E_UNKNOWN_MIGRATION',
        exitCode: EXIT.usage,
        hint: 'check the folder (--migrations) matches the database, e.g. with `logbook status`',
      });
    }
    chosen = options.migrations.map((name) => known.get(name)!);
  }
  const violations = await runSquawk(
    chosen.map((m) => m.sqlPath),
    { cwd: dir, pgVersion: options.snapshot?.serverVersion.split(' ')[0], exclude: options.excludeRules, signal: options.signal },
  );
  const byPath = new Map(chosen.map((m) => [resolve(m.sqlPath), m]));
  const texts = new Map<string, string>();
  const findings = violations.map((violation) => {
    const migration = byPath.get(resolve(dir, violation.file));
    const path = migration?.sqlPath ?? resolve(dir, violation.file);
    if (!texts.has(path)) texts.set(path, readFileSync(path, 'utf8'));
    return toFinding(violation, migration?.name ?? relative(dir, path), relative(dir, path), texts.get(path)!);
  });
  const order = new Map(chosen.map((m, i) => [m.name, i]));
  findings.sort((a, b) => (order.get(a.migration) ?? 0) - (order.get(b.migration) ?? 0) || a.line - b.line || (a.column ?? 0) - (b.column ?? 0));
  return escalateFindings(findings, options.snapshot ?? null, options.largeTableThreshold).map((finding) => lintFindingSchema.parse(finding));
}
