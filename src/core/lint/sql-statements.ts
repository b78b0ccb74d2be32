// Splits a SQL file into statements with their positions, so a linter finding can show the statement it is about (pure).

export interface SqlStatement {
  /** The statement without leading comments or whitespace, up to and including its `;` (if any). */
  text: string;
  /** Character offsets of the statement in the file: [start, end). */
  start: number;
  end: number;
  /** 1-based line the statement starts on. */
  line: number;
}

/**
 * Knows enough SQL lexing to never split inside a string, a quoted identifier, a comment or a
 * dollar-quoted body (function definitions), which is all a `;` can hide in.
 */
export function splitSqlStatements(sql: string): SqlStatement[] {
  const statements: SqlStatement[] = [];
  let start = -1;
  let i = 0;
  const close = (end: number) => {
    if (start >= 0) statements.push({ text: sql.slice(start, end).trimEnd(), start, end, line: lineAt(sql, start) });
    start = -1;
  };
  while (i < sql.length) {
    const ch = sql[i]!;
    const next = sql[i + 1];
    if (ch === '-' && next === '-') {
      const eol = sql.indexOf('\n', i);
      i = eol === -1 ? sql.length : eol + 1;
      continue;
    }
    if (ch === '/' && next === '*') {
      // Block comments nest in PostgreSQL.
      let depth = 1;
      i += 2;
      while (i < sql.length && depth > 0) {
        if (sql[i] === '/' && sql[i + 1] === '*') {
          depth += 1;
          i += 2;
        } else if (sql[i] === '*' && sql[i + 1] === '/') {
          depth -= 1;
          i += 2;
        } else i += 1;
      }
      continue;
    }
    if (/\s/.test(ch)) {
      i += 1;
      continue;
    }
    if (start < 0) start = i;
    if (ch === ';') {
      close(i + 1);
      i += 1;
      continue;
    }
    if (ch === "'" || ch === '"') {
      // '' and "" escape the quote; E'...' strings also allow backslash escapes.
      const backslashes = ch === "'" && /[eE]/.test(sql[i - 1] ?? '');
      i += 1;
      while (i < sql.length) {
        if (backslashes && sql[i] === '\\') i += 2;
        else if (sql[i] === ch && sql[i + 1] === ch) i += 2;
        else if (sql[i] === ch) break;
        else i += 1;
      }
      i += 1;
      continue;
    }
    if (ch === '$') {
      const tag = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(sql.slice(i));
      if (tag && !/[A-Za-z0-9_]/.test(sql[i - 1] ?? '')) {
        const endTag = sql.indexOf(tag[0], i + tag[0].length);
        i = endTag === -1 ? sql.length : endTag + tag[0].length;
        continue;
      }
    }
    i += 1;
  }
  close(sql.length);
  return statements;
}

/** 1-based line of a character offset. */
export function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i += 1) if (text[i] === '\n') line += 1;
  return line;
}

/** Character offset of a 0-based line and column (the positions squawk reports). */
export function offsetOf(text: string, line: number, column: number): number {
  let offset = 0;
  for (let l = 0; l < line; l += 1) {
    const eol = text.indexOf('\n', offset);
    if (eol === -1) return text.length;
    offset = eol + 1;
  }
  return Math.min(text.length, offset + column);
}

/** The statement holding an offset: the first one ending after it (a finding between statements belongs to the next). */
export function statementAt(statements: SqlStatement[], offset: number): SqlStatement | undefined {
  return statements.find((statement) => offset < statement.end) ?? statements.at(-1);
}
