// takeSnapshot: one read-only capture of a database — sizes, row counts, indexes, foreign keys, extensions, migrations.
import type pg from 'pg';
import { type CountMode, fallbackNote, wantsExactCount } from '../../core/snapshot/count-policy.ts';
import type { LogbookConfig } from '../../schemas/config.ts';
import { type ColumnSnapshot, type ForeignKeySnapshot, type IndexSnapshot, type Snapshot, snapshotSchema, type TableSnapshot } from '../../schemas/snapshot.ts';
import { withClient } from './client.ts';
import { type CountOutcome, countTablesExactly } from './count-rows.ts';
import { DEFAULT_LOGBOOK_SCHEMA } from './logbook-schema.ts';
import { readMigrationState } from './prisma-migrations.ts';
import { inReadOnlyTransaction } from './read-only.ts';
import { listUserTables, tableKey } from './tables.ts';

export interface SnapshotOptions {
  mode: CountMode;
  capture: LogbookConfig['capture'];
  /** Prisma migrations folder to compare the history with; null to read the database history only. */
  migrationsDir: string | null;
  signal?: AbortSignal | undefined;
  /** Told about long steps ("counting 12 tables exactly"), for progress output. */
  onProgress?: ((message: string) => void) | undefined;
}

const META = `
  SELECT current_setting('server_version') AS "serverVersion", current_database() AS database,
         pg_database_size(current_database()) AS "databaseBytes", transaction_timestamp() AS "capturedAt",
         pg_is_in_recovery() AS "inRecovery"`;

// Sizes and planner estimates for the tables listUserTables found. A partitioned table sums its whole
// partition tree; reltuples is -1 until the first ANALYZE/VACUUM, then n_live_tup is the better guess.
const TABLE_STATS = `
  WITH wanted AS (
    SELECT c.oid, t.schema, t.name, c.relkind
      FROM unnest($1::text[], $2::text[]) AS t(schema, name)
      JOIN pg_namespace n ON n.nspname = t.schema
      JOIN pg_class c ON c.relnamespace = n.oid AND c.relname = t.name
  ), members AS (
    SELECT w.oid AS root, m.relid, m.isleaf, m.level
      FROM wanted w
      CROSS JOIN LATERAL (
        SELECT relid, isleaf, level FROM pg_partition_tree(w.oid) WHERE w.relkind = 'p'
        UNION ALL SELECT w.oid, true, 0 WHERE w.relkind <> 'p'
      ) m
  )
  SELECT w.schema, w.name,
         sum(CASE WHEN m.isleaf THEN CASE WHEN c.reltuples >= 0 THEN c.reltuples ELSE coalesce(s.n_live_tup, 0) END ELSE 0 END)::bigint AS estimate,
         sum(pg_relation_size(m.relid) + pg_relation_size(m.relid, 'fsm') + pg_relation_size(m.relid, 'vm'))::bigint AS "tableBytes",
         sum(pg_indexes_size(m.relid))::bigint AS "indexBytes",
         sum(CASE WHEN c.reltoastrelid <> 0 THEN pg_total_relation_size(c.reltoastrelid) ELSE 0 END)::bigint AS "toastBytes",
         min(greatest(s.last_analyze, s.last_autoanalyze)) FILTER (WHERE m.isleaf) AS "lastAnalyzed",
         coalesce(array_agg(pn.nspname || '.' || c.relname ORDER BY pn.nspname, c.relname) FILTER (WHERE m.level > 0), '{}') AS partitions
    FROM wanted w
    JOIN members m ON m.root = w.oid
    JOIN pg_class c ON c.oid = m.relid
    JOIN pg_namespace pn ON pn.oid = c.relnamespace
    LEFT JOIN pg_stat_all_tables s ON s.relid = m.relid
   GROUP BY w.schema, w.name`;

