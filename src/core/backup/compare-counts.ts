// Compares the row counts a backup's sidecar promises with the counts found after restoring it.
import type { BackupTableCount } from '../../schemas/backup.ts';
import { displayName } from '../names.ts';

export interface CountMismatch {
  table: string;
  expected: number;
  actual: number;
}

export interface CountComparison {
  mismatches: CountMismatch[];
  /** Tables present after the restore that the backup does not hold (e.g. created by a later migration). */
  extraTables: string[];
}

// Quoted where needed, so the name shown is as unambiguous as the (schema, name) pair.
const key = displayName;

/** A table the backup holds but the restore lacks counts as a mismatch with actual -1 (missing). */
export function compareTableCounts(expected: BackupTableCount[], actual: BackupTableCount[]): CountComparison {
  const found = new Map(actual.map((t) => [key(t), t.rows]));
  const mismatches: CountMismatch[] = [];
  for (const table of expected) {
    const rows = found.get(key(table));
    if (rows !== table.rows) mismatches.push({ table: key(table), expected: table.rows, actual: rows ?? -1 });
  }
  const known = new Set(expected.map(key));
  const extraTables = actual.map(key).filter((name) => !known.has(name));
  return { mismatches, extraTables };
}

export function describeMismatch(m: CountMismatch): string {
  return m.actual < 0
    ? `${m.table}: missing after restore (backup holds ${m.expected} rows)`
    : `${m.table}: backup holds ${m.expected} rows, restore has ${m.actual}`;
}
