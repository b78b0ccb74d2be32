// How a status is shown: a word, an icon and a colour class together, never colour alone.
import type { RecordStatus } from '../schemas/record.ts';

export interface StatusLook {
  label: string;
  icon: string;
  className: string;
}

const looks: Record<string, StatusLook> = {
  success: { label: 'success', icon: '✔', className: 'status-success' },
  failed: { label: 'failed', icon: '✖', className: 'status-failed' },
  'rolled-back': { label: 'rolled back', icon: '↩', className: 'status-rolled-back' },
  aborted: { label: 'aborted', icon: '⏹', className: 'status-aborted' },
  unverified: { label: 'unverified', icon: '⚠', className: 'status-warn' },
  interrupted: { label: 'interrupted', icon: '⚡', className: 'status-failed' },
  pass: { label: 'pass', icon: '✔', className: 'status-pass' },
  warn: { label: 'warn', icon: '⚠', className: 'status-warn' },
  fail: { label: 'fail', icon: '✖', className: 'status-fail' },
  ok: { label: 'ok', icon: '✔', className: 'status-ok' },
  skipped: { label: 'skipped', icon: '↷', className: 'status-aborted' },
  error: { label: 'error', icon: '✖', className: 'status-fail' },
  warning: { label: 'warning', icon: '⚠', className: 'status-warn' },
  info: { label: 'info', icon: 'ℹ', className: 'status-aborted' },
};

export const recordStatuses: RecordStatus[] = ['success', 'unverified', 'failed', 'interrupted', 'rolled-back', 'aborted'];

export function statusLook(status: string): StatusLook {
  return looks[status] ?? { label: status, icon: '•', className: '' };
}
