// What can come of a command, as categories (the CLI alone maps them to exit codes), and the one error
// type that carries a category with what failed, why, and what to do next.
import { redactText } from './redact.ts';

/** Every outcome a command can end with, in the order of the README's "Exit codes" table. */
export const OUTCOMES = {
  success: 'success',
  attention: 'a read command found something needing attention (pending or failed migrations, verify or audit findings, lint findings at the fail level)',
  usage: 'usage or config error',
  connection: 'cannot connect (unreachable, authentication, missing database)',
  'query-refused': 'query refused (permission, timeout, lock timeout)',
  'backup-failed': 'backup or restore failed (nothing kept, nothing changed)',
  'stopped-before-change':
    'refused or aborted before the database changed (pre-flight, lint gate, a failed migration already present, backup gate, rollback refusals)',
  'migration-failed': 'migration failed',
  unverified: 'migration done but checks failed, or could not be verified (post snapshot or configured checks did not run)',
  locked: 'environment locked (also when `--wait` runs out)',
  'maintenance-stuck': 'migration done but maintenance mode could not be left: the app is still in maintenance',
  'not-committed': 'record filed but not committed or not pushed (the record is safe locally; push it with `sync`)',
  internal: 'internal error (a bug)',
  interrupted: 'interrupted (resume or abort the run)',
} as const;

export type Outcome = keyof typeof OUTCOMES;

export interface LogbookErrorInit {
  /** Stable machine-readable code, e.g. E_DB_AUTH. */
  code: string;
  outcome: Outcome;
  /** What the user should do next. */
  hint?: string | undefined;
  cause?: unknown;
}

export class LogbookError extends Error {
  readonly code: string;
  readonly outcome: Outcome;
  readonly hint: string | undefined;

  constructor(message: string, init: LogbookErrorInit) {
    super(redactText(message), { cause: init.cause });
    this.name = 'LogbookError';
    this.code = init.code;
    this.outcome = init.outcome;
    this.hint = init.hint === undefined ? undefined : redactText(init.hint);
  }
}
