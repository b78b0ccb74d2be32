// Which catalog objects a pg_dump archive holds, read from `pg_restore --list` by its leading numbers only:
// each entry is `dumpId; catalogOid objectOid TYPE ...`, and names after those numbers are never parsed.

/** `classid:objid` keys of every archive entry that names a catalog object (data and comments have 0 0). */
export function catalogObjectsInListing(listing: string): Set<string> {
  const objects = new Set<string>();
  for (const line of listing.split('\n')) {
    const match = /^\d+; (\d+) (\d+) /.exec(line);
    if (!match || match[1] === '0') continue;
    objects.add(catalogKey(Number(match[1]), Number(match[2])));
  }
  return objects;
}

// The catalogs whose entries pg_dump lists one per user object (indexes, constraints and defaults go with their table).
const COUNTED_CATALOGS = new Set([2615, 1247, 3079, 1255]);
const RELATION_ENTRY = /^\d+; 1259 \d+ (TABLE|VIEW|SEQUENCE|MATERIALIZED VIEW|FOREIGN TABLE) /;

/** Entries per catalog (schemas, types, extensions, functions, and relations other than indexes). */
export function catalogCountsInListing(listing: string): Map<number, number> {
  const counts = new Map<number, number>();
  for (const line of listing.split('\n')) {
    const match = /^\d+; (\d+) \d+ /.exec(line);
    if (!match) continue;
    const classid = Number(match[1]);
    if (!(COUNTED_CATALOGS.has(classid) || (classid === 1259 && RELATION_ENTRY.test(line)))) continue;
    counts.set(classid, (counts.get(classid) ?? 0) + 1);
  }
  return counts;
}

export function catalogKey(classid: number, objid: number): string {
  return `${classid}:${objid}`;
}

/** A database object named as a (schema, name) pair; schema is null for schemas and extensions. */
export interface NamedObject {
  kind: string;
  schema: string | null;
  name: string;
}

/** `table ("public", "users.v2")`: each part quoted and escaped, so dots, quotes and newlines stay visible. */
export function describeObject(object: NamedObject): string {
  const parts = object.schema === null ? [object.name] : [object.schema, object.name];
  return `${object.kind} (${parts.map((p) => JSON.stringify(p)).join(', ')})`;
}
