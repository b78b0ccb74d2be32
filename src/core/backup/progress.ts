// The one-line status of a running dump: bytes written against the table data, elapsed time, current table.
import { formatBytes, formatDuration } from '../format.ts';

/** e.g. `dumping: 41.2 MB written (table data 310 MB), 12.0 s, table public.items` */
export function dumpStatusLine(state: { verb: string; bytes: number; estimateBytes: number | null; elapsedMs: number; table: string | null }): string {
  const estimate = state.estimateBytes ? ` (table data ${formatBytes(state.estimateBytes)})` : '';
  const table = state.table ? `, table ${state.table}` : '';
  return `${state.verb}: ${formatBytes(state.bytes)} written${estimate}, ${formatDuration(state.elapsedMs)}${table}`;
}
