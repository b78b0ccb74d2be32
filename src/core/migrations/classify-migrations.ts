// Where each Prisma migration stands, from the _prisma_migrations rows and the migrations folder (pure: no I/O).
import type { MigrationEntry, MigrationState } from '../../schemas/snapshot.ts';

/** One row of `_prisma_migrations`, timestamps as the driver returns them. */
export interface PrismaMigrationRow {
  id: string;
  checksum: string;
  migrationName: string;
  startedAt: Date | string | null;
  finishedAt: Date | string | null;
  rolledBackAt: Date | string | null;
  appliedStepsCount: number | null;
  logs: string | null;
}

/** One `<name>/migration.sql` of the migrations folder. */
export interface MigrationFile {
  name: string;
  /** sha256 of the file as it is and with its line endings normalised: Prisma accepts either. */
  checksums: string[];
}

const iso = (value: Date | string | null): string | null => (value === null ? null : new Date(value).toISOString());

/**
 * Prisma writes one row per attempt; a migration re-applied after a rollback has several.
 * The live state is decided by the rows not rolled back: any finished one means applied,
 * an unfinished one means failed; if every row was rolled back, so was the migration.
 */
function entryFromRows(name: string, rows: PrismaMigrationRow[], file: MigrationFile | undefined, folderKnown: boolean): MigrationEntry {
  const live = rows.filter((row) => row.rolledBackAt === null);
  const finished = live.filter((row) => row.finishedAt !== null);
  const unfinished = live.filter((row) => row.finishedAt === null);
  const status = finished.length > 0 ? 'applied' : unfinished.length > 0 ? 'failed' : 'rolled-back';
  const byStart = (a: PrismaMigrationRow, b: PrismaMigrationRow) => String(iso(a.startedAt)).localeCompare(String(iso(b.startedAt)));
  // The row that explains the status: the latest finished, else the latest failed, else the latest attempt.
  const decisive = [...(finished.length ? finished : unfinished.length ? unfinished : rows)].sort(byStart).at(-1)!;
  return {
    name,
    status,
    // Only an applied migration must not change: fixing a failed or rolled-back one before re-running it is the normal repair.
    edited: status === 'applied' && file !== undefined && !file.checksums.includes(decisive.checksum),
    missingFromFolder: folderKnown && file === undefined,
    startedAt: iso(decisive.startedAt),
    finishedAt: iso(decisive.finishedAt),
    appliedStepsCount: decisive.appliedStepsCount,
  };
}

/**
 * `rows` is null when the database has no _prisma_migrations table ("no migration history");
 * `files` is null when no migrations folder was given (nothing can be pending, edited or missing).
 */
export function classifyMigrations(rows: PrismaMigrationRow[] | null, files: MigrationFile[] | null, folder: string | null): MigrationState {
  const rowsByName = new Map<string, PrismaMigrationRow[]>();
  for (const row of rows ?? []) rowsByName.set(row.migrationName, [...(rowsByName.get(row.migrationName) ?? []), row]);
  const filesByName = new Map((files ?? []).map((file) => [file.name, file]));
  // Prisma orders migrations by folder name (a timestamp prefix), so names sort oldest first.
  const names = [...new Set([...rowsByName.keys(), ...filesByName.keys()])].sort();
  const migrations = names.map((name): MigrationEntry => {
    const attempts = rowsByName.get(name);
    const file = filesByName.get(name);
    if (attempts) return entryFromRows(name, attempts, file, files !== null);
    return { name, status: 'pending', edited: false, missingFromFolder: false, startedAt: null, finishedAt: null, appliedStepsCount: null };
  });
  return { source: 'prisma', hasHistory: rows !== null, folder: files === null ? null : folder, migrations };
}

/**
 * What `prisma migrate deploy` would run next, oldest first: never-run migrations, and rolled-back
 * ones still in the folder (Prisma applies a rolled-back migration again).
 */
export function pendingMigrations(state: MigrationState): string[] {
  return state.migrations
    .filter((m) => m.status === 'pending' || (m.status === 'rolled-back' && state.folder !== null && !m.missingFromFolder))
    .map((m) => m.name);
}

/** What a deployer must look at before running anything; empty when the database and folder agree. */
export function migrationProblems(state: MigrationState): { pending: string[]; failed: string[]; edited: string[]; missing: string[] } {
  return {
    pending: pendingMigrations(state),
    failed: state.migrations.filter((m) => m.status === 'failed').map((m) => m.name),
    edited: state.migrations.filter((m) => m.edited).map((m) => m.name),
    missing: state.migrations.filter((m) => m.missingFromFolder && m.status !== 'rolled-back').map((m) => m.name),
  };
}
