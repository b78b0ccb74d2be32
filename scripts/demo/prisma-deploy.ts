// What `prisma migrate deploy` does to the database, without Prisma's engine (which cannot be
// downloaded here): apply each pending migration.sql with psql in one transaction and keep
// `_prisma_migrations` exactly as Prisma does. The demo's migration command; tests use it too.
import { spawnSync } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { withClient } from '../../src/adapters/pg/client.ts';
import { parseDatabaseTarget } from '../../src/adapters/pg/target.ts';

/** Prisma's own DDL for its history table. */
export const PRISMA_MIGRATIONS_DDL = `
  CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id" VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum" VARCHAR(64) NOT NULL,
    "finished_at" TIMESTAMPTZ,
    "migration_name" VARCHAR(255) NOT NULL,
    "logs" TEXT,
    "rolled_back_at" TIMESTAMPTZ,
    "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count" INTEGER NOT NULL DEFAULT 0
  )`;

export interface DeployResult {
  applied: string[];
  /** The migration that failed, with psql's error, when one did. */
  failed: { name: string; error: string } | null;
}

function migrationNames(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(dir, d.name, 'migration.sql')))
    .map((d) => d.name)
    .sort();
}

export async function deployMigrations(url: string, migrationsDir: string, log: (line: string) => void = () => {}): Promise<DeployResult> {
  return withClient(url, { doing: 'deploying migrations' }, async (client) => {
    await client.query(PRISMA_MIGRATIONS_DDL);
    const { rows } = await client.query<{ migration_name: string; finished_at: Date | null; rolled_back_at: Date | null }>(
      'SELECT migration_name, finished_at, rolled_back_at FROM "_prisma_migrations"',
    );
    const failed = rows.filter((r) => !r.finished_at && !r.rolled_back_at);
    if (failed.length) {
      // Prisma's P3009: nothing more is applied until the failed one is resolved.
      return {
        applied: [],
        failed: {
          name: failed[0]!.migration_name,
          error: `migrate found failed migrations in the target database (${failed.map((f) => f.migration_name).join(', ')}); resolve them first`,
        },
      };
    }
    const done = new Set(rows.filter((r) => r.finished_at && !r.rolled_back_at).map((r) => r.migration_name));
    const pending = migrationNames(migrationsDir).filter((name) => !done.has(name));
    log(`${pending.length} migration(s) found to apply`);
    const target = parseDatabaseTarget(url).libpq;
    const applied: string[] = [];
    for (const name of pending) {
      const file = join(migrationsDir, name, 'migration.sql');
      const checksum = createHash('sha256').update(readFileSync(file)).digest('hex');
      const id = randomUUID();
      await client.query('INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at) VALUES ($1, $2, $3, now())', [id, checksum, name]);
      log(`Applying migration \`${name}\``);
      const psql = spawnSync('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '--single-transaction', '-f', file, '--dbname', target.dbname], {
        env: target.env,
        encoding: 'utf8',
      });
      if (psql.status !== 0) {
        const error = (psql.stderr || psql.error?.message || `psql exited ${psql.status}`).trim();
        await client.query('UPDATE "_prisma_migrations" SET logs = $2 WHERE id = $1', [id, error]);
        return { applied, failed: { name, error } };
      }
      await client.query('UPDATE "_prisma_migrations" SET finished_at = now(), applied_steps_count = 1 WHERE id = $1', [id]);
      applied.push(name);
    }
    return { applied, failed: null };
  });
}

/** `prisma migrate resolve --rolled-back NAME`: mark a failed migration as rolled back. */
export async function resolveRolledBack(url: string, name: string): Promise<number> {
  return withClient(url, { doing: 'resolving a failed migration' }, async (client) => {
    const result = await client.query(
      'UPDATE "_prisma_migrations" SET rolled_back_at = now() WHERE migration_name = $1 AND finished_at IS NULL AND rolled_back_at IS NULL',
      [name],
    );
    return result.rowCount ?? 0;
  });
}
