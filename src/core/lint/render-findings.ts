// Lint findings as a person reads them: grouped by migration, rule and severity first, the statement quoted (pure).
import type { LintFinding } from '../../schemas/findings.ts';

const oneLine = (sql: string, max = 160) => {
  const flat = sql.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
};

export function renderFindings(findings: LintFinding[], linted: string[]): string {
  const lines: string[] = [];
  for (const migration of linted) {
    const own = findings.filter((f) => f.migration === migration);
    lines.push(`${migration}: ${own.length === 0 ? 'no findings' : `${own.length} finding(s)`}`);
    for (const f of own) {
      lines.push(`  ${f.file}:${f.line}  ${f.severity.toUpperCase()}  ${f.rule}${f.table ? `  (${f.table})` : ''}`);
      lines.push(`    ${f.message}`);
      if (f.escalated) lines.push(`    escalated: ${f.escalated}`);
      if (f.help) lines.push(`    fix: ${f.help}`);
      lines.push(`    > ${oneLine(f.statement)}`);
    }
  }
  const count = (severity: LintFinding['severity']) => findings.filter((f) => f.severity === severity).length;
  lines.push('');
  lines.push(`${linted.length} migration(s) linted: ${count('error')} error(s), ${count('warning')} warning(s), ${count('info')} info`);
  return lines.join('\n');
}
