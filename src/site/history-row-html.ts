// One history row as HTML, for the page script that shows filtered results from the index: the same cells the
// static HistoryTable renders, every value escaped.
import { formatDuration } from '../core/format.ts';
import { formatWhen } from './dates.ts';
import type { HistoryRow } from './history.ts';
import { icons, type IconName } from './icons.ts';
import { breakableParts } from './names.ts';
import { statusLook } from './status.ts';

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const icon = (name: IconName) =>
  `<svg class="icon" data-icon="${name}" viewBox="0 0 24 24" width="1em" height="1em" aria-hidden="true" focusable="false"><path d="${icons[name]}"></path></svg>`;

const breakable = (name: string) => breakableParts(name).map(escapeHtml).join('<wbr>');

function lintCell(lint: HistoryRow['lint']): string {
  const shown = (
    [
      ['error', 'cross', 'status-fail'],
      ['warning', 'warning', 'status-warn'],
      ['info', 'info', 'status-aborted'],
    ] as const
  ).filter(([k]) => lint[k] > 0);
  if (shown.length === 0) return '<span class="muted">—</span>';
  return `<span class="lint-counts" data-lint="${lint.error}/${lint.warning}/${lint.info}">${shown.map(([k, name, cls]) => `<span class="status ${cls}">${icon(name)} ${lint[k]} ${k}${lint[k] === 1 ? '' : 's'}</span>`).join('')}</span>`;
}

export function historyRowHtml(r: HistoryRow, base: string): string {
  const look = statusLook(r.status);
  const name = r.migrations.length ? r.migrations.map(breakable).join(', ') : breakable(r.id);
  return (
    `<tr data-env="${escapeHtml(r.environment)}" data-status="${r.status}" data-year="${r.year}" data-at="${r.startedAt}" data-duration="${r.durationMs ?? -1}" data-downtime="${r.downtimeMs ?? -1}" data-lint-errors="${r.lint.error}">` +
    `<td class="nowrap"><time datetime="${r.startedAt}">${formatWhen(r.startedAt)}</time></td>` +
    `<td class="migration"><a href="${base}records/${encodeURIComponent(r.id)}/">${name}</a></td>` +
    `<td>${escapeHtml(r.environment)}</td>` +
    `<td><span class="status ${look.className}" data-status="${r.status}">${icon(look.icon)} ${escapeHtml(look.label)}</span></td>` +
    `<td class="num">${formatDuration(r.durationMs)}</td>` +
    `<td class="num">${formatDuration(r.downtimeMs)}</td>` +
    `<td>${escapeHtml(r.performer)}</td>` +
    `<td>${lintCell(r.lint)}</td>` +
    `<td class="summary">${escapeHtml(r.summary)}</td>` +
    '</tr>'
  );
}
