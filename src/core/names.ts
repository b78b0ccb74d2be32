// Names from the database are (schema, name) pairs: a key that tells `x."y.z"` from `"x.y".z`, a display
// form that does too (SQL quoting, only where needed), and a URL segment that round-trips any identifier.

export interface QualifiedName {
  schema: string;
  name: string;
}

/** Map key for a (schema, name) pair; never split it, compare whole. */
export function tableKey(table: QualifiedName): string {
  return JSON.stringify([table.schema, table.name]);
}

const PLAIN = /^[a-z_][a-z0-9_$]*$/;

/** An identifier as PostgreSQL would need it written: bare when plain, else double-quoted. */
export function quoteIdentifier(identifier: string): string {
  return PLAIN.test(identifier) ? identifier : `"${identifier.replace(/"/g, '""')}"`;
}

/** `schema.name` for people and for identity in derived views: unambiguous because each part is quoted when needed. */
export function displayName(table: QualifiedName): string {
  return `${quoteIdentifier(table.schema)}.${quoteIdentifier(table.name)}`;
}

/**
 * A path segment for a table's page: `public.players` for plain names (as before), otherwise `~` and the
 * base64url of the display name, which any identifier (slash, dot, newline, unicode) survives.
 */
export function tableSlug(display: string): string {
  const [schema, name, ...more] = display.split('.');
  const plain = more.length === 0 && schema !== undefined && name !== undefined && PLAIN.test(schema) && PLAIN.test(name);
  return plain ? display : `~${Buffer.from(display, 'utf8').toString('base64url')}`;
}

export function tableFromSlug(slug: string): string {
  return slug.startsWith('~') ? Buffer.from(slug.slice(1), 'base64url').toString('utf8') : slug;
}
