// The compact form of a snapshot that records filed since #17 carry: counts, totals and the migration summary
// people and rollback read, with the full snapshot (every index, foreign key, column and migration row) in a
// content-addressed JSON file beside the records, referenced by its sha256 inside the record's digest.
import { z } from 'zod';
import { backupMetaSchema } from './backup.ts';
import { sha256Schema, timestampSchema } from './common.ts';
import {
  columnSnapshotSchema,
  countMethodSchema,
  extensionSnapshotSchema,
  foreignKeySnapshotSchema,
  migrationEntrySchema,
  snapshotSchema,
} from './snapshot.ts';

/**
 * One table's count: `[name, rows, counted]`, and for an estimate what dates it: `[name, rows, 'estimate', last
 * (auto)analyze, why the exact count fell back]`. A tuple keeps 500 tables readable in a few KB. Records filed before
 * #17's slimming carry the table's size fourth instead (`[name, rows, counted, bytes]`: heap, indexes and TOAST).
 */
export const compactTableCountSchema = z
  .tuple([
    z.string(),
    z.number().int().nonnegative(),
    countMethodSchema,
    z.union([z.number().int().nonnegative(), timestampSchema.nullable()]).optional(),
    z.string().optional(),
  ])
  .describe(
    '[table name, rows, how counted (exact | estimate)]; an estimate adds its last analyze time (null: never) and why the exact count fell back; older records have bytes of heap + indexes + TOAST fourth',
  );

export const compactSchemaTablesSchema = z
  .object({
    schema: z.string().describe('Schema the tables live in.'),
    tables: z.array(compactTableCountSchema).describe('Its tables as [name, rows, counted] ([name, rows, counted, bytes] in older records), sorted by name.'),
  })
  .strict();

/** Marks counts stored as differences from the record's pre snapshot: the full list is derived on read, never stored twice. */
export const countsFromSchema = z.literal('pre').describe("The base the per-table counts are differences from: the record's pre snapshot.");

/** Tables the base has and this one does not, grouped by schema as names (sorted). */
export const tablesGoneSchema = z.array(
  z
    .object({
      schema: z.string().describe('Schema the tables lived in.'),
      tables: z.array(z.string()).describe('Names of the tables gone, sorted.'),
    })
    .strict(),
);

export const snapshotFileRefSchema = z
  .object({
    sha256: sha256Schema.describe(
      'sha256 of the file, which is also its name: _snapshots/<first 2 hex>/<sha256>.snapshot-root.json (layout parts) or .full-snapshot.json.',
    ),
    bytes: z.number().int().nonnegative().describe('Size of the file in bytes.'),
    layout: z
      .literal('parts')
      .optional()
      .describe('parts: the file is the root of a tree of content-addressed parts (src/schemas/snapshot-parts.ts); absent: one whole snapshot file.'),
  })
  .strict();

export const compactMigrationStateSchema = z
  .object({
    source: z.literal('prisma').describe('Where the history was read from.'),
    hasHistory: z.boolean().describe('False when the database has no _prisma_migrations table yet.'),
    folder: z.string().nullable().describe('The migrations folder compared against, when one was given.'),
    applied: z.number().int().nonnegative().describe('How many migrations were applied.'),
    lastApplied: z.string().nullable().describe('The newest applied migration, by name.'),
    exceptions: z
      .array(migrationEntrySchema)
      .describe('Every migration that is not simply applied: pending, failed, rolled back, edited since it was applied, or missing from the folder.'),
  })
  .strict();

export const compactSnapshotSchema = z
  .object({
    full: snapshotFileRefSchema.describe('The full snapshot this summarises, stored beside the records.'),
    capturedAt: timestampSchema.describe('ISO time the read-only transaction started.'),
    durationMs: z.number().nonnegative().describe('How long the capture took.'),
    serverVersion: z.string().describe('PostgreSQL server version.'),
    database: z.string().describe('Database name.'),
    databaseBytes: z.number().int().nonnegative().describe('pg_database_size of the database.'),
    totals: z
      .object({
        tables: z.number().int().nonnegative(),
        rows: z.number().int().nonnegative(),
        indexes: z.number().int().nonnegative(),
        indexBytes: z.number().int().nonnegative(),
        foreignKeys: z.number().int().nonnegative(),
      })
      .strict()
      .describe('Counts over the whole snapshot.'),
    countsFrom: countsFromSchema
      .optional()
      .describe("When set, `tables` holds only the tables whose counts differ from the record's pre snapshot or are new since it; the rest are pre's."),
    tables: z.array(compactSchemaTablesSchema).describe('Per-table counts, grouped by schema (only the differences from pre when `countsFrom` is set).'),
    tablesGone: tablesGoneSchema.optional().describe('With `countsFrom`: the tables pre had and this snapshot does not, grouped by schema.'),
    extensions: z.array(extensionSnapshotSchema).describe('Installed extensions.'),
    migrations: compactMigrationStateSchema,
  })
  .strict()
  .refine((s) => s.tablesGone === undefined || s.countsFrom !== undefined, {
    path: ['tablesGone'],
    message: 'tablesGone names tables missing since pre, so it needs countsFrom: pre',
  });

