// Pure judgements made before a rollback changes anything: is this the record's own database, is a later record
// in the way, and what was written since the migration (the rows a rollback would discard).

import type { BackupTableCount } from '../../schemas/backup.ts';
import type { MigrationRecord } from '../../schemas/record.ts';
import { filingOrder } from './digest.ts';
import { tableCounts } from './snapshot-access.ts';

export interface DatabaseIdentity {
  host: string;
  port: string;
  database: string;
}

/** host, port and database name of a connection URL (a redacted one works too). */
export function identityOf(url: string): DatabaseIdentity {
  const parsed = new URL(url);
  const host = decodeURIComponent(parsed.hostname || parsed.searchParams.get('host') || 'localhost').toLowerCase();
  return {
    host: host === '127.0.0.1' || host === '::1' || host === '[::1]' ? 'localhost' : host,
    port: parsed.port || '5432',
    database: decodeURIComponent(parsed.pathname.slice(1)),
  };
}

/** Differences between the record's database and the target, in words; empty when they are the same. */
export function targetDifferences(record: Pick<MigrationRecord, 'database'>, targetUrl: string): string[] {
  const was = identityOf(record.database.url);
  const now = identityOf(targetUrl);
  const out: string[] = [];
  if (record.database.name !== now.database) out.push(`database ${JSON.stringify(now.database)} is not the record's ${JSON.stringify(record.database.name)}`);
  if (was.host !== now.host) out.push(`host ${now.host} is not the record's ${was.host}`);
  if (was.port !== now.port) out.push(`port ${now.port} is not the record's ${was.port}`);
  return out;
}

/** Records of the same environment filed after this one: rolling this one back would silently undo them. */
export function laterRecords(record: MigrationRecord, all: MigrationRecord[]): MigrationRecord[] {
  const ordered = filingOrder(all.filter((r) => r.environment === record.environment));
  const at = ordered.findIndex((r) => r.id === record.id);
  return at < 0 ? [] : ordered.slice(at + 1).filter((r) => r.status !== 'aborted' && r.status !== 'rolled-back');
}

export interface TableWrite {
  schema: string;
  name: string;
  rowsAfterMigration: number;
  rowsBeforeRollback: number;
}

/**
 * Tables whose exact count now differs from the record's exact post count. Tables the post snapshot only
 * estimated cannot be judged and come back as `unknown`.
 */
export function writesSinceMigration(
  post: MigrationRecord['post'],
  now: BackupTableCount[],
): { changed: TableWrite[]; unknown: Array<{ schema: string; name: string }> } {
  const changed: TableWrite[] = [];
  const unknown: Array<{ schema: string; name: string }> = [];
  const after = new Map((post ? tableCounts(post) : []).map((t) => [JSON.stringify([t.schema, t.name]), t]));
  for (const table of now) {
    const was = after.get(JSON.stringify([table.schema, table.name]));
    if (!was) changed.push({ schema: table.schema, name: table.name, rowsAfterMigration: 0, rowsBeforeRollback: table.rows });
    else if (was.counted !== 'exact') unknown.push({ schema: table.schema, name: table.name });
    else if (was.rows !== table.rows) changed.push({ schema: table.schema, name: table.name, rowsAfterMigration: was.rows, rowsBeforeRollback: table.rows });
  }
  return { changed, unknown };
}
