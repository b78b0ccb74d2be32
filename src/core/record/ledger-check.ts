// Pure: the records of one environment against its ledger (the rows in the target database). The ledger is the
// source of truth for the order, so a row without its record is a deleted record (the newest one too), and a
// positioned record the ledger does not hold, or holds with another digest, was forged or altered.
import type { MigrationRecord } from '../../schemas/record.ts';

export interface LedgerEntry {
  seq: number;
  recordId: string;
  digest: string;
}

export type LedgerFinding = { kind: 'deleted' | 'forged'; record: string; detail: string };

const ROLLBACK_SUFFIX = '#rollback';

export function checkAgainstLedger(environment: string, records: MigrationRecord[], ledger: LedgerEntry[]): LedgerFinding[] {
  const findings: LedgerFinding[] = [];
  const mine = records.filter((r) => r.environment === environment);
  const byId = new Map(mine.map((r) => [r.id, r]));
  const rows = new Map(ledger.map((row) => [row.recordId, row]));
  for (const row of ledger) {
    const isRollback = row.recordId.endsWith(ROLLBACK_SUFFIX);
    const id = isRollback ? row.recordId.slice(0, -ROLLBACK_SUFFIX.length) : row.recordId;
    const record = byId.get(id);
    const held = isRollback
      ? record?.integrity.rollbackEvent
      : record?.integrity.seq === undefined
        ? undefined
        : { seq: record.integrity.seq, digest: record.integrity.digest };
    const what = isRollback ? `the rollback of ${id}` : id;
    if (!record) findings.push({ kind: 'deleted', record: id, detail: `${what} (#${row.seq}) is in the ${environment} ledger but its record file is gone` });
    else if (!held)
      findings.push({ kind: 'forged', record: id, detail: `${what} (#${row.seq}) is in the ${environment} ledger but the record carries no such position` });
    else if (held.seq !== row.seq || held.digest !== row.digest) {
      findings.push({
        kind: 'forged',
        record: id,
        detail: `${what} claims #${held.seq} with digest ${held.digest.slice(0, 12)}; the ledger holds #${row.seq} with ${row.digest.slice(0, 12)}`,
      });
    }
  }
  for (const record of mine) {
    if (record.integrity.seq !== undefined && !rows.has(record.id)) {
      findings.push({
        kind: 'forged',
        record: record.id,
        detail: `${record.id} claims #${record.integrity.seq} in the ${environment} chain, but the ledger never filed it`,
      });
    }
    const event = record.integrity.rollbackEvent;
    if (event && !rows.has(`${record.id}${ROLLBACK_SUFFIX}`)) {
      findings.push({ kind: 'forged', record: record.id, detail: `the rollback of ${record.id} claims #${event.seq}, but the ledger never filed it` });
    }
  }
  return findings;
}

/** Whether `signing.requiredFrom` (a sequence number or a date) covers this record. */
export function signatureRequired(record: MigrationRecord, requiredFrom: number | string | undefined): boolean {
  if (requiredFrom === undefined) return false;
  // Unanchored records were filed after the ledger existed, so a position requirement covers them too.
  if (typeof requiredFrom === 'number') return record.integrity.seq === undefined ? record.integrity.unanchored === true : record.integrity.seq >= requiredFrom;
  return record.startedAt >= requiredFrom;
}
