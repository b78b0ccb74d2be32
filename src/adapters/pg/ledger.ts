// The ledger in the target database (logbook.ledger): the head of an environment's chain, appending the
// next position, and reading it back for verify. The primary key (environment, seq) makes a second writer
// of the same position fail, whatever lock the caller holds, so two machines can never fork the chain.
import pg from 'pg';
import { LogbookError } from '../../core/errors.ts';
import { DEFAULT_LOGBOOK_SCHEMA, logbookSchemaExists } from './logbook-schema.ts';

export interface LedgerRow {
  environment: string;
  seq: number;
  recordId: string;
  digest: string;
  previous: string | null;
  filedAt: string;
}

export interface LedgerHead {
  seq: number;
  digest: string;
}

const table = (schema: string) => `${pg.escapeIdentifier(schema)}.ledger`;

interface Row {
  environment: string;
  seq: number;
  record_id: string;
  digest: string;
  previous: string | null;
  filed_at: Date;
}

const toRow = (r: Row): LedgerRow => ({
  environment: r.environment,
  seq: r.seq,
  recordId: r.record_id,
  digest: r.digest,
  previous: r.previous,
  filedAt: r.filed_at.toISOString(),
});

/** The newest position of an environment's chain, or null when nothing was filed through the ledger yet. */
export async function readLedgerHead(client: pg.ClientBase, environment: string, schema: string = DEFAULT_LOGBOOK_SCHEMA): Promise<LedgerHead | null> {
  const { rows } = await client.query<{ seq: number; digest: string }>(
    `SELECT seq, digest FROM ${table(schema)} WHERE environment = $1 ORDER BY seq DESC LIMIT 1`,
    [environment],
  );
  return rows[0] ? { seq: rows[0].seq, digest: rows[0].digest } : null;
}

/** One row of the ledger by record id (a crash between the ledger and the file re-files the same record). */
export async function findLedgerRow(
  client: pg.ClientBase,
  environment: string,
  recordId: string,
  schema: string = DEFAULT_LOGBOOK_SCHEMA,
): Promise<LedgerRow | null> {
  const { rows } = await client.query<Row>(`SELECT * FROM ${table(schema)} WHERE environment = $1 AND record_id = $2`, [environment, recordId]);
  return rows[0] ? toRow(rows[0]) : null;
}

/** Every row, oldest first (of one environment when given); empty when the schema does not exist (read-only: never created here). */
export async function readLedger(client: pg.ClientBase, environment?: string, schema: string = DEFAULT_LOGBOOK_SCHEMA): Promise<LedgerRow[]> {
  if (!(await logbookSchemaExists(client, schema))) return [];
  const { rows } = await client.query<Row>(
    `SELECT environment, seq, record_id, digest, previous, filed_at FROM ${table(schema)} WHERE $1::text IS NULL OR environment = $1 ORDER BY environment, seq`,
    [environment ?? null],
  );
  return rows.map(toRow);
}

/** What appending found when the position or the id was already taken. */
export type AppendConflict = 'position-taken' | 'id-taken';

/**
 * Append one position. Returns a conflict instead of throwing when another writer got there first, so the
 * caller can re-read the head and try the next position; the row is committed when this returns null.
 */
export async function appendLedgerRow(
  client: pg.ClientBase,
  row: Omit<LedgerRow, 'filedAt'>,
  schema: string = DEFAULT_LOGBOOK_SCHEMA,
): Promise<AppendConflict | null> {
  try {
    await client.query(`INSERT INTO ${table(schema)} (environment, seq, record_id, digest, previous) VALUES ($1, $2, $3, $4, $5)`, [
      row.environment,
      row.seq,
      row.recordId,
      row.digest,
      row.previous,
    ]);
    return null;
  } catch (error) {
    const { code, constraint } = error as { code?: string; constraint?: string };
    if (code !== '23505') throw error;
    return constraint?.endsWith('_pkey') ? 'position-taken' : 'id-taken';
  }
}

/** Put back rows a restore removed (a backup taken before they were filed), leaving every existing row as it is. */
export async function restoreLedgerRows(client: pg.ClientBase, rows: LedgerRow[], schema: string = DEFAULT_LOGBOOK_SCHEMA): Promise<number> {
  let restored = 0;
  for (const row of rows) {
    const result = await client.query(
      `INSERT INTO ${table(schema)} (environment, seq, record_id, digest, previous, filed_at) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING`,
      [row.environment, row.seq, row.recordId, row.digest, row.previous, row.filedAt],
    );
    restored += result.rowCount ?? 0;
  }
  return restored;
}

export function ledgerConflictError(environment: string, attempts: number): LogbookError {
  return new LogbookError(`could not take a position in the ${environment} ledger after ${attempts} attempts: other machines kept filing first`, {
    code: 'E_LEDGER_BUSY',
    outcome: 'locked',
    hint: 'the run is complete and kept in its journal; run `logbook resume` to file the record',
  });
}