// Every index on a table in a non-system schema (user schemas cannot start with pg_). A partitioned
// index has no storage of its own; its size is the sum of its partitions' indexes.
const INDEXES = `
  SELECT n.nspname AS schema, t.relname AS "table", i.relname AS name, pg_get_indexdef(i.oid) AS definition,
         x.indisunique AS "unique", x.indisprimary AS "primary", x.indisvalid AS valid, x.indisready AS ready,
         CASE WHEN i.relkind = 'I'
              THEN (SELECT coalesce(sum(pg_relation_size(p.relid)), 0) FROM pg_partition_tree(i.oid) p WHERE p.isleaf)
              ELSE pg_relation_size(i.oid) END::bigint AS bytes
    FROM pg_index x
    JOIN pg_class i ON i.oid = x.indexrelid
    JOIN pg_class t ON t.oid = x.indrelid
    JOIN pg_namespace n ON n.oid = t.relnamespace
   WHERE t.relkind IN ('r', 'p') AND n.nspname !~ '^pg_' AND n.nspname <> 'information_schema' AND n.nspname <> $1
   ORDER BY 1, 2, 3`;

// conparentid <> 0 are the copies PostgreSQL makes on each partition; the parent's constraint stands for them.
const FOREIGN_KEYS = `
  SELECT n.nspname AS schema, t.relname AS "table", k.conname AS name, pg_get_constraintdef(k.oid) AS definition,
         json_build_object('schema', rn.nspname, 'name', r.relname) AS "references", k.convalidated AS validated
    FROM pg_constraint k
    JOIN pg_class t ON t.oid = k.conrelid
    JOIN pg_namespace n ON n.oid = t.relnamespace
    JOIN pg_class r ON r.oid = k.confrelid
    JOIN pg_namespace rn ON rn.oid = r.relnamespace
   WHERE k.contype = 'f' AND k.conparentid = 0 AND n.nspname !~ '^pg_' AND n.nspname <> 'information_schema' AND n.nspname <> $1
   ORDER BY 1, 2, 3`;

// Every column of the tables above, so a record can say which columns a migration added, dropped or changed.
const COLUMNS = `
  SELECT n.nspname AS schema, t.relname AS "table", a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type,
         NOT a.attnotnull AS nullable, pg_get_expr(d.adbin, d.adrelid) AS "default"
    FROM pg_attribute a
    JOIN pg_class t ON t.oid = a.attrelid
    JOIN pg_namespace n ON n.oid = t.relnamespace
    LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
   WHERE a.attnum > 0 AND NOT a.attisdropped AND t.relkind IN ('r', 'p') AND NOT t.relispartition
     AND n.nspname !~ '^pg_' AND n.nspname <> 'information_schema' AND n.nspname <> $1
   ORDER BY 1, 2, a.attnum`;

const EXTENSIONS = `SELECT extname AS name, extversion AS version FROM pg_extension ORDER BY 1`;

interface StatsRow {
  schema: string;
  name: string;
  estimate: string;
  tableBytes: string;
  indexBytes: string;
  toastBytes: string;
  lastAnalyzed: Date | null;
  partitions: string[];
}

/**
 * Lets parallel count connections see exactly this transaction's data. Not inside a savepoint: PostgreSQL
 * refuses to export from a subtransaction. A standby cannot export at all, so there the counts each take
 * their own snapshot (and say nothing false about it: capturedAt is still this transaction's).
 */
async function exportSnapshot(client: pg.ClientBase, inRecovery: boolean): Promise<string | null> {
  if (inRecovery) return null;
  const { rows } = await client.query<{ id: string }>('SELECT pg_export_snapshot() AS id');
  return rows[0]?.id ?? null;
}

