// Pure judgements made before a rollback changes anything: is this the record's own database, is a later record
// in the way, and what was written since the migration (the rows a rollback would discard).

import type { BackupTableCount } from '../../schemas/backup.ts';
import type { MigrationRecord } from '../../schemas/record.ts';
import type { Snapshot, WriteMark } from '../../schemas/snapshot.ts';
import { filingOrder } from './digest.ts';
import { postTableCounts } from './snapshot-access.ts';

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
export function targetDifferences(record: Pick<MigrationRecord, 'database'>, targetUrl: string, targetSystemIdentifier: string | null = null): string[] {
  const was = identityOf(record.database.url);
  const now = identityOf(targetUrl);
  const out: string[] = [];
  // Records filed since the ledger know their server: another server (a restored replica, a new cluster) is caught
  // even behind the same host name. Older records, or a role that may not read it, fall back to host, port and name.
  const recorded = record.database.systemIdentifier;
  if (recorded && targetSystemIdentifier && recorded !== targetSystemIdentifier)
    out.push(`the server's system identifier ${targetSystemIdentifier} is not the record's ${recorded} (another server)`);
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

export type WriteSign = 'rows' | 'max id' | 'last modified';

export interface TableWrite {
  schema: string;
  name: string;
  rowsAfterMigration: number;
  rowsBeforeRollback: number;
  /** What tells the table changed; a count alone hides updates and an insert plus a delete. */
  why?: WriteSign[];
}

/**
 * The one way to read a snapshot's write marks (largest integer id, last-modified time): absent in older records.
 * A compact record keeps them in its full snapshot file (the caller reads it), not in the MDX.
 */
export function writeMarksOf(snapshot: MigrationRecord['post'] | Snapshot | null | undefined): WriteMark[] {
  return snapshot && 'writeMarks' in snapshot ? (snapshot.writeMarks ?? []) : [];
}

/** The signs other than counts that differ between the marks after the migration and now. */
function markChanges(was: WriteMark | undefined, now: WriteMark | undefined): WriteSign[] {
  if (!was || !now) return [];
  const why: WriteSign[] = [];
  if (was.idColumn && was.idColumn === now.idColumn && (was.maxId ?? null) !== (now.maxId ?? null)) why.push('max id');
  if (was.modifiedColumn && was.modifiedColumn === now.modifiedColumn && (was.lastModified ?? null) !== (now.lastModified ?? null)) why.push('last modified');
  return why;
}

/**
 * Tables changed since the migration: the exact count differs from the record's exact post count, or (where
 * the record captured them) the largest integer id or last-modified time moved. Tables the post snapshot only
 * estimated and has no marks for cannot be judged and come back as `unknown`.
 */
export function writesSinceMigration(
  record: Pick<MigrationRecord, 'pre' | 'post'>,
  now: BackupTableCount[],
  marksNow: WriteMark[] = [],
  marksAfter: WriteMark[] = writeMarksOf(record.post),
): { changed: TableWrite[]; unknown: Array<{ schema: string; name: string }> } {
  const changed: TableWrite[] = [];
  const unknown: Array<{ schema: string; name: string }> = [];
  const key = (t: { schema: string; name: string }) => JSON.stringify([t.schema, t.name]);
  const after = new Map((postTableCounts(record) ?? []).map((t) => [key(t), t]));
  const marksAfterByKey = new Map(marksAfter.map((m) => [key(m), m]));
  const marksNowByKey = new Map(marksNow.map((m) => [key(m), m]));
  for (const table of now) {
    const was = after.get(key(table));
    const write = { schema: table.schema, name: table.name, rowsBeforeRollback: table.rows };
    if (!was) {
      changed.push({ ...write, rowsAfterMigration: 0, why: ['rows'] });
      continue;
    }
    const why: WriteSign[] = [];
    if (was.counted === 'exact' && was.rows !== table.rows) why.push('rows');
    why.push(...markChanges(marksAfterByKey.get(key(table)), marksNowByKey.get(key(table))));
    if (why.length) changed.push({ ...write, rowsAfterMigration: was.rows, why });
    else if (was.counted !== 'exact') unknown.push({ schema: table.schema, name: table.name });
  }
  return { changed, unknown };
}
