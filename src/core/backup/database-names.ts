// Names of the databases a restore-beside creates: the one restored into, and the replaced one kept afterwards.
// PostgreSQL truncates identifiers to 63 bytes, so two long names could silently collide: they are cut here, on
// a character boundary, before the dated suffix.

const MAX_IDENTIFIER_BYTES = 63;

function cutToBytes(text: string, bytes: number): string {
  let out = '';
  for (const char of text) {
    if (Buffer.byteLength(out + char) > bytes) break;
    out += char;
  }
  return out;
}

/** `20261126T031500` for a date: sortable, and free of characters that need quoting. */
export function compactStamp(date: Date): string {
  return date
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, '');
}

function withSuffix(live: string, suffix: string): string {
  return `${cutToBytes(live, MAX_IDENTIFIER_BYTES - Buffer.byteLength(suffix))}${suffix}`;
}

/** The database the backup is restored into, beside the live one. */
export function restoringDatabaseName(live: string, at: Date): string {
  return withSuffix(live, `_restoring_${compactStamp(at)}`);
}

/** What every `_restoring_` copy of `live` starts with (its name cut to leave room for the suffix). */
export function restoringPrefix(live: string): string {
  return cutToBytes(live, MAX_IDENTIFIER_BYTES - Buffer.byteLength('_restoring_00000000T000000'));
}

/** Whether `name` is a copy restoringDatabaseName could have made for `live`: the only kind a cleanup may drop. */
export function isRestoringNameOf(live: string, name: string): boolean {
  const prefix = restoringPrefix(live);
  return name.startsWith(prefix) && /^_restoring_\d{8}T\d{6}$/.test(name.slice(prefix.length));
}

/** The name the replaced live database keeps after the swap. */
export function retainedDatabaseName(live: string, at: Date): string {
  return withSuffix(live, `_replaced_${compactStamp(at)}`);
}

/** Whether a name is one this tool gave a replaced database (what `--drop-retained` accepts). */
export function isRetainedDatabaseName(name: string): boolean {
  return /_replaced_\d{8}T\d{6}$/.test(name);
}