export async function takeSnapshot(url: string, options: SnapshotOptions): Promise<Snapshot> {
  const started = performance.now();
  const { capture } = options;
  return withClient(url, { doing: 'taking a snapshot' }, (client) =>
    inReadOnlyTransaction(client, capture, async () => {
      options.signal?.throwIfAborted();
      const meta = (await client.query<{ serverVersion: string; database: string; databaseBytes: string; capturedAt: Date; inRecovery: boolean }>(META))
        .rows[0]!;
      const refs = await listUserTables(client);
      const stats = new Map<string, StatsRow>();
      const statRows = await client.query<StatsRow>(TABLE_STATS, [refs.map((t) => t.schema), refs.map((t) => t.name)]);
      for (const row of statRows.rows) stats.set(tableKey(row), row);

      // Exact counts run on other connections, inside this transaction's exported snapshot, while this
      // connection reads the rest of the catalog; the transaction stays open until they are done.
      const toCount = refs.filter((t) => wantsExactCount(Number(stats.get(tableKey(t))?.estimate ?? 0), options.mode, capture.exactCountThreshold));
      let counting: Promise<Map<string, CountOutcome>> = Promise.resolve(new Map());
      if (toCount.length > 0) {
        options.onProgress?.(`counting ${toCount.length} table(s) exactly, ${capture.countConcurrency} at a time`);
        const snapshotId = await exportSnapshot(client, meta.inRecovery);
        const hinted = toCount.map((t) => ({ ...t, rowsHint: Math.max(0, Number(stats.get(tableKey(t))?.estimate ?? 0)) }));
        counting = countTablesExactly(url, hinted, {
          snapshotId: snapshotId ?? undefined,
          concurrency: capture.countConcurrency,
          timeoutMs: capture.countTimeoutMs,
          lockTimeoutMs: capture.lockTimeoutMs,
          signal: options.signal,
        }).catch((error: unknown) => {
          // No spare connection for counting (max_connections, pooler limits) must not lose the snapshot.
          options.signal?.throwIfAborted();
          const reason = error instanceof Error ? error.message : String(error);
          return new Map(toCount.map((t): [string, CountOutcome] => [tableKey(t), { ok: false, reason, code: undefined }]));
        });
      }
      // Keep a rejection from surfacing as unhandled while the catalog queries below run.
      counting.catch(() => {});

      const indexes = (await client.query<IndexSnapshot & { bytes: string }>(INDEXES, [DEFAULT_LOGBOOK_SCHEMA])).rows.map((row) => ({
        ...row,
        bytes: Number(row.bytes),
      }));
      const foreignKeys = (await client.query<ForeignKeySnapshot>(FOREIGN_KEYS, [DEFAULT_LOGBOOK_SCHEMA])).rows;
      const columns = (await client.query<ColumnSnapshot>(COLUMNS, [DEFAULT_LOGBOOK_SCHEMA])).rows;
      const extensions = (await client.query<{ name: string; version: string }>(EXTENSIONS)).rows;
      const migrations = await readMigrationState(client, { migrationsDir: options.migrationsDir });
      const counts = await counting;

      const tables = refs.map((ref): TableSnapshot => {
        const row = stats.get(tableKey(ref));
        const estimate = Math.max(0, Number(row?.estimate ?? 0));
        const outcome = counts.get(tableKey(ref));
        const base = {
          schema: ref.schema,
          name: ref.name,
          kind: ref.kind,
          lastAnalyzed: row?.lastAnalyzed ? row.lastAnalyzed.toISOString() : null,
          tableBytes: Number(row?.tableBytes ?? 0),
          indexBytes: Number(row?.indexBytes ?? 0),
          toastBytes: Number(row?.toastBytes ?? 0),
          partitions: row?.partitions ?? [],
        };
        if (outcome?.ok) return { ...base, rows: outcome.rows, counted: 'exact' };
        return { ...base, rows: estimate, counted: 'estimate', ...(outcome ? { countNote: fallbackNote(outcome.reason) } : {}) };
      });

      return snapshotSchema.parse({
        capturedAt: meta.capturedAt.toISOString(),
        durationMs: Math.round(performance.now() - started),
        serverVersion: meta.serverVersion,
        database: meta.database,
        databaseBytes: Number(meta.databaseBytes),
        tables,
        indexes,
        foreignKeys,
        columns,
        extensions,
        migrations,
      });
    }),
  );
}
