// Pure: was every change to the database recorded? The database's migration history (from _prisma_migrations)
// against the records of that database, migration by migration: the newest record that ran a migration says
// what the database should show, and anything applied that no record ran is a deploy that bypassed the logbook.
import type { CoverageGap } from '../../schemas/audit.ts';
import type { MigrationRecord } from '../../schemas/record.ts';
import type { MigrationEntry } from '../../schemas/snapshot.ts';
import { appliedMigrationNames } from '../record/snapshot-access.ts';

export interface Coverage {
  applied: number;
  recorded: number;
  baseline: number;
  gaps: CoverageGap[];
}

/** Records in the order they were filed: ledger position where there is one, else start time. */
function filed(records: MigrationRecord[]): MigrationRecord[] {
  return [...records].sort((a, b) => (a.startedAt < b.startedAt ? -1 : a.startedAt > b.startedAt ? 1 : (a.integrity.seq ?? 0) - (b.integrity.seq ?? 0)));
}

/** What a record's status says the database should show for the migrations it ran; aborted runs say nothing. */
const expectation: Record<MigrationRecord['status'], MigrationEntry['status'] | null> = {
  success: 'applied',
  unverified: 'applied',
  failed: 'failed',
  interrupted: null,
  'rolled-back': null,
  aborted: null,
};

/**
 * What the database should show for one migration after this record, or null when the record claims nothing
 * about it. Per-migration outcomes (read back from `_prisma_migrations` by the run) win over the run's status.
 */
function expectedState(record: MigrationRecord, name: string): MigrationEntry['status'] | null {
  const outcome = record.migrationOutcomes?.find((o) => o.name === name)?.outcome;
  if (outcome) return outcome === 'not-run' ? null : outcome;
  return expectation[record.status];
}

/** The record that starts the logbook's history: its "before" state says what was applied before the logbook existed. */
export function firstFiled(records: MigrationRecord[]): MigrationRecord | undefined {
  return filed(records)[0];
}

/**
 * `baseline`: the migrations applied before the first record. A compact record keeps that list in its snapshot
 * file, so the caller reads it from there; a full (older) record carries it inline.
 */
export function computeCoverage(database: MigrationEntry[], records: MigrationRecord[], options: { baseline?: string[] } = {}): Coverage {
  const ordered = filed(records);
  const first = ordered[0];
  const baseline = new Set<string>(options.baseline ?? (first ? (appliedMigrationNames(first.pre) ?? []) : []));
  const latest = new Map<string, MigrationRecord>();
  for (const record of ordered) {
    for (const name of record.migrations) if (record.status === 'rolled-back' || expectedState(record, name) !== null) latest.set(name, record);
  }

  const gaps: CoverageGap[] = [];
  const inDatabase = new Map(database.map((m) => [m.name, m]));
  let applied = 0;
  let recorded = 0;
  for (const entry of database) {
    if (entry.status === 'pending') continue;
    const record = latest.get(entry.name);
    if (entry.status === 'applied') {
      applied += 1;
      if ((record && record.status !== 'rolled-back' && expectedState(record, entry.name) === 'applied') || (!record && baseline.has(entry.name))) {
        recorded += 1;
        continue;
      }
    }
    if (!record) {
      if (baseline.has(entry.name)) continue;
      const when = entry.finishedAt ?? entry.startedAt;
      const what = entry.status === 'applied' ? 'applied' : entry.status === 'failed' ? 'attempted (failed)' : 'applied and rolled back';
      gaps.push({
        kind: 'unrecorded',
        migration: entry.name,
        record: null,
        detail: `${entry.name} was ${what}${when ? ` at ${when}` : ''} with no record: a deploy that bypassed the logbook`,
      });
      continue;
    }
    // A rollback restores the backup, taking the migration's row away: only "applied" contradicts it.
    if (record.status === 'rolled-back' ? entry.status !== 'applied' : expectedState(record, entry.name) === entry.status) continue;
    if (expectedState(record, entry.name) === 'failed' && entry.status === 'rolled-back') continue; // a failed migration marked rolled back is the normal repair
    gaps.push({
      kind: 'state-disagrees',
      migration: entry.name,
      record: record.id,
      detail: `${record.id} says ${record.status}, the database has ${entry.name} ${entry.status}`,
    });
  }
  for (const [name, record] of latest) {
    if (record.status !== 'rolled-back' && expectedState(record, name) === 'applied' && !inDatabase.has(name)) {
      gaps.push({
        kind: 'not-in-database',
        migration: name,
        record: record.id,
        detail: `${record.id} claims ${name} was applied; the database has no trace of it`,
      });
    }
  }
  return { applied, recorded, baseline: [...baseline].filter((n) => inDatabase.get(n)?.status === 'applied' && !latest.has(n)).length, gaps };
}

/** host:port/name of a connection string (redacted or not), to tell which records describe one database. */
export function databaseKey(url: string): string | null {
  try {
    const parsed = new URL(url.replace(/:\*\*\*@/, ':x@'));
    return `${parsed.hostname.toLowerCase()}:${parsed.port || '5432'}/${decodeURIComponent(parsed.pathname.slice(1))}`;
  } catch {
    return null;
  }
}
