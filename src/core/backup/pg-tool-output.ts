// Reads what pg_dump / pg_restore print: versions, the table being worked on (--verbose), the data entries of --list.

/** Major version from `pg_dump (PostgreSQL) 15.18 (Debian ...)` or `pg_restore (PostgreSQL) 16beta1`. */
export function parseToolVersion(text: string): { version: string; major: number } | null {
  const match = /\(PostgreSQL\)\s+(\d+)(?:\.(\d+))?\S*/.exec(text);
  if (!match) return null;
  return { version: match[0].replace(/^\(PostgreSQL\)\s+/, ''), major: Number(match[1]) };
}

/** Major version from server_version_num (150004 → 15; 90624 → 9, close enough for a >= check against 10+). */
export function serverMajor(serverVersionNum: number): number {
  return Math.floor(serverVersionNum / 10000);
}

/**
 * The table a --verbose line says is being dumped or restored, e.g.
 * `pg_dump: dumping contents of table "public.items"` or `pg_restore: processing data for table "public.items"`.
 */
export function tableFromVerboseLine(line: string): string | null {
  const match = /(?:dumping contents of table|processing data for table) "(.+)"\s*$/.exec(line);
  return match ? match[1]! : null;
}

/** Lines worth showing when pg_dump/pg_restore fail: their errors, else the last lines they printed. */
export function failureLines(stderr: string, max = 8): string[] {
  const lines = stderr
    .split('\n')
    .map((l) => l.trimEnd())
    .filter(Boolean);
  const errors = lines.filter((l) => /\b(error|fatal|FATAL|ERROR|could not|invalid)\b/.test(l));
  return (errors.length ? errors : lines).slice(-max);
}

export interface ListedDataEntry {
  schema: string;
  name: string;
}

/**
 * The TABLE DATA entries of `pg_restore --list`, e.g. `3345; 0 16390 TABLE DATA public items postgres`.
 * Names with spaces are ambiguous in this format, so the caller matches against known names instead of splitting blindly.
 */
export function tableDataEntries(listing: string): string[] {
  const entries: string[] = [];
  for (const line of listing.split('\n')) {
    if (line.startsWith(';')) continue;
    const match = /^\d+;\s+\d+\s+\d+\s+TABLE DATA\s+(.*)$/.exec(line.trim());
    if (match) entries.push(match[1]!);
  }
  return entries;
}

/** Whether a `TABLE DATA` entry (`<schema> <name> <owner>`) is the data of this table. */
export function entryIsTable(entry: string, table: { schema: string; name: string }): boolean {
  // pg_restore --list prints each name on one line: newlines and carriage returns in a name become spaces.
  const oneLine = (name: string) => name.replace(/[\r\n]/g, ' ');
  const prefix = `${oneLine(table.schema)} ${oneLine(table.name)}`;
  return entry.startsWith(`${prefix} `) || entry === prefix;
}
