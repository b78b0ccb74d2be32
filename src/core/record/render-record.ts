// Pure: a record becomes an MDX file — the schema as YAML frontmatter, a generated summary, and
// the sections people fill in later. Everything from outside is escaped (see markdown-escape.ts).
import { Document, isMap, isSeq, stringify } from 'yaml';
import type { MigrationRecord } from '../../schemas/record.ts';
import { summariseDiff } from '../diff/diff-snapshots.ts';
import { formatBytes, formatCount, formatDuration } from '../format.ts';
import { codeSpan, escapeInline } from '../markdown-escape.ts';
import { displayName } from '../names.ts';
import { backupCounts, isCompactSnapshot, recordDiff, rollbackTableCounts } from './snapshot-access.ts';

export const HUMAN_SECTIONS = ['Issues encountered', 'Resolution', 'Notes'] as const;

export const STATUS_LABEL: Record<MigrationRecord['status'], string> = {
  success: '✅ success',
  failed: '❌ failed',
  'rolled-back': '↩️ rolled back',
  aborted: '⏹ aborted',
  unverified: '⚠️ unverified',
  interrupted: '⚡ interrupted',
};

/** Compact records write each table count on one line (`- [name, rows, counted, bytes]`), so 500 tables stay a few KB. */
function compactYaml(record: MigrationRecord): string {
  const doc = new Document(record, { aliasDuplicateObjects: false });
  const flow = (node: unknown) => {
    if (isSeq(node) || isMap(node)) node.flow = true;
  };
  // Per-table tuples one to a line; the names of tables gone (`tablesGone`) one schema to a line.
  const flowTables = (groups: unknown) => {
    if (isSeq(groups)) for (const group of groups.items) if (isMap(group)) (group.get('tables') as { items?: unknown[] } | undefined)?.items?.forEach(flow);
  };
  const flowNames = (groups: unknown) => {
    if (isSeq(groups)) for (const group of groups.items) if (isMap(group)) flow(group.get('tables'));
  };
  for (const path of [['pre'], ['post'], ['rollback', 'after']]) {
    const snapshot = doc.getIn(path);
    if (!isMap(snapshot)) continue;
    flow(snapshot.get('full'));
    flow(snapshot.get('totals'));
    flowTables(snapshot.get('tables'));
    flowNames(snapshot.get('tablesGone'));
  }
  flowTables(doc.getIn(['backup', 'tables']));
  const checklist = doc.get('checklist');
  if (isSeq(checklist)) for (const step of checklist.items) if (isSeq(step)) flow(step);
  flowNames(doc.getIn(['backup', 'tablesGone']));
  return doc.toString({ lineWidth: 0, flowCollectionPadding: false, indentSeq: false });
}

export function renderFrontmatter(record: MigrationRecord): string {
  // lineWidth 0: never fold long strings, so SQL and output stay byte-for-byte. Records with full snapshots keep the layout they were filed with.
  const yaml = isCompactSnapshot(record.pre) ? compactYaml(record) : stringify(record, { lineWidth: 0, aliasDuplicateObjects: false });
  return `---\n${yaml}---\n`;
}

