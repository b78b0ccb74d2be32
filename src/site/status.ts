// How a status is shown: a word, an icon and a colour class together, never colour alone.
import type { RecordStatus } from '../schemas/record.ts';
import type { IconName } from './icons.ts';

export interface StatusLook {
  label: string;
  icon: IconName;
  className: string;
}

const looks: Record<string, StatusLook> = {
  success: { label: 'success', icon: 'check', className: 'status-success' },
  failed: { label: 'failed', icon: 'cross', className: 'status-failed' },
  'rolled-back': { label: 'rolled back', icon: 'undo', className: 'status-rolled-back' },
  aborted: { label: 'aborted', icon: 'stop', className: 'status-aborted' },
  unverified: { label: 'unverified', icon: 'warning', className: 'status-warn' },
  interrupted: { label: 'interrupted', icon: 'cross', className: 'status-failed' },
  pass: { label: 'pass', icon: 'check', className: 'status-pass' },
  warn: { label: 'warn', icon: 'warning', className: 'status-warn' },
  fail: { label: 'fail', icon: 'cross', className: 'status-fail' },
  ok: { label: 'ok', icon: 'check', className: 'status-ok' },
  skipped: { label: 'skipped', icon: 'skip', className: 'status-aborted' },
  error: { label: 'error', icon: 'cross', className: 'status-fail' },
  warning: { label: 'warning', icon: 'warning', className: 'status-warn' },
  info: { label: 'info', icon: 'info', className: 'status-aborted' },
};

export const recordStatuses: RecordStatus[] = ['success', 'unverified', 'failed', 'interrupted', 'rolled-back', 'aborted'];

export function statusLook(status: string): StatusLook {
  return looks[status] ?? { label: status, icon: 'dot', className: '' };
}
