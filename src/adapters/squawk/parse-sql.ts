// Parses migration SQL with PostgreSQL's own parser (libpg-query, compiled to WASM), statement by statement.
import { loadModule, parseSync } from 'libpg-query';
import { lineAt, splitSqlStatements } from '../../core/lint/sql-statements.ts';
import type { ParsedStatement } from '../../core/lint/statement-locks.ts';

let loaded: Promise<void> | undefined;

/**
 * Each statement with its parse tree. A file PostgreSQL's parser rejects still yields its statements
 * (split lexically) without a tree, so one odd statement never hides the rest of the lint.
 */
export async function parseMigrationSql(sql: string): Promise<{ statements: ParsedStatement[]; error?: string }> {
  loaded ??= loadModule();
  await loaded;
  try {
    const result = parseSync(sql) as { stmts?: Array<{ stmt: Record<string, unknown>; stmt_location?: number; stmt_len?: number }> };
    // libpg_query reports byte offsets into the UTF-8 text; the rest of the tool works in characters.
    const bytes = Buffer.from(sql, 'utf8');
    const charAt = (byte: number) => bytes.subarray(0, byte).toString('utf8').length;
    const statements = (result.stmts ?? []).map((entry) => {
      const startByte = entry.stmt_location ?? 0;
      const endByte = entry.stmt_len ? startByte + entry.stmt_len : bytes.length;
      const rawStart = charAt(startByte);
      const end = charAt(endByte);
      // stmt_location points just after the previous `;`: skip the comments and blanks before the statement.
      const lexical = splitSqlStatements(sql.slice(rawStart, end))[0];
      const start = rawStart + (lexical?.start ?? 0);
      const text = sql.slice(start, end).trimEnd() + (sql[end] === ';' ? ';' : '');
      return { text, start, end: sql[end] === ';' ? end + 1 : end, line: lineAt(sql, start), node: entry.stmt };
    });
    return { statements };
  } catch (error) {
    const statements = splitSqlStatements(sql).map((s) => ({ ...s, node: null }));
    return { statements, error: error instanceof Error ? error.message : String(error) };
  }
}
