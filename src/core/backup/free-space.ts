// Whether the backup folder clearly lacks room for a dump: a judgement on two numbers, kept pure so it is tested.

export type SpaceVerdict = { ok: true; warning?: string } | { ok: false; reason: string };

/**
 * `tableBytes` is the size of the table data (heap + TOAST, no indexes): what pg_dump reads.
 * A compressed dump is usually 20-50% of it, so less free space than half of it is clearly too little;
 * less than all of it only earns a warning.
 */
export function judgeFreeSpace(freeBytes: number, tableBytes: number, formatBytes: (n: number) => string): SpaceVerdict {
  const numbers = `${formatBytes(freeBytes)} free, table data ${formatBytes(tableBytes)}`;
  if (freeBytes < tableBytes / 2) return { ok: false, reason: `not enough free space in the backup folder (${numbers})` };
  if (freeBytes < tableBytes) return { ok: true, warning: `free space is tight (${numbers}); a compressed dump usually fits` };
  return { ok: true };
}
