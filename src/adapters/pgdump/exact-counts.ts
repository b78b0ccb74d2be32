// Exact row counts a backup can stand behind: every table counted, or an error naming the ones that could not be.
import { LogbookError } from '../../core/errors.ts';
import type { BackupTableCount } from '../../schemas/backup.ts';
import { withClient } from '../pg/client.ts';
import { countTablesExactly } from '../pg/count-rows.ts';
import { listUserTables, tableKey } from '../pg/tables.ts';
import type { TargetInput } from '../pg/target.ts';

export async function countTables(
  url: TargetInput,
  tables: Array<{ schema: string; name: string }>,
  options: { snapshotId?: string | undefined; signal?: AbortSignal | undefined; doing: string },
): Promise<BackupTableCount[]> {
  // No statement timeout (0): a backup's counts must be exact, however long a big table takes.
  const outcomes = await countTablesExactly(url, tables, { snapshotId: options.snapshotId, concurrency: 2, timeoutMs: 0, signal: options.signal });
  const counts: BackupTableCount[] = [];
  const failed: string[] = [];
  for (const table of tables) {
    const outcome = outcomes.get(tableKey(table));
    if (outcome?.ok) counts.push({ schema: table.schema, name: table.name, rows: outcome.rows });
    else failed.push(`${tableKey(table)}: ${outcome ? outcome.reason : 'not counted'}`);
  }
  if (failed.length) {
    throw new LogbookError(`${options.doing}: could not count ${failed.length} table(s):\n    ${failed.join('\n    ')}`, {
      code: 'E_BACKUP_COUNT',
      outcome: 'backup-failed',
      hint: 'the role needs SELECT on every table, and no session may hold an exclusive lock on one while the backup runs',
    });
  }
  return counts;
}

/** Every user table of a database and its exact count (after a restore). */
export async function countDatabase(url: TargetInput, options: { signal?: AbortSignal | undefined; doing: string }): Promise<BackupTableCount[]> {
  const tables = await withClient(url, { doing: options.doing }, listUserTables);
  return countTables(url, tables, options);
}
