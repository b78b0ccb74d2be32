// Compact records around a real migration on a 300-table database: the MDX keeps counts and the schema
// changes, the full snapshots live in content-addressed files beside it, and verify re-hashes those files.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { simpleGit } from 'simple-git';
import { addMigration } from '../../scripts/demo/workspace.ts';
import { recordFiles } from '../../src/adapters/fs/list-records.ts';
import { parseRecordFile } from '../../src/core/record/parse-record.ts';
import { renderRecordFile } from '../../src/core/record/render-record.ts';
import { isCompactSnapshot, postTableCounts, recordDiff, snapshotFileRefs } from '../../src/core/record/snapshot-access.ts';
import { readSnapshotDetail, snapshotPathsOf } from '../../src/adapters/fs/snapshot-store.ts';
import { snapshotFilePath } from '../../src/core/record/snapshot-files.ts';
import type { CompactSnapshot } from '../../src/schemas/compact-snapshot.ts';
import type { MigrationRecord } from '../../src/schemas/record.ts';
import { sql } from '../helpers/postgres.ts';
import { writeRecordFiles } from '../helpers/record-files.ts';
import { makeRunFixture } from '../helpers/run-fixture.ts';
import { makeRecord } from '../helpers/synthetic.ts';

/** 3 schemas x 100 tables, each with a primary key and 3 more indexes (1,200 indexes), a few rows in some. */
const MANY_TABLES = `
DO $$
DECLARE s text; i int;
BEGIN
  FOREACH s IN ARRAY ARRAY['billing', 'catalog', 'audit_log'] LOOP
    EXECUTE format('CREATE SCHEMA %I', s);
    FOR i IN 1..100 LOOP
      EXECUTE format('CREATE TABLE %I.%I (id bigserial PRIMARY KEY, account_id bigint NOT NULL, created_at timestamptz NOT NULL DEFAULT now(), note text)', s, 't_' || lpad(i::text, 3, '0'));
      EXECUTE format('CREATE INDEX %I ON %I.%I (account_id)', 't_' || lpad(i::text, 3, '0') || '_account_idx', s, 't_' || lpad(i::text, 3, '0'));
      EXECUTE format('CREATE INDEX %I ON %I.%I (created_at)', 't_' || lpad(i::text, 3, '0') || '_created_idx', s, 't_' || lpad(i::text, 3, '0'));
      EXECUTE format('CREATE INDEX %I ON %I.%I (account_id, created_at DESC)', 't_' || lpad(i::text, 3, '0') || '_account_created_idx', s, 't_' || lpad(i::text, 3, '0'));
      IF i % 10 = 0 THEN
        EXECUTE format('INSERT INTO %I.%I (account_id) SELECT g FROM generate_series(1, %s) g', s, 't_' || lpad(i::text, 3, '0'), i * 3);
      END IF;
    END LOOP;
  END LOOP;
END $$;
ANALYZE;`;

function onlyRecord(dir: string): { file: string; source: string; record: MigrationRecord } {
  const files = recordFiles(dir);
  assert.equal(files.length, 1, `one record in ${dir}: ${files.join(', ')}`);
  const file = files[0]!;
  const source = readFileSync(file, 'utf8');
  const parsed = parseRecordFile(source, file);
  assert.ok(parsed.ok, `the record validates: ${parsed.ok ? '' : JSON.stringify(parsed.problems)}`);
  return { file, source, record: parsed.value.record };
}

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

