// A rollback is an event in its environment's chain: the ledger gets its own row (record id `<id>#rollback`)
// after whatever was filed since, and the record keeps that position beside its filed one. The restore
// itself may wind the ledger back (the backup predates rows filed after it), so the rows read before the
// restore are put back first: the ledger only ever grows.
import { withClient } from '../adapters/pg/client.ts';
import { appendLedgerRow, ledgerConflictError, readLedger, readLedgerHead, restoreLedgerRows, type LedgerRow } from '../adapters/pg/ledger.ts';
import { ensureLogbookSchema } from '../adapters/pg/logbook-schema.ts';
import type { Output } from '../core/output.ts';
import { integrityWithRollback, rollbackEventDigest } from '../core/record/digest.ts';
import type { MigrationRecord, RecordIntegrity } from '../schemas/record.ts';

/** The ledger as it is before a restore (empty when the tool's schema does not exist yet). */
export function readLedgerBeforeRestore(url: string): Promise<LedgerRow[]> {
  return withClient(url, { doing: 'reading the ledger before the restore' }, (client) => readLedger(client));
}

/** The ledger id of a record's rollback event. */
export const rollbackEventId = (recordId: string) => `${recordId}#rollback`;

/**
 * The integrity block of a rolled-back record: the filed digest, position and signature kept, the rollback
 * digest added and, for a record with a ledger position, the rollback's own position.
 */
export async function rollbackIntegrity(
  url: string,
  record: MigrationRecord,
  facts: Omit<MigrationRecord, 'integrity'>,
  ledgerBefore: LedgerRow[],
  out: Output,
): Promise<RecordIntegrity> {
  const integrity = integrityWithRollback(record.integrity, facts);
  if (record.integrity.seq === undefined) return integrity;
  return withClient(url, { doing: 'appending the rollback to the ledger' }, async (client) => {
    await ensureLogbookSchema(client);
    const putBack = await restoreLedgerRows(client, ledgerBefore);
    if (putBack) out.info(`  put back ${putBack} ledger row(s) the restored backup predates`);
    for (let attempt = 0; attempt < 5; attempt++) {
      const head = await readLedgerHead(client, record.environment);
      const seq = (head?.seq ?? 0) + 1;
      const previous = head?.digest ?? null;
      const digest = rollbackEventDigest({ environment: record.environment, record: record.id, rollback: integrity.rollback!, seq, previous });
      const conflict = await appendLedgerRow(client, { environment: record.environment, seq, recordId: rollbackEventId(record.id), digest, previous });
      if (conflict === null) return integrityWithRollback(record.integrity, facts, { seq, previous, digest });
      if (conflict === 'id-taken') throw new Error(`the ledger already holds a rollback of ${record.id}`);
    }
    throw ledgerConflictError(record.environment, 5);
  });
}
