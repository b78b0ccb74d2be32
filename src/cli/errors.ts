// Errors a user can cause: a message, why, what to do next, and the exit code they map to.
import { redactText } from '../core/redact.ts';

/** Documented exit codes (README "Exit codes"). */
export const EXIT = {
  ok: 0,
  /** validate/verify/status found problems, or a backup failed its verification. */
  problems: 1,
  /** Bad flags, unknown command, invalid config. */
  usage: 2,
  /** Cannot reach or log in to the database, or the database is missing. */
  connection: 3,
  /** Connected, but a query was refused: permission denied, timeout, lock timeout. */
  database: 4,
  /** pg_dump / pg_restore failed, or the backup could not be written. */
  backup: 5,
  /** A run stopped before the migration command ran (record status aborted). */
  aborted: 10,
  /** The migration command failed (record status failed). */
  migrationFailed: 11,
  /** The migration succeeded but integrity or smoke checks failed. */
  checksFailed: 12,
  /** Another run holds the lock on this environment, or a stale lock needs attention. */
  locked: 13,
  /** The record is filed but was not committed or pushed. */
  notCommitted: 15,
  /** Interrupted by Ctrl-C / SIGTERM. */
  interrupted: 130,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

export interface LogbookErrorOptions {
  /** Stable machine-readable code, e.g. E_DB_AUTH. */
  code: string;
  exitCode: ExitCode;
  /** What the user should do next. */
  hint?: string | undefined;
  cause?: unknown;
}

export class LogbookError extends Error {
  readonly code: string;
  readonly exitCode: ExitCode;
  readonly hint: string | undefined;

  constructor(message: string, options: LogbookErrorOptions) {
    super(redactText(message), { cause: options.cause });
    this.name = 'LogbookError';
    this.code = options.code;
    this.exitCode = options.exitCode;
    this.hint = options.hint === undefined ? undefined : redactText(options.hint);
  }
}

export function usageError(message: string, hint?: string): LogbookError {
  return new LogbookError(message, { code: 'E_USAGE', exitCode: EXIT.usage, hint });
}
