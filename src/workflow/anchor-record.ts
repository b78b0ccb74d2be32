// Filing a record in its chain: the position (seq, previous) comes from the ledger in the target database,
// the ledger row is committed before the record file is written, and the record built for that position
// is kept in the journal first, so a crash anywhere in between re-files the very same record. When the
// database cannot be reached, the record is filed unanchored and `logbook sync` gives it its position later.
import { readFile } from 'node:fs/promises';
import type pg from 'pg';
import { writeFileAtomically } from '../adapters/fs/atomic-write.ts';
import type { LoadedConfig } from '../adapters/fs/config-file.ts';
import { listRecordTree, newRecordFile, recordIds } from '../adapters/fs/list-records.ts';
import { writeSnapshotFiles } from '../adapters/fs/snapshot-store.ts';
import { connect } from '../adapters/pg/client.ts';
import { describePgError } from '../adapters/pg/errors.ts';
import { appendLedgerRow, findLedgerRow, ledgerConflictError, readLedgerHead } from '../adapters/pg/ledger.ts';
import { ensureLogbookSchema } from '../adapters/pg/logbook-schema.ts';
import { resolveKeyPath, signedMessage, signMessage } from '../adapters/ssh/ssh-signature.ts';
import { LogbookError } from '../core/errors.ts';
import type { Output } from '../core/output.ts';
import { compactRecordSnapshots } from '../core/record/build-record.ts';
import type { ChainPosition } from '../core/record/digest.ts';
import { renderRecordFile } from '../core/record/render-record.ts';
import { snapshotFileRefs } from '../core/record/snapshot-access.ts';
import type { RunJournal } from '../core/run/journal.ts';
import type { MigrationRecord } from '../schemas/record.ts';
import { saveJournal } from './journal-store.ts';

/** Builds (and validates) the record for an id and a position; `previous` is the digest it follows. */
export type BuildRecord = (id: string, previous: string | null, position: ChainPosition) => MigrationRecord;

export interface ChainedFiling {
  url: string;
  recordsDir: string;
  stateDir: string;
  loaded: LoadedConfig;
  out: Output;
  /** The digest of the newest record in the records folder: the chain's start when the ledger is still empty, and the link of an unanchored record. */
  localHead: () => Promise<string | null>;
}

const ATTEMPTS = 5;

/** The key that signs on this machine: LOGBOOK_SIGNING_KEY, else signing.key; none means records are filed unsigned. */
export function signingKey(loaded: LoadedConfig): string | null {
  const key = process.env.LOGBOOK_SIGNING_KEY || loaded.config.signing?.key;
  return key ? resolveKeyPath(key, loaded.baseDir) : null;
}

/** The record with its signature added, when this machine has a signing key. */
export async function signRecord(record: MigrationRecord, loaded: LoadedConfig): Promise<MigrationRecord> {
  const key = signingKey(loaded);
  if (!key) return record;
  const { signature: _old, ...integrity } = record.integrity;
  return { ...record, integrity: { ...integrity, signature: await signMessage(key, signedMessage(record.id, record.integrity.digest)) } };
}

/** A connection to the target for the ledger, or why there is none (the record is then filed unanchored). */
export async function connectLedger(url: string, doing: string): Promise<{ client: pg.Client } | { unreachable: string }> {
  try {
    const client = await connect(url, { doing, connectTimeoutMs: 5_000 });
    try {
      await ensureLogbookSchema(client);
    } catch (error) {
      await client.end().catch(() => {});
      return { unreachable: `the logbook schema could not be created: ${(error as Error).message}` };
    }
    return { client };
  } catch (error) {
    if (error instanceof LogbookError && (error.outcome === 'connection' || error.outcome === 'query-refused')) return { unreachable: error.message };
    throw error;
  }
}

/** Ids are unique across the whole records tree, whichever folder holds them. */
function nextFreeId(recordsDir: string, base: string, taken: Set<string>): string {
  const filed = recordIds(recordsDir);
  for (let n = 1; n < 1000; n++) {
    const id = n === 1 ? base : `${base}-${n}`;
    if (!taken.has(id) && !filed.has(id)) return id;
  }
  throw new LogbookError(`too many records named ${base}`, { code: 'E_RECORD_NAME', outcome: 'attention' });
}

/**
 * Filed at `YYYY/MM/<id>.mdx` by its start: the same record always goes to the same file, so a re-filing finds its first attempt.
 * The record's snapshot files first, then the record: a crash in between leaves an orphan file, never a dangling reference.
 * (Exported for the site benchmark, which files records the same way.)
 */
