// A snapshot as a person reads it: database facts, then one line per table, indexes, foreign keys (pure).
import type { Snapshot } from '../../schemas/snapshot.ts';
import { formatBytes, formatCount } from '../format.ts';
import { displayName } from '../names.ts';

export function renderSnapshot(snapshot: Snapshot): string {
  const lines = [
    `database ${snapshot.database} on PostgreSQL ${snapshot.serverVersion}, ${formatBytes(snapshot.databaseBytes)}, captured ${snapshot.capturedAt} in ${snapshot.durationMs} ms`,
    '',
    `tables (${snapshot.tables.length}):`,
  ];
  const names = snapshot.tables.map((t) => displayName(t));
  const width = Math.max(10, ...names.map((n) => n.length));
  snapshot.tables.forEach((t, i) => {
    const rows = `${t.counted === 'estimate' ? '~' : ''}${formatCount(t.rows)}`;
    const how =
      t.counted === 'exact' ? 'exact' : `estimate${t.lastAnalyzed ? `, analyzed ${t.lastAnalyzed.slice(0, 16).replace('T', ' ')}` : ', never analyzed'}`;
    const sizes = `table ${formatBytes(t.tableBytes)}, indexes ${formatBytes(t.indexBytes)}, toast ${formatBytes(t.toastBytes)}`;
    lines.push(`  ${names[i]!.padEnd(width)}  ${rows.padStart(14)} rows (${how})  ${sizes}`);
    if (t.kind === 'partitioned') lines.push(`  ${''.padEnd(width)}  partitioned: ${t.partitions.join(', ') || 'no partitions'}`);
    if (t.countNote) lines.push(`  ${''.padEnd(width)}  note: ${t.countNote}`);
  });
  lines.push('', `indexes (${snapshot.indexes.length}):`);
  for (const i of snapshot.indexes) {
    const flags = [!i.valid ? 'INVALID' : '', !i.ready ? 'NOT READY' : ''].filter(Boolean).join(', ');
    lines.push(`  ${i.definition}  [${formatBytes(i.bytes)}${flags ? `, ${flags}` : ''}]`);
  }
  lines.push('', `foreign keys (${snapshot.foreignKeys.length}):`);
  for (const fk of snapshot.foreignKeys) lines.push(`  ${fk.schema}.${fk.table}.${fk.name} ${fk.definition}${fk.validated ? '' : '  [NOT VALID]'}`);
  lines.push('', `extensions: ${snapshot.extensions.map((e) => `${e.name} ${e.version}`).join(', ') || 'none'}`);
  const m = snapshot.migrations;
  const byStatus = (s: string) => m.migrations.filter((e) => e.status === s).length;
  lines.push(
    m.hasHistory
      ? `migrations: ${byStatus('applied')} applied, ${byStatus('pending')} pending, ${byStatus('failed')} failed, ${byStatus('rolled-back')} rolled back (run \`logbook status\` for details)`
      : 'migrations: no migration history (no _prisma_migrations table)',
  );
  return lines.join('\n');
}
