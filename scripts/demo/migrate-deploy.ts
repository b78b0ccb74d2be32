#!/usr/bin/env node
// The demo app's migration command, standing in for `npx prisma migrate deploy`:
//   node scripts/demo/migrate-deploy.ts [MIGRATIONS_DIR]            (uses DATABASE_URL)
//   node scripts/demo/migrate-deploy.ts resolve --rolled-back NAME
import { resolve } from 'node:path';
import { deployMigrations, resolveRolledBack } from './prisma-deploy.ts';
import { redactText } from '../../src/core/redact.ts';

const url = process.env.DATABASE_URL;
if (!url) {
  console.error('Error: DATABASE_URL is not set');
  process.exit(1);
}
const args = process.argv.slice(2);
try {
  if (args[0] === 'resolve') {
    const name = args[args.indexOf('--rolled-back') + 1];
    if (!name) throw new Error('usage: migrate-deploy.ts resolve --rolled-back NAME');
    const n = await resolveRolledBack(url, name);
    console.log(n ? `Migration ${name} marked as rolled back.` : `No failed migration named ${name}.`);
  } else {
    const dir = resolve(args[0] ?? 'prisma/migrations');
    console.log(`Datasource "db": PostgreSQL database; migrations in ${dir}`);
    const result = await deployMigrations(url, dir, (line) => console.log(line));
    if (result.failed) {
      console.error(
        `Error: P3018\n\nA migration failed to apply. New migrations cannot be applied before the error is recovered from.\n\nMigration name: ${result.failed.name}\n\nDatabase error:\n${redactText(result.failed.error)}`,
      );
      process.exit(1);
    }
    console.log(result.applied.length ? `All migrations have been successfully applied (${result.applied.join(', ')}).` : 'No pending migrations to apply.');
  }
} catch (error) {
  console.error(`Error: ${redactText((error as Error).message)}`);
  process.exit(1);
}
