// Pure: judging measured numbers against expectations, and turning diff anomalies into check results.
import type { IntegrityCheckConfig } from '../../schemas/config.ts';
import type { CheckResult, CheckStatus } from '../../schemas/findings.ts';
import type { SnapshotDiff } from '../diff/diff-snapshots.ts';

export function describeExpectation(expect: IntegrityCheckConfig['expect']): string {
  const parts: string[] = [];
  if (expect.equals !== undefined) parts.push(`= ${expect.equals}`);
  if (expect.min !== undefined) parts.push(`>= ${expect.min}`);
  if (expect.max !== undefined) parts.push(`<= ${expect.max}`);
  return parts.join(' and ');
}

export function meetsExpectation(value: number, expect: IntegrityCheckConfig['expect']): boolean {
  return (
    (expect.equals === undefined || value === expect.equals) &&
    (expect.min === undefined || value >= expect.min) &&
    (expect.max === undefined || value <= expect.max)
  );
}

export function judgeIntegrity(check: IntegrityCheckConfig, value: number, durationMs: number): CheckResult {
  const ok = meetsExpectation(value, check.expect);
  const expected = describeExpectation(check.expect);
  const status: CheckStatus = ok ? 'pass' : check.severity;
  return {
    kind: 'integrity',
    name: check.name,
    status,
    value,
    expected,
    detail: ok ? `${value} (expected ${expected})` : `got ${value}, expected ${expected}`,
    durationMs,
  };
}

export function anomalyChecks(diff: SnapshotDiff): CheckResult[] {
  return diff.anomalies.map((anomaly) => ({ kind: 'anomaly', name: `${anomaly.kind}: ${anomaly.table}`, status: 'warn', detail: anomaly.message }));
}

/** Read a dot path (`data.items.0.id`) out of parsed JSON. */
export function readJsonPath(value: unknown, path: string): unknown {
  return path
    .split('.')
    .reduce<unknown>((node, key) => (node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined), value);
}
