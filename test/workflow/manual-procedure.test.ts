// The manual procedure printed when the role may not restore beside is pasted into a shell at 2 a.m.: a database
// name or archive path with quotes must reach psql as the same name, and run nothing else.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { manualProcedure } from '../../src/workflow/restore-beside.ts';

test('a hostile database name and archive path are quoted for the shell and for SQL in the manual procedure', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'logbook-manual-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const marker = join(dir, 'pwned');
  const live = `app'$(touch ${marker})'"x`;
  const archive = join(dir, `it's $(touch ${marker}).dump`);
  const lines = manualProcedure(live, archive)
    .split('\n')
    .filter((line) => line.startsWith('  '));
  // The commands as a person pastes them, with each tool replaced by one that prints the arguments it got.
  const stubs = `psql() { printf '[%s]\\n' "$@"; }; createdb() { printf '[%s]\\n' "$@"; }; pg_restore() { printf '[%s]\\n' "$@"; }`;
  const printed = execFileSync('bash', ['-c', `${stubs}\n${lines.join('\n')}`], { encoding: 'utf8' });
  assert.equal(existsSync(marker), false, 'pasting the procedure ran nothing but the tools');
  assert.ok(printed.includes(`[${archive}]`), printed);
  assert.ok(printed.includes(`[ALTER DATABASE "app'$(touch ${marker})'""x" WITH ALLOW_CONNECTIONS false]`), printed);
  assert.ok(printed.includes(`[SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = 'app''$(touch ${marker})''"x']`), printed);
  assert.ok(printed.includes(`[ALTER DATABASE "app'$(touch ${marker})'""x" RENAME TO OLD]`), printed);
});
