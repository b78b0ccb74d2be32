// Lint for CI: GitHub workflow annotations, and Markdown for a pull-request comment or a job summary (pure).
import type { LintFinding, StatementLock } from '../../schemas/findings.ts';
import { codeSpan, escapeInline } from '../markdown-escape.ts';
import { countBySeverity, describeLock } from './render-findings.ts';

/** Workflow-command data escaping, as GitHub's runner (actions/toolkit `escapeData`) does it. */
export function escapeAnnotationData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Workflow-command property escaping: the data rules plus `:` and `,`, which separate properties. */
export function escapeAnnotationProperty(text: string): string {
  return escapeAnnotationData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

const LEVEL = { error: 'error', warning: 'warning', info: 'notice' } as const;

/**
 * `::error file=…,line=…,title=…::message`, one per finding. `pathOf` gives the file relative to the
 * repository the workflow checked out, so GitHub places the annotation on the right line of the diff.
 */
export function renderGithubAnnotations(findings: LintFinding[], pathOf: (finding: LintFinding) => string): string {
  return findings
    .map((f) => {
      const title = `${f.rule}${f.table ? ` on ${f.table}` : ''}${f.accepted ? ' (accepted)' : ''}`;
      const body = [
        f.message,
        f.escalated,
        f.safeAlternative ? `Safe alternative: ${f.safeAlternative}` : undefined,
        f.accepted ? `Accepted: ${f.accepted.reason}` : undefined,
      ]
        .filter(Boolean)
        .join('\n');
      // An accepted finding no longer fails anything: it is shown as a notice.
      const level = f.accepted ? 'notice' : LEVEL[f.severity];
      return `::${level} file=${escapeAnnotationProperty(pathOf(f))},line=${f.line},title=${escapeAnnotationProperty(title)}::${escapeAnnotationData(body)}`;
    })
    .join('\n');
}

const cell = (text: string) => escapeInline(text).replace(/\|/g, '\\|');

/** A pull-request comment: counts, one table row per finding, and the locks each statement takes. */
export function renderLintMarkdown(findings: LintFinding[], linted: string[], locks: StatementLock[]): string {
  const lines = ['### Migration lint', '', `${linted.length} migration(s) linted: ${countBySeverity(findings)}`, ''];
  if (findings.length) {
    lines.push('| severity | rule | where | finding | safe alternative |', '| --- | --- | --- | --- | --- |');
    for (const f of findings) {
      const severity = `${f.severity}${f.accepted ? ' (accepted)' : ''}`;
      const finding = [cell(f.message), f.escalated ? `**Escalated:** ${cell(f.escalated)}` : '', f.accepted ? `**Accepted:** ${cell(f.accepted.reason)}` : '']
        .filter(Boolean)
        .join('<br>');
      lines.push(
        `| ${severity} | ${codeSpan(f.rule)} | ${codeSpan(`${f.file}:${f.line}`)} | ${finding} | ${f.safeAlternative ? cell(f.safeAlternative) : ''} |`,
      );
    }
    lines.push('');
  }
  const locking = locks.filter((l) => l.locks.length);
  if (locking.length) {
    lines.push('#### Locks', '', '| where | statement | locks |', '| --- | --- | --- |');
    for (const l of locking)
      lines.push(`| ${codeSpan(`${l.file}:${l.line}`)} | ${cell(l.kind)} | ${l.locks.map((lock) => cell(describeLock(lock))).join('<br>')} |`);
    lines.push('');
  }
  return lines.join('\n');
}
