// Sets up the demo game database: the app's first migration (through the Prisma-like deploy, so the
// history table is real) and realistic data generated in SQL.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { withClient } from '../../src/adapters/pg/client.ts';
import { deployMigrations } from './prisma-deploy.ts';

/** The demo application folder: prisma/migrations (applied at setup), pending/ (deployed one by one), seed.sql. */
export const DEMO_APP_DIR = fileURLToPath(new URL('../../scripts/demo/app/', import.meta.url));

/** `scale` 1 ≈ 120,000 rows; tests use a small fraction. */
export async function setUpGameDatabase(url: string, options: { scale?: number; migrationsDir?: string } = {}): Promise<void> {
  const result = await deployMigrations(url, options.migrationsDir ?? `${DEMO_APP_DIR}prisma/migrations`);
  if (result.failed) throw new Error(`demo schema failed: ${result.failed.error}`);
  const seed = readFileSync(`${DEMO_APP_DIR}seed.sql`, 'utf8');
  await withClient(url, { doing: 'seeding the demo database' }, async (client) => {
    await client.query(`SET demo.scale = '${options.scale ?? 1}'`);
    await client.query(seed);
  });
}
