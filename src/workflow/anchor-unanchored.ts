// `logbook sync`: records filed while the ledger was unreachable get their position now, oldest first, each
// ledger row committed before its record file is rewritten (only the frontmatter; people's prose is kept).

import type { LoadedConfig } from '../adapters/fs/config-file.ts';
import { readAllRecords, rewriteRecord, type StoredRecord } from '../adapters/fs/record-store.ts';
import { appendLedgerRow, findLedgerRow, ledgerConflictError, readLedgerHead } from '../adapters/pg/ledger.ts';
import { LogbookError } from '../core/errors.ts';
import type { Output } from '../core/output.ts';
import { filingOrder } from '../core/record/chain.ts';
import { positionedDigest } from '../core/record/digest.ts';
import { updateRecordSource } from '../core/record/update-record.ts';
import { type MigrationRecord, migrationRecordSchema } from '../schemas/record.ts';
import { connectLedger, signRecord } from './anchor-record.ts';

export interface SyncResult {
  /** `file`: where the record is filed (top level or a dated folder), for the commit. */
  anchored: Array<{ id: string; seq: number; file: string }>;
}

/** The newest record filed before the ledger existed: where an empty ledger's chain starts. */
function newestUnpositioned(records: MigrationRecord[]): string | null {
  return filingOrder(records.filter((r) => r.integrity.seq === undefined && !r.integrity.unanchored)).at(-1)?.integrity.digest ?? null;
}

export async function anchorUnanchored(options: {
  url: string;
  environment: string;
  recordsDir: string;
  loaded: LoadedConfig;
  out: Output;
}): Promise<SyncResult> {
  const stored = await readAllRecords(options.recordsDir, { checkBody: false });
  const mine = stored.filter((s) => s.record.environment === options.environment);
  const pending = filingOrder(mine.filter((s) => s.record.integrity.unanchored).map((s) => ({ ...s, id: s.record.id, startedAt: s.record.startedAt })));
  if (pending.length === 0) return { anchored: [] };
  const connection = await connectLedger(options.url, 'anchoring unanchored records');
  if ('unreachable' in connection) {
    throw new LogbookError(`the ledger still cannot be reached: ${connection.unreachable.split('\n')[0]}`, {
      code: 'E_DB_UNREACHABLE',
      outcome: 'connection',
      hint: 'run `logbook sync` again once the database is reachable; the records stay as they are',
    });
  }
  const { client } = connection;
  const anchored: SyncResult['anchored'] = [];
  try {
    for (const item of pending) {
      const record = await anchorOne(client, item, newestUnpositioned(mine.map((s) => s.record)), options.loaded);
      anchored.push({ id: record.id, seq: record.integrity.seq!, file: item.file });
      options.out.info(`✓ ${record.id} anchored as #${record.integrity.seq} in the ${options.environment} ledger`);
    }
  } finally {
    await client.end().catch(() => {});
  }
  return { anchored };
}

async function anchorOne(
  client: Parameters<typeof readLedgerHead>[0],
  stored: StoredRecord,
  genesis: string | null,
  loaded: LoadedConfig,
): Promise<MigrationRecord> {
  const { record } = stored;
  // A sync that stopped after the ledger row and before the file: the row says where it belongs.
  const { unanchored: _was, signature: _old, ...kept } = record.integrity;
  const existing = await findLedgerRow(client, record.environment, record.id);
  for (let attempt = 0; attempt < 5; attempt++) {
    const head = existing ? null : await readLedgerHead(client, record.environment);
    const seq = existing?.seq ?? (head?.seq ?? 0) + 1;
    const previous = existing ? existing.previous : head ? head.digest : genesis;
    const digest = positionedDigest(kept.sections, { environment: record.environment, seq, previous });
    const positioned = await signRecord(migrationRecordSchema.parse({ ...record, integrity: { ...kept, previous, seq, digest } }), loaded);
    if (existing && existing.digest !== digest)
      throw new LogbookError(`the ledger holds ${record.id} with another digest`, {
        code: 'E_LEDGER',
        outcome: 'attention',
        hint: 'run `logbook verify --env` and compare the record with the ledger',
      });
    const conflict = existing ? null : await appendLedgerRow(client, { environment: record.environment, seq, recordId: record.id, digest, previous });
    if (conflict === 'id-taken')
      throw new LogbookError(`the ledger already holds a record ${record.id}`, {
        code: 'E_LEDGER',
        outcome: 'attention',
        hint: 'another machine filed a record of the same name; rename neither, and report it',
      });
    if (conflict === null) {
      await rewriteRecord(stored.file, updateRecordSource(stored.source, positioned));
      return positioned;
    }
  }
  throw ledgerConflictError(record.environment, 5);
}