export async function writeRecord(recordsDir: string, record: MigrationRecord, journal: RunJournal): Promise<string> {
  const file = newRecordFile(recordsDir, record.id, record.startedAt);
  const text = renderRecordFile(record);
  const elsewhere = listRecordTree(recordsDir).records.find((r) => r.id === record.id && r.file !== file);
  // The same record written by a first attempt before dated folders (a tool upgraded between a crash and resume).
  if (elsewhere && (await readFile(elsewhere.file, 'utf8')) === text) return elsewhere.file;
  if (elsewhere) {
    throw new LogbookError(`record id ${record.id} is already filed at ${elsewhere.path}; the new record was not written`, {
      code: 'E_RECORD_EXISTS',
      outcome: 'attention',
      hint: 'ids are unique across the records folder (`logbook verify` lists duplicates); everything captured stays in the run journal',
    });
  }
  const refs = snapshotFileRefs(record);
  if (refs.length) {
    // The journal holds the full snapshots the record was built from; the same bytes come out again after a crash.
    const files = compactRecordSnapshots(journal).files;
    const missing = refs.filter(({ ref }) => !files.some((f) => f.ref.sha256 === ref.sha256));
    if (missing.length) throw new Error(`the record references snapshot(s) the run did not capture: ${missing.map((m) => m.field).join(', ')}`);
    await writeSnapshotFiles(recordsDir, files);
  }
  try {
    await writeFileAtomically(file, text, { overwrite: false });
  } catch (error) {
    // Re-filing after a crash: the file from the first attempt is the same record.
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || (await readFile(file, 'utf8')) !== text) throw error;
  }
  return file;
}

/** Take the next free position in the ledger for a record built by `build`; the row is committed on return. */
async function anchor(client: pg.ClientBase, filing: ChainedFiling, journal: RunJournal, base: string, build: BuildRecord): Promise<MigrationRecord> {
  const taken = new Set<string>();
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const id = nextFreeId(filing.recordsDir, base, taken);
    const head = await readLedgerHead(client, journal.environment);
    const previous = head ? head.digest : await filing.localHead();
    const record = await signRecord(build(id, previous, { seq: (head?.seq ?? 0) + 1 }), filing.loaded);
    journal.filing = record;
    await saveJournal(filing.stateDir, journal);
    const conflict = await appendLedgerRow(client, {
      environment: record.environment,
      seq: record.integrity.seq!,
      recordId: id,
      digest: record.integrity.digest,
      previous,
    });
    if (conflict === null) return record;
    if (conflict === 'id-taken') taken.add(id);
  }
  throw ledgerConflictError(journal.environment, ATTEMPTS);
}

/** A record kept in the journal by an attempt that crashed: still ours if the ledger holds it, or its position is free. */
async function resumeFiling(client: pg.ClientBase, record: MigrationRecord): Promise<boolean> {
  const row = await findLedgerRow(client, record.environment, record.id);
  if (row) return row.digest === record.integrity.digest;
  const conflict = await appendLedgerRow(client, {
    environment: record.environment,
    seq: record.integrity.seq!,
    recordId: record.id,
    digest: record.integrity.digest,
    previous: record.integrity.previous,
  });
  return conflict === null;
}

/**
 * File one record in its environment's chain. Returns the record and its file; `anchored` says whether it
 * has a ledger position (false: filed while the database was unreachable).
 */
export async function fileChainedRecord(
  filing: ChainedFiling,
  journal: RunJournal,
  base: string,
  build: BuildRecord,
): Promise<{ record: MigrationRecord; file: string; anchored: boolean }> {
  const doing = 'filing the record in the ledger';
  let connection = await connectLedger(filing.url, doing);
  if ('client' in connection) {
    const { client } = connection;
    try {
      const kept = journal.filing;
      const record = kept?.integrity.seq !== undefined && (await resumeFiling(client, kept)) ? kept : await anchor(client, filing, journal, base, build);
      const file = await writeRecord(filing.recordsDir, record, journal);
      return { record, file, anchored: true };
    } catch (error) {
      // The ledger refused (a broken or foreign logbook schema, a lost connection): the deploy is over, so it is
      // filed unanchored rather than not at all. A row that did commit is found again by `logbook sync`.
      if (error instanceof LogbookError || typeof (error as { code?: unknown }).code !== 'string' || (error as NodeJS.ErrnoException).code === 'EEXIST')
        throw error;
      connection = { unreachable: describePgError(error, filing.url, doing).message };
    } finally {
      await client.end().catch(() => {});
    }
  }
  const kept = journal.filing;
  const record = kept?.integrity.unanchored
    ? kept
    : await signRecord(build(nextFreeId(filing.recordsDir, base, new Set()), await filing.localHead(), { unanchored: true }), filing.loaded);
  journal.filing = record;
  await saveJournal(filing.stateDir, journal);
  const file = await writeRecord(filing.recordsDir, record, journal);
  filing.out.warn(
    `the ledger could not be used (${connection.unreachable.split('\n')[0]}): ${record.id} is filed UNANCHORED, with no position in the ${journal.environment} chain yet\n  next: run \`logbook sync --env ${journal.environment}\` once the database is reachable`,
  );
  return { record, file, anchored: false };
}