describe('compact records', () => {
  it('a record around a real migration on a 300-table database is compact; its snapshot files hash to their names and verify checks them', async (t) => {
    const f = await makeRunFixture(t);
    await sql(f.url, MANY_TABLES);
    await addMigration(f.ws, '20251201090000_add_achievements');
    const run = await f.run();
    assert.equal(run.code, 0, run.stderr);
    const { file, source, record } = onlyRecord(f.ws.recordsDir);

    // The MDX: compact pre and post, counts for all 300+ tables, the added index stored once, no untouched index.
    assert.ok(isCompactSnapshot(record.pre) && record.post && isCompactSnapshot(record.post));
    assert.ok(postTableCounts(record)!.length >= 300);
    assert.ok(postTableCounts(record)!.some((t) => t.schema === 'billing' && t.name === 't_010' && t.rows === 30 && t.counted === 'exact'));
    assert.ok(!source.includes('t_042_account_idx'), 'no index definition of an untouched table in the MDX');
    assert.ok(!source.includes('CREATE INDEX t_'), 'no CREATE INDEX of an untouched table');
    assert.deepEqual(record.changes?.indexes.added.map((i) => i.name).sort(), ['achievements_pkey', 'achievements_player_id_idx']);
    assert.ok(record.changes?.columns.added.some((c) => c.table === 'achievements' && c.name === 'player_id'));
    assert.deepEqual(record.changes?.migrationsApplied, ['20251201090000_add_achievements']);
    const diff = recordDiff(record)!;
    assert.deepEqual(diff.tablesAdded, ['public.achievements']);
    assert.ok(diff.totals.after > diff.totals.before);

    // The snapshot files: a tree of parts per capture, each hashing to its name, together the full catalog
    // (1,200+ indexes, columns, FK pairs); post shares with pre every part the migration did not change.
    const refs = snapshotFileRefs(record);
    assert.deepEqual(
      refs.map((r) => r.field),
      ['pre', 'post'],
    );
    const details = [];
    for (const { ref } of refs) {
      const path = join(f.ws.recordsDir, snapshotFilePath(ref));
      const bytes = readFileSync(path);
      assert.equal(sha256(bytes), ref.sha256, `${path} hashes to its name`);
      assert.equal(bytes.length, ref.bytes);
      const detail = await readSnapshotDetail(f.ws.recordsDir, ref);
      assert.ok(detail, 'the tree reads back whole');
      assert.ok(detail.indexes.length >= 1200, `${detail.indexes.length} indexes in the full snapshot`);
      assert.ok((detail.columns ?? []).some((c) => c.schema === 'billing' && c.table === 't_001' && c.name === 'created_at' && c.default === 'now()'));
      details.push(detail);
    }
    const fk = details[1]!.foreignKeys.find((k) => k.table === 'achievements');
    assert.deepEqual(fk?.references, { schema: 'public', name: 'players' }, 'a foreign key names its table as a (schema, name) pair');
    const prePaths = new Set(await snapshotPathsOf(f.ws.recordsDir, { pre: record.pre, post: null, rollback: null }));
    const postPaths = await snapshotPathsOf(f.ws.recordsDir, { pre: record.post, post: null, rollback: null });
    const postOnly = postPaths.filter((p) => !prePaths.has(p));
    t.diagnostic(`300-table record: MDX ${Buffer.byteLength(source)} bytes; pre's tree ${prePaths.size} files, post adds ${postOnly.length}`);
    assert.ok(prePaths.size > 300, `${prePaths.size} files in pre's tree (a part per table)`);
    // The root, the catalog, the bucket of the new table (or two), its part, the last migration chunk.
    assert.ok(postOnly.length <= 8, `post adds ${postOnly.length} files: ${postOnly.map((p) => p.split('/').pop()).join(', ')}`);
    assert.ok(Buffer.byteLength(source) < 28_000, `compact MDX is ${Buffer.byteLength(source)} bytes`);

    // Post and backup list only what differs from pre, tuples carry no sizes: under 28 kB (every table listed twice, with sizes, was 35-40 kB).
    assert.equal((record.post as CompactSnapshot).countsFrom, 'pre');
    const listedInPost = (record.post as CompactSnapshot).tables.flatMap((g) => g.tables.map(([name]) => `${g.schema}.${name}`));
    assert.ok(listedInPost.includes('public.achievements') && listedInPost.length < 20, `post lists only what moved: ${listedInPost.join(', ')}`);

    // Committed together: the run's commit holds the record and every file of its trees, and nothing is left over.
    const git = simpleGit(f.ws.dir);
    const tracked = new Set((await git.raw(['ls-files', '--full-name', 'content/records'])).trim().split('\n'));
    const top = (await git.revparse(['--show-toplevel'])).trim();
    for (const path of [...prePaths, ...postPaths]) assert.ok(tracked.has(relative(top, path)), `${path} committed`);
    assert.ok([...tracked].some((p) => p.endsWith('.mdx')));
    assert.equal((await git.status()).files.length, 0, 'nothing uncommitted');

    // verify: clean; then an edited byte deep in the tree (the part of one table, shared by pre and post); then a missing root.
    const clean = await f.cli(['verify']);
    assert.equal(clean.code, 0, clean.stdout + clean.stderr);
    const tablePart = [...prePaths].find(
      (p) => p.endsWith('.snapshot-table.json') && readFileSync(p, 'utf8').includes('"name":"t_010","part":"table","partitions":[],"schema":"billing"'),
    );
    assert.ok(tablePart, 'the part of billing.t_010');
    const original = readFileSync(tablePart);
    const edited = Buffer.from(original);
    const at = edited.indexOf('USING btree (account_id)');
    assert.ok(at > 0);
    edited[at + 6] = 'B'.charCodeAt(0);
    writeFileSync(tablePart, edited);
    const afterEdit = await f.cli(['verify']);
    assert.equal(afterEdit.code, 1, afterEdit.stdout);
    const partName = tablePart.split('/').pop()!.replace(/\./g, '\\.');
    assert.match(afterEdit.stdout, new RegExp(`SNAPSHOT\\s+${record.id}: the pre snapshot file \\S*${partName} was edited`));
    assert.match(afterEdit.stdout, new RegExp(`SNAPSHOT\\s+${record.id}: the post snapshot file \\S*${partName} was edited`));
    writeFileSync(tablePart, original);
    rmSync(join(f.ws.recordsDir, snapshotFilePath(refs[0]!.ref)));
    const afterDelete = await f.cli(['verify', '--json']);
    assert.equal(afterDelete.code, 1);
    const findings = JSON.parse(afterDelete.stdout).findings as Array<{ kind: string; record: string; detail: string }>;
    assert.deepEqual(
      findings.map((x) => [x.kind, x.record]),
      [['snapshot', record.id]],
    );
    assert.match(findings[0]!.detail, new RegExp(`pre snapshot file .*${refs[0]!.ref.sha256}\\S*\\.json is missing`));
    assert.ok(existsSync(file));
  });

  it('records with full snapshots inline (version 1, and version 2 filed before) still parse and verify clean beside compact ones', async (t) => {
    const f = await makeRunFixture(t, { commit: false });
    await addMigration(f.ws, '20251201090000_add_achievements');
    assert.equal((await f.run()).code, 0);
    const v1 = makeRecord({ id: '2026-01-01-add-players-legacy', environment: 'legacy' });
    writeRecordFiles(f.ws.recordsDir, [{ record: v1 }]);
    const text = readFileSync(join(f.ws.recordsDir, `${v1.id}.mdx`), 'utf8');
    const parsed = parseRecordFile(text, `${v1.id}.mdx`);
    assert.ok(parsed.ok);
    assert.ok(!isCompactSnapshot(parsed.value.record.pre));
    assert.equal(renderRecordFile(parsed.value.record), renderRecordFile(v1), 'a full-form record renders as it was filed');
    const verify = await f.cli(['verify']);
    assert.equal(verify.code, 0, verify.stdout + verify.stderr);
    assert.match(verify.stdout, /ok: 2 record\(s\) intact/);
  });
});
