// Prisma's migration history read straight from `_prisma_migrations` (no Prisma engine needed), compared with the folder.
import type pg from 'pg';
import { classifyMigrations, type PrismaMigrationRow } from '../../core/migrations/classify-migrations.ts';
import type { MigrationState } from '../../schemas/snapshot.ts';
import { readMigrationsFolder } from '../fs/migrations-folder.ts';
import { withClient } from './client.ts';
import { inReadOnlyTransaction } from './read-only.ts';
import { qualifiedName } from './tables.ts';
import type { TargetInput } from './target.ts';

// Prisma puts the table in the schema of its URL (?schema=, default public); prefer the one on the search path.
const FIND_TABLE = `
  SELECT n.nspname AS schema
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
   WHERE c.relname = '_prisma_migrations' AND c.relkind IN ('r', 'p')
   ORDER BY (n.nspname = ANY (current_schemas(false))) DESC, n.nspname = 'public' DESC, n.nspname
   LIMIT 1`;

const readRows = (table: string) => `
  SELECT id, checksum, migration_name AS "migrationName", started_at AS "startedAt", finished_at AS "finishedAt",
         rolled_back_at AS "rolledBackAt", applied_steps_count AS "appliedStepsCount", logs
    FROM ${table}
   ORDER BY started_at, migration_name`;

/** The rows of `_prisma_migrations`, or null when the table does not exist (no migration has ever run). */
export async function readPrismaMigrationRows(client: pg.ClientBase): Promise<PrismaMigrationRow[] | null> {
  const found = await client.query<{ schema: string }>(FIND_TABLE);
  const schema = found.rows[0]?.schema;
  if (schema === undefined) return null;
  const { rows } = await client.query<PrismaMigrationRow>(readRows(qualifiedName({ schema, name: '_prisma_migrations' })));
  return rows;
}

/** Database history plus the folder (when given): applied, pending, failed, rolled back, edited, missing. */
export async function readMigrationState(client: pg.ClientBase, options: { migrationsDir: string | null }): Promise<MigrationState> {
  const rows = await readPrismaMigrationRows(client);
  const files = options.migrationsDir === null ? null : readMigrationsFolder(options.migrationsDir);
  return classifyMigrations(rows, files, options.migrationsDir);
}

/** The `_prisma_migrations` rows right after a migration command, in a read-only transaction; null without the table. */
export async function readMigrationRowsAfter(
  url: TargetInput,
  limits: { statementTimeoutMs: number; lockTimeoutMs: number },
): Promise<PrismaMigrationRow[] | null> {
  return withClient(url, { doing: 'reading _prisma_migrations after the migration' }, (client) =>
    inReadOnlyTransaction(client, limits, () => readPrismaMigrationRows(client)),
  );
}