/** The backup as a compact record carries it: the sidecar's facts with its per-table counts grouped by schema as `[name, rows]`. */
export const compactBackupSchema = backupMetaSchema
  .omit({ tables: true })
  .extend({
    countsFrom: countsFromSchema
      .optional()
      .describe("When set, `tables` holds only the tables whose exact dump count differs from the pre snapshot's rows or that pre lacks; the rest are pre's."),
    tables: z
      .array(
        z
          .object({
            schema: z.string().describe('Schema the tables live in.'),
            tables: z.array(z.tuple([z.string(), z.number().int().nonnegative()])).describe('[table name, exact rows in the dump], sorted by name.'),
          })
          .strict(),
      )
      .describe('Tables and exact row counts as of the dump, grouped by schema (only the differences from pre when `countsFrom` is set).'),
    tablesGone: tablesGoneSchema.optional().describe('With `countsFrom`: tables the pre snapshot has that the dump does not, grouped by schema.'),
  })
  .refine((b) => b.tablesGone === undefined || b.countsFrom !== undefined, {
    path: ['tablesGone'],
    message: 'tablesGone names tables missing since pre, so it needs countsFrom: pre',
  });

/** A record's backup: compact (records filed now) or as the sidecar holds it (records filed before). */
export const recordBackupSchema = z.union([compactBackupSchema, backupMetaSchema]);

/** A record's snapshot: the compact form (records filed now) or the full one (records filed before). */
export const recordSnapshotSchema = z.union([compactSnapshotSchema, snapshotSchema]);

const indexDefinitionSchema = z.object({ schema: z.string(), table: z.string(), name: z.string(), definition: z.string(), valid: z.boolean() }).strict();
const columnShapeSchema = z.object({ type: z.string(), nullable: z.boolean(), default: z.string().nullable() }).strict();

/** What the migration changed in the schema, stored once (the row-count diff is derived from the counts instead). */
export const schemaChangesSchema = z
  .object({
    indexes: z
      .object({
        added: z.array(indexDefinitionSchema),
        dropped: z.array(indexDefinitionSchema),
        changed: z.array(
          z.object({ schema: z.string(), table: z.string(), name: z.string(), before: indexDefinitionSchema, after: indexDefinitionSchema }).strict(),
        ),
      })
      .strict(),
    foreignKeys: z.object({ added: z.array(foreignKeySnapshotSchema), dropped: z.array(foreignKeySnapshotSchema) }).strict(),
    columns: z
      .object({
        added: z.array(columnSnapshotSchema),
        dropped: z.array(columnSnapshotSchema),
        changed: z.array(z.object({ schema: z.string(), table: z.string(), name: z.string(), before: columnShapeSchema, after: columnShapeSchema }).strict()),
      })
      .strict(),
    extensions: z
      .object({
        added: z.array(extensionSnapshotSchema),
        dropped: z.array(extensionSnapshotSchema),
        changed: z.array(z.object({ name: z.string(), before: z.string(), after: z.string() }).strict()),
      })
      .strict(),
    migrationsApplied: z.array(z.string()).describe('Migrations applied between pre and post.'),
  })
  .strict();

export type CompactBackup = z.infer<typeof compactBackupSchema>;
export type RecordBackup = z.infer<typeof recordBackupSchema>;
export type CompactSnapshot = z.infer<typeof compactSnapshotSchema>;
export type RecordSnapshot = z.infer<typeof recordSnapshotSchema>;
export type TablesGone = z.infer<typeof tablesGoneSchema>;
export type SnapshotFileRef = z.infer<typeof snapshotFileRefSchema>;
export type SchemaChanges = z.infer<typeof schemaChangesSchema>;
