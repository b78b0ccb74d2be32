// What a read-only capture of a database holds: the "pre" and "post" state of a record.
import { z } from 'zod';
import { timestampSchema } from './common.ts';

/** How a table's row count was obtained. */
export const countMethodSchema = z.enum(['exact', 'estimate']).describe('How a row count was obtained: exact is count(*), estimate is the planner statistics.');

export const tableSnapshotSchema = z
  .object({
    /** Schema the table lives in. */
    schema: z.string().describe('Schema the table lives in.'),
    /** Table name. */
    name: z.string().describe('Table name.'),
    /** A plain table or the parent of a partitioned table (counted once, at the parent). */
    kind: z.enum(['table', 'partitioned']).describe('A plain table or the parent of a partitioned table.'),
    /** Row count (exact or estimated, see `counted`). */
    rows: z.number().int().nonnegative().describe('Row count (exact or estimated, see counted).'),
    counted: countMethodSchema,
    /** Why an exact count fell back to the estimate, when it did. */
    countNote: z.string().optional().describe('Why an exact count fell back to the estimate, when it did.'),
    /** Last (auto)analyze, which dates an estimate. */
    lastAnalyzed: timestampSchema.nullable().describe('Last (auto)analyze time, which dates an estimate.'),
    tableBytes: z.number().int().nonnegative().describe('Heap size in bytes (all partitions for a partitioned table).'),
    indexBytes: z.number().int().nonnegative().describe('Size of all its indexes in bytes.'),
    toastBytes: z.number().int().nonnegative().describe('TOAST size in bytes.'),
    /** Partitions of a partitioned table, as schema.name. */
    partitions: z.array(z.string()).default([]).describe('Partitions of a partitioned table, as schema.name.'),
  })
  .strict();

export const indexSnapshotSchema = z
  .object({
    schema: z.string().describe('Schema of the index.'),
    table: z.string().describe('Table the index belongs to.'),
    name: z.string().describe('Index name.'),
    definition: z.string().describe('CREATE INDEX statement as pg_get_indexdef prints it.'),
    unique: z.boolean().describe('Whether the index enforces uniqueness.'),
    primary: z.boolean().describe('Whether the index backs the primary key.'),
    valid: z.boolean().describe('False while a CREATE INDEX CONCURRENTLY is unfinished or failed.'),
    ready: z.boolean().describe('Whether the index accepts inserts.'),
    bytes: z.number().int().nonnegative().describe('Index size in bytes.'),
  })
  .strict();

export const foreignKeySnapshotSchema = z
  .object({
    schema: z.string().describe('Schema of the referencing table.'),
    table: z.string().describe('Referencing table.'),
    name: z.string().describe('Constraint name.'),
    definition: z.string().describe('Constraint definition as pg_get_constraintdef prints it.'),
    /** The referenced table; records filed before the pair existed carry the joined `schema.name` string. */
    references: z
      .union([z.object({ schema: z.string(), name: z.string() }).strict(), z.string()])
      .describe('Referenced table as a (schema, name) pair; older records carry the joined schema.name string.'),
    validated: z.boolean().describe('False for a NOT VALID foreign key whose existing rows were never checked.'),
  })
  .strict();

export const columnSnapshotSchema = z
  .object({
    schema: z.string().describe('Schema of the table.'),
    table: z.string().describe('Table the column belongs to.'),
    name: z.string().describe('Column name.'),
    type: z.string().describe('Type as format_type prints it, e.g. character varying(40).'),
    nullable: z.boolean().describe('Whether the column accepts NULL.'),
    default: z.string().nullable().describe('Default expression as pg_get_expr prints it; null when none.'),
  })
  .strict();

export const extensionSnapshotSchema = z
  .object({
    name: z.string().describe('Extension name.'),
    version: z.string().describe('Installed version.'),
  })
  .strict();

export const migrationStatusSchema = z
  .enum(['applied', 'pending', 'failed', 'rolled-back'])
  .describe('Where a migration stands: applied, pending (in the folder, never run), failed, or rolled back.');

export const migrationEntrySchema = z
  .object({
    name: z.string().describe('Migration folder name, e.g. 20250101000000_add_players.'),
    status: migrationStatusSchema,
    /** The migration.sql on disk no longer matches the checksum recorded when it was applied. */
    edited: z.boolean().describe('The migration.sql on disk differs from the checksum recorded when it was applied.'),
    /** Recorded in the database but absent from the migrations folder. */
    missingFromFolder: z.boolean().describe('Recorded in the database but absent from the migrations folder.'),
    startedAt: timestampSchema.nullable().describe('When the migration started, from _prisma_migrations.'),
    finishedAt: timestampSchema.nullable().describe('When the migration finished, from _prisma_migrations.'),
    appliedStepsCount: z.number().int().nullable().describe('applied_steps_count from _prisma_migrations.'),
  })
  .strict();

export const migrationStateSchema = z
  .object({
    /** Where the history was read from. */
    source: z.literal('prisma').describe('Where the history was read from.'),
    /** False when the database has no _prisma_migrations table yet. */
    hasHistory: z.boolean().describe('False when the database has no _prisma_migrations table yet.'),
    /** The migrations folder compared against, when one was given. */
    folder: z.string().nullable().describe('The migrations folder compared against, when one was given.'),
    migrations: z.array(migrationEntrySchema).describe('Every migration known to the database or the folder, oldest first.'),
  })
  .strict();

export const snapshotSchema = z
  .object({
    capturedAt: timestampSchema.describe('ISO time the read-only transaction started.'),
    durationMs: z.number().nonnegative().describe('How long the capture took.'),
    serverVersion: z.string().describe('PostgreSQL server version.'),
    database: z.string().describe('Database name.'),
    databaseBytes: z.number().int().nonnegative().describe('pg_database_size of the database.'),
    tables: z.array(tableSnapshotSchema).describe('Every user table in every non-system schema.'),
    indexes: z.array(indexSnapshotSchema).describe('Every index on those tables.'),
    foreignKeys: z.array(foreignKeySnapshotSchema).describe('Every foreign key, NOT VALID ones marked.'),
    columns: z.array(columnSnapshotSchema).optional().describe('Every column of those tables (captured since compact records; absent in older ones).'),
    extensions: z.array(extensionSnapshotSchema).describe('Installed extensions.'),
    migrations: migrationStateSchema,
  })
  .strict();

export type ColumnSnapshot = z.infer<typeof columnSnapshotSchema>;
export type ExtensionSnapshot = z.infer<typeof extensionSnapshotSchema>;
export type CountMethod = z.infer<typeof countMethodSchema>;
export type TableSnapshot = z.infer<typeof tableSnapshotSchema>;
export type IndexSnapshot = z.infer<typeof indexSnapshotSchema>;
export type ForeignKeySnapshot = z.infer<typeof foreignKeySnapshotSchema>;
export type MigrationEntry = z.infer<typeof migrationEntrySchema>;
export type MigrationState = z.infer<typeof migrationStateSchema>;
export type Snapshot = z.infer<typeof snapshotSchema>;
