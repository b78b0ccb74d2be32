// `logbook status` as a person reads it: one line per migration, then what needs doing (pure).
import type { MigrationEntry, MigrationState } from '../../schemas/snapshot.ts';
import { migrationProblems, pendingMigrations } from './classify-migrations.ts';

const when = (value: string | null) => (value ? value.slice(0, 19).replace('T', ' ') : '');

function describe(entry: MigrationEntry, pending: Set<string>): { label: string; detail: string } {
  const notes: string[] = [];
  if (entry.edited) notes.push('EDITED: migration.sql no longer matches the checksum recorded when it ran');
  if (entry.missingFromFolder) notes.push('not in the migrations folder');
  switch (entry.status) {
    case 'applied':
      return { label: 'applied', detail: [`finished ${when(entry.finishedAt)}`, ...notes].join('; ') };
    case 'failed':
      return { label: 'FAILED', detail: [`started ${when(entry.startedAt)}, never finished`, ...notes].join('; ') };
    case 'rolled-back':
      return { label: 'rolled back', detail: [pending.has(entry.name) ? 'will run again on the next deploy' : 'marked rolled back', ...notes].join('; ') };
    case 'pending':
      return { label: 'pending', detail: notes.join('; ') };
  }
}

export function renderMigrationStatus(state: MigrationState): string {
  const lines: string[] = [];
  if (!state.hasHistory) lines.push('No migration history: the database has no _prisma_migrations table (no migration has ever run).');
  if (state.folder === null) lines.push('No migrations folder given: only the database history is shown (pass --migrations DIR).');
  const pending = new Set(pendingMigrations(state));
  const rows = state.migrations.map((entry) => ({ name: entry.name, ...describe(entry, pending) }));
  const labelWidth = Math.max(0, ...rows.map((row) => row.label.length));
  const nameWidth = Math.max(0, ...rows.map((row) => row.name.length));
  if (rows.length === 0) lines.push('No migrations in the database or the folder.');
  for (const row of rows) lines.push(`  ${row.label.padEnd(labelWidth)}  ${row.name.padEnd(nameWidth)}  ${row.detail}`.trimEnd());

  const problems = migrationProblems(state);
  const applied = state.migrations.filter((m) => m.status === 'applied').length;
  lines.push('');
  lines.push(
    `${applied} applied, ${problems.pending.length} pending, ${problems.failed.length} failed, ${problems.edited.length} edited, ${problems.missing.length} missing from the folder`,
  );
  if (problems.failed.length)
    lines.push(`next: a failed migration blocks deploys — fix the database, then \`prisma migrate resolve --applied|--rolled-back ${problems.failed[0]}\``);
  if (problems.edited.length)
    lines.push('next: restore the edited migration.sql files from git (applied migrations must not change); put new changes in a new migration');
  if (problems.missing.length) lines.push('next: the database ran migrations this folder lacks — check you are on the right branch/commit of the app');
  if (problems.pending.length) lines.push(`next: ${problems.pending.length} migration(s) to deploy; review them with \`logbook lint\``);
  if (!problems.pending.length && !problems.failed.length && !problems.edited.length && !problems.missing.length)
    lines.push('Database and migrations folder are in sync.');
  return lines.join('\n');
}
