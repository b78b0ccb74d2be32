// A run fixture whose migration has run (through the demo's Prisma-like deploy), with a never-migrated copy to compare against.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import type { WorkspaceOptions } from '../../scripts/demo/workspace.ts';
import { addMigration } from '../../scripts/demo/workspace.ts';
import { withDatabase } from '../../src/adapters/pg/client.ts';
import { parseRecordFile } from '../../src/core/record/parse-record.ts';
import type { MigrationRecord } from '../../src/schemas/record.ts';
import { sql, testServerUrl } from './postgres.ts';
import { recordPaths } from './record-files.ts';
import { makeRunFixture, type RunFixture } from './run-fixture.ts';

export const MIGRATION = '20251220090000_under_test';

/** The newest record of the fixture. */
export function newestRecord(f: RunFixture): { file: string; record: MigrationRecord } {
  const names = recordPaths(f.ws.recordsDir).sort();
  const file = join(f.ws.recordsDir, names.at(-1)!);
  const parsed = parseRecordFile(readFileSync(file, 'utf8'), file.split('/').pop()!);
  assert.ok(parsed.ok);
  return { file, record: parsed.value.record };
}

/** Databases on the test server whose name starts with the fixture's database name (restoring / replaced copies). */
export async function siblingDatabases(f: RunFixture): Promise<string[]> {
  const name = new URL(f.url).pathname.slice(1);
  const rows = await sql<{ datname: string }>(
    await testServerUrl(),
    'SELECT datname FROM pg_database WHERE starts_with(datname, $1) AND datname <> $1 ORDER BY 1',
    [name],
  );
  return rows.map((r) => r.datname).filter((n) => !n.endsWith('_ref'));
}

/** `setup` applied, a reference copy taken (never migrated), then the migration run; retained copies are dropped after the test. */
export async function migratedFixture(t: TestContext, migration: string, options: { setup?: string; workspace?: WorkspaceOptions } = {}) {
  const f = await makeRunFixture(t, options.workspace);
  if (options.setup) await sql(f.url, options.setup);
  const server = await testServerUrl();
  const name = new URL(f.url).pathname.slice(1);
  const refName = `${name}_ref`;
  await sql(server, `CREATE DATABASE ${refName} TEMPLATE "${name}"`);
  t.after(async () => {
    await sql(server, `DROP DATABASE IF EXISTS ${refName} WITH (FORCE)`);
    for (const left of await siblingDatabases(f)) await sql(server, `DROP DATABASE IF EXISTS "${left}" WITH (FORCE)`);
  });
  await addMigration(f.ws, MIGRATION, { sql: migration });
  const ran = await f.run();
  assert.equal(ran.code, 0, ran.stderr);
  return { f, reference: withDatabase(server, refName), ...newestRecord(f) };
}
