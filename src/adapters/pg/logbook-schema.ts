// The tool's own schema in the target database (DESIGN.md, "The tool's schema in the target database"):
// the environment's durable lock row and the ledger that orders every environment's records.
import pg from 'pg';
import { withTransaction } from './transaction.ts';

const { escapeIdentifier, escapeLiteral } = pg;

/** Default name of the schema; configurable because a team may already own a schema called `logbook`. */
export const DEFAULT_LOGBOOK_SCHEMA = 'logbook';

/** Bumped when the tables below change shape; stored in the schema's comment so old tools can refuse. */
export const LOGBOOK_SCHEMA_VERSION = 1;

/**
 * The DDL, idempotent. `lock` holds at most one row (the primary key is a constant): the run that owns the
 * database, who runs it and where, what it awaits, and its redacted journal, so `finish`, `resume` and
 * `abort` work from any machine. `ledger` is the single source of truth for the order of each
 * environment's chain: sequence numbers are assigned here, under the lock, and never reused.
 */
export function logbookSchemaDdl(schema: string = DEFAULT_LOGBOOK_SCHEMA): string[] {
  const s = escapeIdentifier(schema);
  return [
    `CREATE SCHEMA IF NOT EXISTS ${s}`,
    `CREATE TABLE IF NOT EXISTS ${s}.lock (
       singleton   boolean PRIMARY KEY DEFAULT true CHECK (singleton),
       run_id      text NOT NULL,
       environment text NOT NULL,
       host        text NOT NULL,
       pid         integer,
       since       timestamptz NOT NULL DEFAULT now(),
       awaits      text CHECK (awaits IN ('finish', 'resume')),
       journal     jsonb
     )`,
    `CREATE TABLE IF NOT EXISTS ${s}.ledger (
       environment text NOT NULL,
       seq         integer NOT NULL CHECK (seq > 0),
       record_id   text NOT NULL,
       digest      text NOT NULL CHECK (digest ~ '^[0-9a-f]{64}$'),
       previous    text CHECK (previous ~ '^[0-9a-f]{64}$'),
       filed_at    timestamptz NOT NULL DEFAULT now(),
       PRIMARY KEY (environment, seq),
       UNIQUE (environment, record_id)
     )`,
    `COMMENT ON SCHEMA ${s} IS ${escapeLiteral(`Migration Logbook v${LOGBOOK_SCHEMA_VERSION}: the environment lock and the ledger of filed records. Managed by the logbook CLI; see its README.`)}`,
  ];
}

/** True when the schema exists: read-only commands use it if present and never create it. */
export async function logbookSchemaExists(client: pg.ClientBase, schema: string = DEFAULT_LOGBOOK_SCHEMA): Promise<boolean> {
  const { rows } = await client.query<{ present: boolean }>('SELECT to_regnamespace($1) IS NOT NULL AS present', [escapeIdentifier(schema)]);
  return rows[0]?.present === true;
}

/** Create the schema on first use by a write command. Callers hold the environment's advisory lock, so two first runs cannot race. */
export async function ensureLogbookSchema(client: pg.ClientBase, schema: string = DEFAULT_LOGBOOK_SCHEMA): Promise<void> {
  if (await logbookSchemaExists(client, schema)) return;
  await withTransaction(client, async () => {
    for (const statement of logbookSchemaDdl(schema)) await client.query(statement);
  });
}
