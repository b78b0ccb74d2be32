// Lint findings and the lock report as a person reads them in a terminal: by migration, severity first (pure).
import type { LintAcceptance, LintFinding, StatementLock, TableLock } from '../../schemas/findings.ts';
import { formatBytes, formatCount, formatDuration } from '../format.ts';
import { displayName, quoteIdentifier } from '../names.ts';
import { unusedAcceptances } from './gate.ts';

const oneLine = (sql: string, max = 160) => {
  const flat = sql.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
};

/** `schema.table`, the schema left out when unknown; names are shown as they are, quoted only when they need it. */
export function tableName(lock: Pick<TableLock, 'schema' | 'table'>): string {
  return lock.schema ? displayName({ schema: lock.schema, name: lock.table }) : quoteIdentifier(lock.table);
}

/** One line per locked table: mode, size, what happens to it and for about how long. */
export function describeLock(lock: TableLock): string {
  const size = lock.created ? 'created in this batch' : lock.rows === null ? 'size unknown' : `${formatCount(lock.rows)} rows, ${formatBytes(lock.bytes)}`;
  const effect =
    lock.effect === 'none'
      ? ''
      : `, ${lock.effect === 'rewrite' ? 'rewrites' : 'scans'} it${lock.estimatedMs !== null ? ` (~${formatDuration(lock.estimatedMs)})` : ''}`;
  return `${lock.mode} on ${tableName(lock)} (${size})${effect}`;
}

export function countBySeverity(findings: LintFinding[]): string {
  const count = (severity: LintFinding['severity']) => findings.filter((f) => f.severity === severity).length;
  const accepted = findings.filter((f) => f.accepted).length;
  return `${count('error')} error(s), ${count('warning')} warning(s), ${count('info')} info${accepted ? `; ${accepted} accepted` : ''}`;
}

export function renderFindings(findings: LintFinding[], linted: string[], locks: StatementLock[] = [], acceptances: LintAcceptance[] = []): string {
  const lines: string[] = [];
  for (const migration of linted) {
    const own = findings.filter((f) => f.migration === migration);
    lines.push(`${migration}: ${own.length === 0 ? 'no findings' : `${own.length} finding(s)`}`);
    for (const f of own) {
      lines.push(
        `  ${f.file}:${f.line}  ${f.severity.toUpperCase()}  ${f.rule}${f.alsoRules?.length ? ` (+${f.alsoRules.join(', ')})` : ''}${f.table ? `  (${f.table})` : ''}${f.accepted ? '  ACCEPTED' : ''}`,
      );
      lines.push(`    ${f.message}`);
      if (f.escalated) lines.push(`    escalated: ${f.escalated}`);
      if (f.safeAlternative) lines.push(`    safe alternative: ${f.safeAlternative}`);
      else if (f.help) lines.push(`    fix: ${f.help}`);
      if (f.accepted) lines.push(`    accepted (${f.accepted.source}): ${f.accepted.reason}`);
      lines.push(`    > ${oneLine(f.statement)}`);
    }
    const own_locks = locks.filter((l) => l.migration === migration && l.locks.length > 0);
    if (own_locks.length) {
      lines.push('  locks:');
      for (const statement of own_locks) {
        lines.push(`    ${statement.file}:${statement.line}  ${statement.kind}`);
        for (const lock of statement.locks) lines.push(`      ${describeLock(lock)}`);
        if (statement.note) lines.push(`      note: ${statement.note}`);
      }
    }
  }
  for (const a of unusedAcceptances(findings, acceptances)) lines.push(`note: the acceptance of ${a.rule} for ${a.migration} (${a.source}) matches no finding`);
  lines.push('');
  lines.push(`${linted.length} migration(s) linted: ${countBySeverity(findings)}`);
  return lines.join('\n');
}
