// The CLI's side of outcomes: the exit-code table (README "Exit codes", `--help`), and the error form
// commands throw with an exit code, which is an outcome category underneath (everything below the CLI throws core's error).
import { LogbookError as CoreLogbookError, OUTCOMES, type Outcome } from '../core/errors.ts';

export { OUTCOMES, type Outcome } from '../core/errors.ts';

/** The one mapping from outcome to process exit code (DESIGN.md "Exit codes"). */
export const EXIT_CODES = {
  success: 0,
  attention: 1,
  usage: 2,
  connection: 3,
  'query-refused': 4,
  'backup-failed': 5,
  'stopped-before-change': 10,
  'migration-failed': 11,
  unverified: 12,
  locked: 13,
  'maintenance-stuck': 14,
  'not-committed': 15,
  internal: 70,
  interrupted: 130,
} as const satisfies Record<Outcome, number>;

/** Exit codes by the names code has always used. */
export const EXIT = {
  ok: EXIT_CODES.success,
  /** A read command found something needing attention. */
  problems: EXIT_CODES.attention,
  /** Bad flags, unknown command, invalid or missing config. */
  usage: EXIT_CODES.usage,
  /** Cannot reach or log in to the database, or the database is missing. */
  connection: EXIT_CODES.connection,
  /** Connected, but a query was refused: permission denied, timeout, lock timeout. */
  database: EXIT_CODES['query-refused'],
  /** pg_dump / pg_restore failed, or the backup could not be written. */
  backup: EXIT_CODES['backup-failed'],
  /** Refused or stopped before the database changed (record status aborted). */
  aborted: EXIT_CODES['stopped-before-change'],
  /** The migration command failed (record status failed or interrupted). */
  migrationFailed: EXIT_CODES['migration-failed'],
  /** The migration ran but checks failed or could not run (record status unverified). */
  checksFailed: EXIT_CODES.unverified,
  /** Another run holds the lock on this environment, or a stale lock needs attention. */
  locked: EXIT_CODES.locked,
  /** The migration ran but maintenance mode could not be left. */
  maintenance: EXIT_CODES['maintenance-stuck'],
  /** The record is filed but was not committed or pushed. */
  notCommitted: EXIT_CODES['not-committed'],
  /** A bug. */
  internal: EXIT_CODES.internal,
  /** Interrupted by Ctrl-C / SIGTERM. */
  interrupted: EXIT_CODES.interrupted,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

const outcomeByCode = new Map(Object.entries(EXIT_CODES).map(([outcome, code]) => [code as number, outcome as Outcome]));

export function exitCodeFor(outcome: Outcome): ExitCode {
  return EXIT_CODES[outcome];
}

export function outcomeFor(code: ExitCode): Outcome {
  return outcomeByCode.get(code)!;
}

/** The exit-code table as `--help` prints it, generated from the one table. */
export function renderExitCodes(): string {
  return ['Exit codes:', ...Object.entries(EXIT_CODES).map(([outcome, code]) => `  ${String(code).padStart(3)}  ${OUTCOMES[outcome as Outcome]}`)].join('\n');
}

export interface LogbookErrorOptions {
  /** Stable machine-readable code, e.g. E_DB_AUTH. */
  code: string;
  exitCode: ExitCode;
  /** What the user should do next. */
  hint?: string | undefined;
  cause?: unknown;
}

/** The exit-code form of the core error: same class for `instanceof`, its outcome decided by the code given. */
export class LogbookError extends CoreLogbookError {
  constructor(message: string, options: LogbookErrorOptions) {
    super(message, { code: options.code, outcome: outcomeFor(options.exitCode), hint: options.hint, cause: options.cause });
  }

  get exitCode(): ExitCode {
    return EXIT_CODES[this.outcome];
  }

  /** Errors core throws with an outcome are LogbookErrors too, for every `instanceof` in the CLI. */
  static override [Symbol.hasInstance](value: unknown): boolean {
    return value instanceof CoreLogbookError;
  }
}

/** Exit code of any error: its outcome's code, 70 for anything that is not a LogbookError (a bug). */
export function exitCodeOfError(error: unknown): ExitCode {
  return error instanceof CoreLogbookError ? EXIT_CODES[error.outcome] : EXIT.internal;
}

export function usageError(message: string, hint?: string): LogbookError {
  return new LogbookError(message, { code: 'E_USAGE', exitCode: EXIT.usage, hint });
}
