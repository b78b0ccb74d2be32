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
