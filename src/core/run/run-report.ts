// Pure: what an unattended run reports — the one JSON object `--json` prints, and the Markdown a CI job
// summary (GITHUB_STEP_SUMMARY) gets: outcome, migrations, row-count changes, lint, backup, checks, the record.

import type { MigrationRecord } from '../../schemas/record.ts';
import { renderLintMarkdown } from '../lint/render-ci.ts';
import { recordDiff } from '../record/snapshot-access.ts';

export interface RunReport {
  command: string;
  outcome: string;
  exitCode: number;
  runId: string | null;
  environment: string | null;
  record: { id: string; path: string; status: string } | null;
  migrations: string[];
  backup: { path: string; sha256: string; bytes: number; copiedTo: string | null } | null;
  error: { code: string; message: string; hint: string | null } | null;
}

export interface ReportInput {
  command: string;
  outcome: string;
  exitCode: number;
  runId?: string | null | undefined;
  environment?: string | null | undefined;
  migrations?: string[] | undefined;
  record?: MigrationRecord | null | undefined;
  recordPath?: string | null | undefined;
  error?: { code: string; message: string; hint?: string | undefined } | null | undefined;
}

export function buildRunReport(input: ReportInput): RunReport {
  const record = input.record ?? null;
  const backup = record?.backup ?? null;
  return {
    command: input.command,
    outcome: input.outcome,
    exitCode: input.exitCode,
    runId: input.runId ?? null,
    environment: record?.environment ?? input.environment ?? null,
    record: record && input.recordPath ? { id: record.id, path: input.recordPath, status: record.status } : null,
    migrations: record?.migrations ?? input.migrations ?? [],
    backup: backup ? { path: backup.path, sha256: backup.sha256, bytes: backup.bytes, copiedTo: backup.copiedTo ?? null } : null,
    error: input.error ? { code: input.error.code, message: input.error.message, hint: input.error.hint ?? null } : null,
  };
}

/** Table cells: no pipes or newlines from captured text may break the table. */
const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');

const ICON: Record<string, string> = { pass: '✅', warn: '⚠️', fail: '❌' };

/** The job summary's Markdown for one command; `recordUrl` links the record where CI can show it. */
export function renderStepSummary(report: RunReport, record: MigrationRecord | null, options: { recordUrl?: string | null | undefined } = {}): string {
  const lines: string[] = [];
  const where = report.environment ? ` on ${report.environment}` : '';
  lines.push(`## Migration Logbook: \`${report.command}\`${where} — ${report.outcome} (exit ${report.exitCode})`, '');
  if (report.error) lines.push(`> ${cell(report.error.message)}${report.error.hint ? `  \n> next: ${cell(report.error.hint)}` : ''}`, '');
  if (report.record) {
    const link = options.recordUrl ? `[${report.record.id}](${options.recordUrl})` : `\`${report.record.path}\``;
    lines.push(`**Record:** ${link} — status **${report.record.status}**`, '');
  }
  lines.push(`**Migrations:** ${report.migrations.length ? report.migrations.map((m) => `\`${cell(m)}\``).join(', ') : 'none'}`, '');
  const diff = record ? recordDiff(record) : null;
  if (diff) {
    const changed = diff.tables.filter((t) => t.change !== 'unchanged');
    lines.push('### Row counts', '');
    if (changed.length) {
      lines.push('| table | before | after | change |', '| --- | ---: | ---: | ---: |');
      for (const t of changed)
        lines.push(
          `| ${cell(t.table)} | ${t.before ?? '—'} | ${t.after ?? '—'} | ${t.delta === null ? t.change : `${t.delta > 0 ? '+' : ''}${t.delta}`}${t.estimated ? ' (estimate)' : ''} |`,
        );
    } else lines.push('No table changed its row count.');
    lines.push('');
  }
  if (record) lines.push(renderLintMarkdown(record.lint, record.migrations, record.locks ?? []), '');
  if (report.backup) {
    lines.push('### Backup', '');
    lines.push(`- archive: \`${cell(report.backup.path)}\` (${report.backup.bytes} bytes, sha256 \`${report.backup.sha256}\`)`);
    const verification = record?.backup?.verification;
    if (verification) lines.push(`- verified (${verification.level}): ${verification.ok ? 'ok' : '**failed**'} — ${cell(verification.detail)}`);
    lines.push(`- durable copy: ${report.backup.copiedTo ? `\`${cell(report.backup.copiedTo)}\`` : '**none** (the archive is on the runner only)'}`, '');
  }
  if (record?.checks.length) {
    lines.push('### Checks', '', '| | check | detail |', '| --- | --- | --- |');
    for (const c of record.checks) lines.push(`| ${ICON[c.status] ?? c.status} | ${cell(`${c.kind}: ${c.name}`)} | ${cell(c.detail)} |`);
    lines.push('');
  }
  return `${lines.join('\n')}\n`;
}
