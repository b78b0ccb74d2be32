// lintMigrations: squawk and PostgreSQL's parser on the pending migrations — findings classified and escalated
// by table size, the lock each statement takes, and the acceptances that let a finding through the gate.
import { readFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { LogbookError } from '../../core/errors.ts';
import { classifyFindings, lockReportViolations, prismaConcurrentlyViolations, type PlacedViolation } from '../../core/lint/classify-findings.ts';
import { acceptanceComments, applyAcceptances } from '../../core/lint/gate.ts';
import { buildLockReport, type MigrationSql } from '../../core/lint/lock-report.ts';
import { offsetOf } from '../../core/lint/sql-statements.ts';
import { lintFindingSchema, statementLockSchema, type LintAcceptance, type LintFinding, type Severity, type StatementLock } from '../../schemas/findings.ts';
import type { Snapshot } from '../../schemas/snapshot.ts';
import { readMigrationsFolder } from '../fs/migrations-folder.ts';
import { parseMigrationSql } from './parse-sql.ts';
import { runSquawk } from './run-squawk.ts';

export interface LintOptions {
  migrationsDir: string;
  /** Migration names to lint; default: every migration in the folder. */
  migrations?: string[] | undefined;
  /** Table sizes for escalation, and the server version squawk should assume. */
  snapshot?: Snapshot | null | undefined;
  largeTableThreshold: number;
  /** squawk rules not to report (config lint.excludeRules); none: every rule. */
  excludeRules?: readonly string[] | undefined;
  /** lint.severity: a rule's level before escalation. */
  severity?: Readonly<Record<string, Severity>> | undefined;
  /** Acceptances given on the command line (--accept-lint); the files' own comments are read here. */
  acceptances?: LintAcceptance[] | undefined;
  signal?: AbortSignal | undefined;
}

export interface LintResult {
  findings: LintFinding[];
  /** Every statement of the linted migrations with the locks it takes. */
  locks: StatementLock[];
  /** Every acceptance in force: the flags given and the files' comments. */
  acceptances: LintAcceptance[];
  /** Files PostgreSQL's parser rejected (their locks are unknown). */
  parseErrors: Array<{ migration: string; message: string }>;
}

const severity = (level: string): Severity => (/error/i.test(level) ? 'error' : /warn/i.test(level) ? 'warning' : 'info');

export async function lintMigrations(options: LintOptions): Promise<LintResult> {
  const dir = resolve(options.migrationsDir);
  const all = readMigrationsFolder(dir);
  let chosen = all;
  if (options.migrations) {
    const known = new Map(all.map((m) => [m.name, m]));
    const unknown = options.migrations.filter((name) => !known.has(name));
    if (unknown.length > 0) {
      throw new LogbookError(`not in the migrations folder ${dir}: ${unknown.join(', ')}`, {
        code: 'E_UNKNOWN_MIGRATION',
        outcome: 'usage',
        hint: 'check the folder (--migrations) matches the database, e.g. with `logbook status`',
      });
    }
    chosen = options.migrations.map((name) => known.get(name)!);
  }
  // squawk runs in its own process: parse while it works.
  const squawk = runSquawk(
    chosen.map((m) => m.sqlPath),
    { cwd: dir, pgVersion: options.snapshot?.serverVersion.split(' ')[0], exclude: options.excludeRules, signal: options.signal },
  );
  // Settled here so a parse failure below never leaves it unhandled; awaited (and its error thrown) after.
  squawk.catch(() => {});
  const texts = new Map(chosen.map((m) => [m.name, readFileSync(m.sqlPath, 'utf8')]));
  const parsed: MigrationSql[] = [];
  const parseErrors: LintResult['parseErrors'] = [];
  for (const m of chosen) {
    const { statements, error } = await parseMigrationSql(texts.get(m.name)!);
    if (error) parseErrors.push({ migration: m.name, message: error });
    parsed.push({ name: m.name, file: relative(dir, m.sqlPath), statements });
  }
  const analyzed = buildLockReport(parsed, options.snapshot ?? null);

  const violations = await squawk;
  const byPath = new Map(chosen.map((m) => [resolve(m.sqlPath), m]));
  const placed: PlacedViolation[] = violations.map((violation) => {
    const path = resolve(dir, violation.file);
    const migration = byPath.get(path);
    const sql = migration ? texts.get(migration.name)! : readFileSync(path, 'utf8');
    return {
      migration: migration?.name ?? relative(dir, path),
      file: relative(dir, path),
      offset: offsetOf(sql, violation.line, violation.column),
      line: violation.line + 1,
      column: violation.column,
      rule: violation.rule_name,
      severity: severity(violation.level),
      message: violation.message,
      help: violation.help ?? undefined,
    };
  });
  const excluded = new Set(options.excludeRules ?? []);
  const own = [...prismaConcurrentlyViolations(analyzed), ...lockReportViolations(analyzed, options.largeTableThreshold)];
  placed.push(...own.filter((v) => !excluded.has(v.rule)));

  const acceptances = [...(options.acceptances ?? []), ...chosen.flatMap((m) => acceptanceComments(m.name, texts.get(m.name)!))];
  const order = new Map(chosen.map((m, i) => [m.name, i]));
  const findings = applyAcceptances(
    classifyFindings(placed, analyzed, { snapshot: options.snapshot ?? null, largeTableRows: options.largeTableThreshold, severity: options.severity }),
    acceptances,
  );
  findings.sort(
    (a, b) =>
      (order.get(a.migration) ?? 0) - (order.get(b.migration) ?? 0) || a.line - b.line || (a.column ?? 0) - (b.column ?? 0) || a.rule.localeCompare(b.rule),
  );
  return {
    findings: findings.map((finding) => lintFindingSchema.parse(finding)),
    locks: analyzed.map((a) => statementLockSchema.parse(a.report)),
    acceptances,
    parseErrors,
  };
}
