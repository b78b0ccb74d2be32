// The lint gate: which findings stop `run`/`start`, and the acceptances (per migration and rule, with a reason) that let them through (pure).
import type { LintAcceptance, LintFinding, Severity } from '../../schemas/findings.ts';

export type FailOn = Severity | 'none';

const RANK: Record<Severity, number> = { info: 0, warning: 1, error: 2 };

/** Whether a finding's severity reaches the fail level. */
export function reaches(severity: Severity, failOn: FailOn): boolean {
  return failOn !== 'none' && RANK[severity] >= RANK[failOn];
}

const RULE = /^[a-z0-9-]+$/;

/** `-- logbook:accept RULE: reason` comments in a migration file, as strong_migrations' safety_assured. */
export function acceptanceComments(migration: string, sql: string): LintAcceptance[] {
  const found: LintAcceptance[] = [];
  for (const [i, line] of sql.split('\n').entries()) {
    const match = /^\s*--\s*logbook:accept\s+([a-z0-9-]+)\s*:\s*(\S.*?)\s*$/.exec(line);
    if (match) found.push({ migration, rule: match[1]!, reason: match[2]!, source: 'comment', line: i + 1 });
  }
  return found;
}

/** Why a `--accept-lint` value is malformed, or the acceptance it gives. */
export function parseAcceptFlag(value: string): LintAcceptance | { problem: string } {
  const colon = value.indexOf(':');
  const equals = value.indexOf('=', colon + 1);
  if (colon <= 0 || equals < 0) return { problem: `--accept-lint takes MIGRATION:RULE=REASON, got "${value}"` };
  const migration = value.slice(0, colon).trim();
  const rule = value.slice(colon + 1, equals).trim();
  const reason = value.slice(equals + 1).trim();
  if (!RULE.test(rule)) return { problem: `--accept-lint "${value}": "${rule}" is not a rule name (e.g. ban-drop-column)` };
  if (!reason) return { problem: `--accept-lint "${value}": say why after "=" (the reason is recorded)` };
  return { migration, rule, reason, source: 'flag' };
}

/** Marks each finding an acceptance covers (a merged finding is covered by any of its rules). */
export function applyAcceptances(findings: LintFinding[], acceptances: LintAcceptance[]): LintFinding[] {
  return findings.map((finding) => {
    const rules = [finding.rule, ...(finding.alsoRules ?? [])];
    const acceptance = acceptances.find((a) => a.migration === finding.migration && rules.includes(a.rule));
    return acceptance ? { ...finding, accepted: { reason: acceptance.reason, source: acceptance.source } } : finding;
  });
}

/** Acceptances that match no finding (a typo in the rule or migration, or a finding already fixed). */
export function unusedAcceptances(findings: LintFinding[], acceptances: LintAcceptance[]): LintAcceptance[] {
  return acceptances.filter((a) => !findings.some((f) => f.migration === a.migration && [f.rule, ...(f.alsoRules ?? [])].includes(a.rule)));
}

/** Findings that stop a run: at or above the fail level and not accepted. */
export function blockingFindings(findings: LintFinding[], failOn: FailOn): LintFinding[] {
  return findings.filter((f) => !f.accepted && reaches(f.severity, failOn));
}

/** What `run`/`start` say when the gate stops them, or null when it lets the run through. */
export function gateRefusal(findings: LintFinding[], failOn: FailOn): { message: string; hint: string } | null {
  const blocking = blockingFindings(findings, failOn);
  if (blocking.length === 0) return null;
  const list = blocking.map((f) => `${f.severity} ${f.rule} in ${f.migration}:${f.line}${f.table ? ` (${f.table})` : ''}`).join('; ');
  const first = blocking[0]!;
  return {
    message: `lint stopped the run before the backup: ${blocking.length} unaccepted finding(s) at level ${failOn} or above: ${list}`,
    hint: `make the migration safe (see \`logbook lint\` for each safe alternative), or accept a finding with a reason: \`--accept-lint ${first.migration}:${first.rule}=REASON\` or the comment \`-- logbook:accept ${first.rule}: REASON\` in its migration.sql (lint.failOn sets the level)`,
  };
}
