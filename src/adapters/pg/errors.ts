// Turns what pg / libpq / the OS say into one line of cause and one of what to do, with a documented exit code.
import { LogbookError, type Outcome } from '../../core/errors.ts';
import { redactText, redactUrl } from '../../core/redact.ts';
import type { TargetInput } from './target.ts';

interface PgLikeError extends Error {
  code?: string;
  errno?: number;
  syscall?: string;
  hostname?: string;
}

export function describePgError(error: unknown, target: TargetInput, doing: string): LogbookError {
  if (error instanceof LogbookError) return error;
  const err = (error instanceof Error ? error : new Error(String(error))) as PgLikeError;
  const where = typeof target === 'string' ? redactUrl(target) : target.display;
  const cause = new Error(redactText(err.message));
  const make = (message: string, code: string, outcome: Outcome, hint: string) => new LogbookError(`${doing}: ${message}`, { code, outcome, hint, cause });

  switch (err.code) {
    case 'ECONNREFUSED':
      return make(
        `nothing is listening at ${where}`,
        'E_DB_UNREACHABLE',
        'connection',
        'check the host and port, and that PostgreSQL is running and accepts TCP connections',
      );
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return make(`host not found for ${where}`, 'E_DB_UNREACHABLE', 'connection', 'check the host name in the connection string and your DNS/VPN');
    case 'ETIMEDOUT':
    case 'ECONNRESET':
    case 'EHOSTUNREACH':
      return make(
        `connection to ${where} failed (${err.code})`,
        'E_DB_UNREACHABLE',
        'connection',
        'check network access (firewall, VPN, security groups) to the database',
      );
    case '28P01':
    case '28000':
      return make(
        `authentication failed for ${where}`,
        'E_DB_AUTH',
        'connection',
        'check the user and password in the env var that holds the URL (the password is never printed)',
      );
    case '3D000':
      return make(`database does not exist (${where})`, 'E_DB_MISSING', 'connection', 'check the database name at the end of the connection string');
    case '42501':
      return make(
        `permission denied: ${redactText(err.message)}`,
        'E_DB_PERMISSION',
        'query-refused',
        'connect as a role that can read the catalog and the tables (e.g. grant pg_read_all_data and pg_read_all_stats)',
      );
    case '57014':
      return make(
        'statement timed out',
        'E_DB_TIMEOUT',
        'query-refused',
        'raise capture.statementTimeoutMs in the config, or use --estimate to avoid exact counts',
      );
    case '55P03':
      return make(
        'could not get a lock in time',
        'E_DB_LOCK_TIMEOUT',
        'query-refused',
        'another session holds a conflicting lock; retry when it is gone, or raise capture.lockTimeoutMs',
      );
    case '53300':
      return make('too many connections', 'E_DB_UNREACHABLE', 'connection', 'wait for connections to free up or raise max_connections');
    default:
      if (/timeout expired|Connection terminated due to connection timeout/i.test(err.message)) {
        return make(`connection to ${where} timed out`, 'E_DB_UNREACHABLE', 'connection', 'check network access to the database');
      }
      return make(redactText(err.message), 'E_DB', 'query-refused', 'see the PostgreSQL message above');
  }
}
