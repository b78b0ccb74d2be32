// How lint findings and check results read on the site: where a finding is, a check's detail said once,
// latencies rounded, and severity counts for listings.
import type { CheckResult, LintFinding } from '../schemas/findings.ts';

/** `<migration>/migration.sql:5`: the file path already starts with its migration folder when the linter walked a folder. */
export function lintWhere(finding: Pick<LintFinding, 'migration' | 'file' | 'line'>): string {
  const file = finding.file === finding.migration || finding.file.startsWith(`${finding.migration}/`) ? finding.file : `${finding.migration}/${finding.file}`;
  return `${file}:${finding.line}`;
}

/** One decimal is as precise as a network round trip deserves: 70.89834 → "70.9 ms". */
export function formatLatency(ms: number): string {
  return `${ms >= 100 ? Math.round(ms) : Math.round(ms * 10) / 10} ms`;
}

/** The detail, then the expectation and latency only when the detail does not already say them. */
export function checkDetail(check: Pick<CheckResult, 'detail' | 'expected' | 'latencyMs'>): { detail: string; extra: string } {
  const parts: string[] = [];
  if (check.expected !== undefined && !check.detail.includes(check.expected)) parts.push(`(expected ${check.expected})`);
  if (check.latencyMs !== undefined) parts.push(`· ${formatLatency(check.latencyMs)}`);
  return { detail: check.detail, extra: parts.join(' ') };
}

export interface LintCounts {
  error: number;
  warning: number;
  info: number;
}

export function lintCounts(findings: Array<Pick<LintFinding, 'severity'>>): LintCounts {
  const counts: LintCounts = { error: 0, warning: 0, info: 0 };
  for (const f of findings) counts[f.severity] += 1;
  return counts;
}
