// Hostile table names (dots, quotes, a newline, a slash, unicode) through snapshot, backup, run, rollback
// and the site build: each table is its own (schema, name) pair, counted right, never confused.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { addMigration } from '../../scripts/demo/workspace.ts';
import { buildSite, siteBuildDir } from '../../scripts/support/build-site.ts';
import { takeSnapshot } from '../../src/adapters/pg/snapshot.ts';
import { displayName, parseDisplayName, tableFromSlug, tableKey, tableSlug } from '../../src/core/names.ts';
import { parseRecordFile } from '../../src/core/record/parse-record.ts';
import { postTableCounts, recordDiff, rollbackTableCounts } from '../../src/core/record/snapshot-access.ts';
import { logbookConfigSchema } from '../../src/schemas/config.ts';
import type { MigrationRecord } from '../../src/schemas/record.ts';
import { runCli } from '../helpers/cli.ts';
import { sql } from '../helpers/postgres.ts';
import { recordPaths } from '../helpers/record-files.ts';
import { makeRunFixture } from '../helpers/run-fixture.ts';

/** (schema, name, rows): the two dotted ones are the pair a joined key confuses. */
const ODD: Array<[string, string, number]> = [
  ['x', 'y.z', 1],
  ['x.y', 'z', 2],
  ['public', 'line\nbreak', 3],
  ['public', 'a/b', 4],
  ['public', 'quo"te', 5],
  ['public', 'ünï €', 6],
];

const q = (id: string) => `"${id.replace(/"/g, '""')}"`;

function records(dir: string): MigrationRecord[] {
  return recordPaths(dir)
    .sort()
    .map((n) => {
      const parsed = parseRecordFile(readFileSync(join(dir, n), 'utf8'), n);
      assert.ok(parsed.ok, JSON.stringify(!parsed.ok && parsed.problems));
      return parsed.value.record;
    });
}

const rowsOf = (tables: Array<{ schema: string; name: string; rows: number }>) => new Map(tables.map((t) => [tableKey(t), t.rows]));

describe('odd table names', () => {
  it('route slugs and display names round-trip any identifier and tell the dotted pair apart', () => {
    for (const [schema, name] of ODD) {
      const display = displayName({ schema, name });
      assert.equal(tableFromSlug(tableSlug(display)), display);
      assert.deepEqual(parseDisplayName(display), { schema, name });
      assert.match(tableSlug(display), /^[A-Za-z0-9_.~-]+$/, 'a slug is one safe path segment');
    }
    assert.notEqual(displayName({ schema: 'x', name: 'y.z' }), displayName({ schema: 'x.y', name: 'z' }));
    assert.equal(displayName({ schema: 'x', name: 'y.z' }), 'x."y.z"');
    assert.equal(tableSlug('public.players'), 'public.players', 'plain names keep their readable route');
    assert.equal(logbookConfigSchema.safeParse({ environments: { '../x': { databaseUrlEnv: 'X' } } }).success, false);
  });

  it('snapshot, backup, run, rollback and the site build count each table on its own', async (t) => {
    const f = await makeRunFixture(t);
    await sql(f.url, 'CREATE SCHEMA x; CREATE SCHEMA "x.y"');
    for (const [schema, name, rows] of ODD) await sql(f.url, `CREATE TABLE ${q(schema)}.${q(name)} AS SELECT g AS n FROM generate_series(1, ${rows}) g`);

    const capture = logbookConfigSchema.parse({}).capture;
    const snapshot = await takeSnapshot(f.url, { mode: 'exact', capture, migrationsDir: null });
    const counted = rowsOf(snapshot.tables);
    for (const [schema, name, rows] of ODD) assert.equal(counted.get(tableKey({ schema, name })), rows, `${schema} / ${JSON.stringify(name)}`);

    // A backup verified by restoring it and comparing every table's count with the sidecar.
    const dir = join(f.ws.dir, 'odd-backups');
    const backup = await runCli(['backup', '--db', f.url, '--dir', dir, '--verify', 'restore', '--json']);
    assert.equal(backup.code, 0, backup.stderr);
    const meta = JSON.parse(backup.stdout) as { tables: Array<{ schema: string; name: string; rows: number }>; verification: { ok: boolean } };
    assert.equal(meta.verification.ok, true);
    const sidecar = rowsOf(meta.tables);
    for (const [schema, name, rows] of ODD) assert.equal(sidecar.get(tableKey({ schema, name })), rows);

    // The migration adds a row to x."y.z" only: "x.y".z must not move.
    await addMigration(f.ws, '20251201090000_odd_insert', { sql: 'INSERT INTO x."y.z" VALUES (100);\n' });
    const run = await f.run();
    assert.equal(run.code, 0, run.stderr);
    const [record] = records(f.ws.recordsDir);
    const after = rowsOf(postTableCounts(record!)!);
    assert.equal(after.get(tableKey({ schema: 'x', name: 'y.z' })), 2);
    assert.equal(after.get(tableKey({ schema: 'x.y', name: 'z' })), 2);
    const deltas = recordDiff(record!)!.tables.filter((d) => d.change !== 'unchanged' && d.table !== 'public._prisma_migrations');
    assert.deepEqual(
      deltas.map((d) => [d.table, d.delta]),
      [['x."y.z"', 1]],
    );

    const rollback = await f.cli(['rollback', '--record', record!.id, '--yes']);
    assert.equal(rollback.code, 0, rollback.stderr);
    const [rolled] = records(f.ws.recordsDir);
    assert.equal(rolled!.status, 'rolled-back');
    assert.equal(rolled!.rollback!.matchesBackup, true);
    const restored = rowsOf(rollbackTableCounts(rolled!)!);
    for (const [schema, name, rows] of ODD) assert.equal(restored.get(tableKey({ schema, name })), rows);

    const build = siteBuildDir('odd-names');
    t.after(() => rmSync(build, { recursive: true, force: true }));
    const { outDir } = await buildSite({ recordsDir: f.ws.recordsDir, outDir: join(build, 'dist'), search: false });
    for (const [schema, name] of ODD) {
      const page = join(outDir, 'tables', tableSlug(displayName({ schema, name })), 'index.html');
      assert.ok(existsSync(page), `page for ${JSON.stringify([schema, name])}`);
    }
    const dotted = readFileSync(join(outDir, 'tables', tableSlug('x."y.z"'), 'index.html'), 'utf8');
    assert.match(dotted, /x\.&quot;y\.z&quot;|x\."y\.z"/);
  });
});
