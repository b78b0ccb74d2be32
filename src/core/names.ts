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

/** The (schema, name) pair back from a display name; null when it is not one. */
export function parseDisplayName(display: string): QualifiedName | null {
  const parts: string[] = [];
  let i = 0;
  while (i <= display.length) {
    if (display[i] === '"') {
      let part = '';
      i += 1;
      for (;;) {
        if (i >= display.length) return null;
        if (display[i] === '"' && display[i + 1] === '"') (part += '"'), (i += 2);
        else if (display[i] === '"') break;
        else part += display[i++];
      }
      parts.push(part);
      i += 1;
    } else {
      const end = display.indexOf('.', i);
      parts.push(display.slice(i, end === -1 ? display.length : end));
      i = end === -1 ? display.length : end;
    }
    if (i >= display.length) break;
    if (display[i] !== '.') return null;
    i += 1;
  }
  return parts.length === 2 ? { schema: parts[0]!, name: parts[1]! } : null;
}

/** Whether a foreign key's `references` (a pair, or the joined `schema.name` older records carry) names this table. */
export function referencesTable(references: QualifiedName | string, table: QualifiedName): boolean {
  return typeof references === 'string' ? references === `${table.schema}.${table.name}` : references.schema === table.schema && references.name === table.name;
}
