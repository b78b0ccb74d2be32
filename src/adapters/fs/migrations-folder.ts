// Reads a Prisma migrations folder: one `<name>/migration.sql` per migration, with the checksums Prisma compares.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { LogbookError } from '../../core/errors.ts';
import type { MigrationFile } from '../../core/migrations/classify-migrations.ts';

export const MIGRATION_SQL = 'migration.sql';

const sha256 = (text: string | Buffer) => createHash('sha256').update(text).digest('hex');

/** Whether `dir` exists and is a folder (callers decide whether a missing default folder matters). */
export function migrationsFolderExists(dir: string): boolean {
  return existsSync(dir) && statSync(dir).isDirectory();
}

/** Sub-folders holding a migration.sql, sorted by name (oldest first); other entries (migration_lock.toml) are ignored. */
export function readMigrationsFolder(dir: string): Array<MigrationFile & { sqlPath: string }> {
  if (!migrationsFolderExists(dir)) {
    throw new LogbookError(`migrations folder not found: ${dir}`, {
      code: 'E_NO_MIGRATIONS_DIR',
      outcome: 'usage',
      hint: 'pass --migrations DIR (the folder holding <name>/migration.sql), or set appRepo/migrationsDir for the environment',
    });
  }
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(dir, entry.name, MIGRATION_SQL)))
    .map((entry) => entry.name)
    .sort()
    .map((name) => {
      const sqlPath = join(dir, name, MIGRATION_SQL);
      const raw = readFileSync(sqlPath);
      const text = raw.toString('utf8');
      // Prisma ignores line-ending differences (a checkout on Windows must not look "edited").
      const lf = text.replace(/\r\n/g, '\n');
      const checksums = [...new Set([sha256(raw), sha256(lf), sha256(lf.replace(/\n/g, '\r\n'))])];
      return { name, checksums, sqlPath };
    });
}