export function renderSummary(record: MigrationRecord, options: { maxRowLossShare?: number } = {}): string {
  const lines: string[] = [];
  const who = record.performedBy.email ? `${record.performedBy.name} (${record.performedBy.email})` : record.performedBy.name;
  lines.push(`**Status:** ${STATUS_LABEL[record.status]} · **Environment:** ${codeSpan(record.environment)} · **Performed by:** ${escapeInline(who)}`, '');
  lines.push(
    `- **Migrations:** ${record.migrations.length ? record.migrations.map(codeSpan).join(', ') : record.migrationOutcomes?.length ? 'none applied' : 'none pending'}`,
  );
  for (const failed of (record.migrationOutcomes ?? []).filter((m) => m.outcome === 'failed')) {
    const why = failed.logs?.trim().split('\n').filter(Boolean).at(-1);
    lines.push(`- **Failed:** ${codeSpan(failed.name)}${why ? ` — ${escapeInline(why)}` : ''}`);
  }
  const notRun = (record.migrationOutcomes ?? []).filter((m) => m.outcome === 'not-run');
  if (notRun.length) lines.push(`- **Not run:** ${notRun.map((m) => codeSpan(m.name)).join(', ')}`);
  if (record.execution) {
    lines.push(
      `- **Migration command:** ${codeSpan(record.execution.command.join(' '))} exited ${record.execution.exitCode ?? record.execution.signal ?? 'unknown'} after ${formatDuration(record.execution.durationMs)}` +
        (record.execution.downtimeMs === null ? '' : `; downtime ${formatDuration(record.execution.downtimeMs)}`),
    );
  }
  const diff = recordDiff(record, { maxRowLossShare: options.maxRowLossShare ?? 0.1 });
  if (diff) {
    lines.push(`- **Row counts:** ${escapeInline(summariseDiff(diff))}`);
    if (diff.indexesAdded.length) lines.push(`- **Indexes added:** ${diff.indexesAdded.map((i) => codeSpan(i.name)).join(', ')}`);
    if (diff.indexesDropped.length) lines.push(`- **Indexes dropped:** ${diff.indexesDropped.map((i) => codeSpan(i.name)).join(', ')}`);
  }
  lines.push(`- **Database size before:** ${formatBytes(record.pre.databaseBytes)}${record.post ? `, after: ${formatBytes(record.post.databaseBytes)}` : ''}`);
  if (record.backup) {
    const verified = record.backup.verification ? `${record.backup.verification.level} ${record.backup.verification.ok ? 'passed' : 'FAILED'}` : 'not verified';
    lines.push(
      `- **Backup:** ${codeSpan(record.backup.path)} (${formatBytes(record.backup.bytes)}, sha256 ${codeSpan(record.backup.sha256.slice(0, 16))}…, verification ${verified})`,
    );
  }
  const count = (status: string) => record.checks.filter((c) => c.status === status).length;
  if (record.checks.length) lines.push(`- **Checks:** ${count('pass')} passed, ${count('warn')} warnings, ${count('fail')} failed`);
  if (record.lint.length) lines.push(`- **Lint:** ${formatCount(record.lint.length)} finding(s) on the migration SQL`);
  if (record.outcome.abortReason)
    lines.push(`- **${record.status === 'interrupted' ? 'Closed' : 'Aborted'} because:** ${escapeInline(record.outcome.abortReason)}`);
  for (const warning of record.outcome.warnings ?? []) lines.push(`- **Warning:** ${escapeInline(warning)}`);
  return lines.join('\n');
}

export function renderRecordFile(record: MigrationRecord): string {
  const human = HUMAN_SECTIONS.map((title) => `## ${title}\n\n_Nothing recorded yet._\n`).join('\n');
  return `${renderFrontmatter(record)}\n# ${escapeInline(record.title)}\n\n${renderSummary(record)}\n\n${human}`;
}

/** The section appended to a record's body when it is rolled back. */
export function renderRollbackSection(record: MigrationRecord): string {
  const rollback = record.rollback;
  if (!rollback) return '';
  const atBackup = new Map(backupCounts(record).map((t) => [displayName(t), t.rows]));
  const counts = (rollbackTableCounts(record) ?? []).map((t) => ({ key: displayName(t), expected: atBackup.get(displayName(t)), rows: t.rows }));
  // A compact record lists only the tables that do not match: 500 matching rows say less than one line.
  const compact = isCompactSnapshot(rollback.after);
  const listed = compact ? counts.filter((t) => t.expected !== t.rows) : counts;
  const rows = listed.map((t) => `| ${codeSpan(t.key)} | ${formatCount(t.expected)} | ${formatCount(t.rows)} | ${t.expected === t.rows ? 'yes' : '**no**'} |`);
  return [
    '## Rollback',
    '',
    `Restored from ${codeSpan(rollback.backupPath)} by ${escapeInline(rollback.performedBy.name)} in ${formatDuration(rollback.durationMs)}; counts ${rollback.matchesBackup ? 'match' : '**do not match**'} the backup.`,
    '',
    ...(rollback.retainedDatabase
      ? [
          `Restored beside the live database and swapped in; the replaced database is kept as ${codeSpan(rollback.retainedDatabase)}${rollback.targetMoved ? ' (the target had moved: `--target-moved`)' : ''}.`,
          '',
        ]
      : []),
    ...(rollback.dataLossAccepted?.length
      ? [
          `Rows written since the migration were discarded (\`--accept-data-loss\`): ${rollback.dataLossAccepted.map((w) => `${codeSpan(`${w.schema}.${w.name}`)} ${formatCount(w.rowsAfterMigration)} → ${formatCount(w.rowsBeforeRollback)}`).join(', ')}.`,
          '',
        ]
      : []),
    ...(rollback.checks?.length
      ? [
          `Checks after the swap: ${rollback.checks.filter((c) => c.status === 'pass').length} passed, ${rollback.checks.filter((c) => c.status === 'warn').length} warnings, ${rollback.checks.filter((c) => c.status === 'fail').length} failed.`,
          '',
        ]
      : []),
    ...(compact ? [`${formatCount(counts.length - listed.length)} of ${formatCount(counts.length)} table(s) match their count at backup.`, ''] : []),
    ...(rows.length ? ['| Table | Rows at backup | Rows after restore | Match |', '| --- | ---: | ---: | --- |', ...rows, ''] : []),
  ].join('\n');
}
