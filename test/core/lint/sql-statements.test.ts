// splitSqlStatements: a `;` inside strings, identifiers, comments or dollar quotes never ends a statement.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { offsetOf, splitSqlStatements, statementAt } from '../../../src/core/lint/sql-statements.ts';

test('splits on top-level semicolons only, with the line each statement starts on', () => {
  const sql = [
    '-- header; not a statement',
    "INSERT INTO t VALUES ('a;b', E'c\\';d');",
    '/* block; /* nested; */ still comment */ CREATE TABLE "we;ird" (id int);',
    'CREATE FUNCTION f() RETURNS int AS $body$ SELECT 1; $body$ LANGUAGE sql;',
    'SELECT $$;$$',
  ].join('\n');
  const statements = splitSqlStatements(sql);
  assert.deepEqual(
    statements.map((s) => [s.line, s.text]),
    [
      [2, "INSERT INTO t VALUES ('a;b', E'c\\';d');"],
      [3, 'CREATE TABLE "we;ird" (id int);'],
      [4, 'CREATE FUNCTION f() RETURNS int AS $body$ SELECT 1; $body$ LANGUAGE sql;'],
      [5, 'SELECT $$;$$'],
    ],
  );
  assert.equal(statementAt(statements, offsetOf(sql, 3, 10))?.line, 4, 'a 0-based squawk position maps to its statement');
});
