// The files a full snapshot is stored in beside the records (records filed since #17's second step): a tree of
// content-addressed parts, so what did not change between two captures is stored once. A root per capture names
// the catalog (the schema's structure, one part per table, in 16 buckets) and the migration history (chunks of
// rows, listed by history parts). Each part is canonical JSON named by its sha256, so the root's hash, which the record's digest covers,
// covers every byte below it. Counts, which change with every capture, are in the record itself; sizes are kept only as the
// record's totals (database, all indexes), not per table or index.
import { z } from 'zod';
import { sha256Schema } from './common.ts';
import { columnSnapshotSchema, extensionSnapshotSchema, foreignKeySnapshotSchema, indexSnapshotSchema, migrationEntrySchema } from './snapshot.ts';

/** What a part holds, which also names its file (`<sha256>.snapshot-<kind>.json`; the root's is `snapshot-root.json`). */
export const snapshotPartKinds = ['snapshot', 'catalog', 'tables', 'table', 'history', 'migrations'] as const;
export type SnapshotPartKind = (typeof snapshotPartKinds)[number];

const indexShapeSchema = indexSnapshotSchema.omit({ schema: true, table: true, bytes: true });
const foreignKeyShapeSchema = foreignKeySnapshotSchema.omit({ schema: true, table: true });
const columnShapeSchema = columnSnapshotSchema.omit({ schema: true, table: true });

/** One table's structure: what changes only when a migration changes it. */
export const tablePartSchema = z
  .object({
    part: z.literal('table'),
    schema: z.string(),
    name: z.string(),
    kind: z.enum(['table', 'partitioned']),
    partitions: z.array(z.string()),
    columns: z.array(columnShapeSchema),
    indexes: z.array(indexShapeSchema),
    foreignKeys: z.array(foreignKeyShapeSchema),
    /** The columns whose largest value the capture read as this table's write marks (its root holds their fingerprints). */
    marks: z.object({ id: z.string().optional(), modified: z.string().optional() }).strict().optional(),
  })
  .strict();

/** A bucket of tables, chosen by a hash of (schema, name): a migration that changes one table rewrites one bucket. */
export const tablesPartSchema = z
  .object({
    part: z.literal('tables'),
    tables: z.array(z.tuple([z.string(), z.string(), sha256Schema]).describe('[schema, table, sha256 of its table part]')),
  })
  .strict();

export const catalogPartSchema = z
  .object({
    part: z.literal('catalog'),
    extensions: z.array(extensionSnapshotSchema),
    /** False when the capture read no columns (a journal written before columns were captured). */
    columnsRead: z.boolean(),
    buckets: z.array(sha256Schema),
    /** Indexes, foreign keys and columns whose table the capture did not list (kept rather than lost). */
    loose: z
      .object({
        indexes: z.array(indexSnapshotSchema.omit({ bytes: true })),
        foreignKeys: z.array(foreignKeySnapshotSchema),
        columns: z.array(columnSnapshotSchema),
      })
      .strict()
      .optional(),
  })
  .strict();

/** One row of the history as a tuple: a chunk of history is read by the tool, and keys on every row would double it. */
export const migrationRowSchema = z
  .tuple([
    migrationEntrySchema.shape.name,
    migrationEntrySchema.shape.status,
    migrationEntrySchema.shape.edited,
    migrationEntrySchema.shape.missingFromFolder,
    migrationEntrySchema.shape.startedAt,
    migrationEntrySchema.shape.finishedAt,
    migrationEntrySchema.shape.appliedStepsCount,
  ])
  .describe('[name, status, edited, missing from folder, started at, finished at, applied steps]');

export const migrationsPartSchema = z.object({ part: z.literal('migrations'), migrations: z.array(migrationRowSchema) }).strict();

/** A run of consecutive chunks of the migration history, oldest first. */
export const historyPartSchema = z.object({ part: z.literal('history'), chunks: z.array(sha256Schema) }).strict();

/** The root of one capture's tree: what the record's `full` reference names. */
export const snapshotRootSchema = z
  .object({
    part: z.literal('snapshot'),
    serverVersion: z.string(),
    database: z.string(),
    catalog: sha256Schema,
    migrations: z.object({ source: z.literal('prisma'), hasHistory: z.boolean(), folder: z.string().nullable(), history: z.array(sha256Schema) }).strict(),
    /**
     * Fingerprints of the write marks (the largest id, the latest last-modified time), 8 base64url characters each,
     * in table order, for the columns each table part names: rollback only asks whether a mark moved, and values
     * would make every capture's root tens of KB at 300 tables.
     */
    writeMarks: z
      .string()
      .regex(/^[A-Za-z0-9_-]*$/)
      .optional(),
  })
  .strict();

export type TablePart = z.infer<typeof tablePartSchema>;
export type TablesPart = z.infer<typeof tablesPartSchema>;
export type CatalogPart = z.infer<typeof catalogPartSchema>;
export type MigrationsPart = z.infer<typeof migrationsPartSchema>;
export type HistoryPart = z.infer<typeof historyPartSchema>;
export type SnapshotRoot = z.infer<typeof snapshotRootSchema>;

export const snapshotPartSchemas = {
  snapshot: snapshotRootSchema,
  catalog: catalogPartSchema,
  tables: tablesPartSchema,
  table: tablePartSchema,
  history: historyPartSchema,
  migrations: migrationsPartSchema,
} as const;
