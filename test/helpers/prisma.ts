// Crafts what Prisma leaves behind — a `_prisma_migrations` table and a `prisma/migrations` folder — without Prisma.
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { PRISMA_MIGRATIONS_DDL } from '../../scripts/demo/prisma-deploy.ts';
import { sql } from './postgres.ts';

export const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** A temporary migrations folder holding `<name>/migration.sql` for each entry, removed after the test. */
export function makeMigrationsFolder(t: Pick<TestContext, 'after'>, migrations: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'logbook-migrations-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const dir = join(root, 'prisma', 'migrations');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'migration_lock.toml'), 'provider = "postgresql"\n');
  for (const [name, body] of Object.entries(migrations)) {
    mkdirSync(join(dir, name));
    writeFileSync(join(dir, name, 'migration.sql'), body);
  }
  return dir;
}

export interface HistoryRow {
  name: string;
  checksum: string;
  finished?: boolean;
  rolledBack?: boolean;
}

/** Creates `_prisma_migrations` and inserts one row per attempt, in order (started a minute apart). */
export async function writePrismaHistory(url: string, rows: HistoryRow[]): Promise<void> {
  await sql(url, PRISMA_MIGRATIONS_DDL);
  for (const [i, row] of rows.entries()) {
    await sql(
      url,
      `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, finished_at, rolled_back_at, applied_steps_count)
       VALUES (gen_random_uuid()::text, $1, $2, now() - make_interval(mins => $3), CASE WHEN $4 THEN now() - make_interval(mins => $3) + interval '1 second' END,
               CASE WHEN $5 THEN now() END, CASE WHEN $4 THEN 1 ELSE 0 END)`,
      [row.checksum, row.name, 100 - i, row.finished ?? true, row.rolledBack ?? false],
    );
  }
}
