// Compact records around a real migration on a 300-table database: the MDX keeps counts and the schema
// changes, the full snapshots live in content-addressed files beside it, and verify re-hashes those files.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { simpleGit } from 'simple-git';
import { addMigration } from '../../scripts/demo/workspace.ts';
import { recordFiles } from '../../src/adapters/fs/list-records.ts';
import { parseRecordFile } from '../../src/core/record/parse-record.ts';
import { renderRecordFile } from '../../src/core/record/render-record.ts';
import { isCompactSnapshot, postTableCounts, recordDiff, snapshotFileRefs } from '../../src/core/record/snapshot-access.ts';
import { snapshotFilePath } from '../../src/core/record/snapshot-files.ts';
import type { CompactSnapshot } from '../../src/schemas/compact-snapshot.ts';
import type { MigrationRecord } from '../../src/schemas/record.ts';
import { type Snapshot, snapshotSchema } from '../../src/schemas/snapshot.ts';
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

    // The snapshot files: there, hashing to their names, each the full catalog (1,200+ indexes, columns, FK pairs).
    const refs = snapshotFileRefs(record);
    assert.deepEqual(
      refs.map((r) => r.field),
      ['pre', 'post'],
    );
    const fulls: Snapshot[] = [];
    for (const { ref } of refs) {
      const path = join(f.ws.recordsDir, snapshotFilePath(ref.sha256));
      const bytes = readFileSync(path);
      assert.equal(sha256(bytes), ref.sha256, `${path} hashes to its name`);
      assert.equal(bytes.length, ref.bytes);
      const full = snapshotSchema.parse(JSON.parse(bytes.toString('utf8')));
      assert.ok(full.indexes.length >= 1200, `${full.indexes.length} indexes in the full snapshot`);
      assert.ok((full.columns ?? []).some((c) => c.schema === 'billing' && c.table === 't_001' && c.name === 'created_at' && c.default === 'now()'));
      fulls.push(full);
    }
    const fk = fulls[1]!.foreignKeys.find((k) => k.table === 'achievements');
    assert.deepEqual(fk?.references, { schema: 'public', name: 'players' }, 'a foreign key names its table as a (schema, name) pair');

    // Size: the same record with both full snapshots inline (the old format) is many times larger.
    const { changes: _changes, ...rest } = record;
    const inline = renderRecordFile({ ...rest, pre: fulls[0]!, post: fulls[1]! } as MigrationRecord);
    const compactBytes = Buffer.byteLength(source);
    const inlineBytes = Buffer.byteLength(inline);
    t.diagnostic(
      `300-table record: compact MDX ${compactBytes} bytes (+ snapshot files ${refs.map((r) => r.ref.bytes).join(' + ')}), inline ${inlineBytes} bytes`,
    );
    // Post and backup list only what differs from pre, tuples carry no sizes: under 28 kB (every table listed twice, with sizes, was 35-40 kB).
    assert.ok(compactBytes < 28_000, `compact MDX is ${compactBytes} bytes`);
    assert.ok(inlineBytes > 28_000, `the old inline form (${inlineBytes} bytes) would fail the same bound`);
    assert.equal((record.post as CompactSnapshot).countsFrom, 'pre');
    const listedInPost = (record.post as CompactSnapshot).tables.flatMap((g) => g.tables.map(([name]) => `${g.schema}.${name}`));
    assert.ok(listedInPost.includes('public.achievements') && listedInPost.length < 20, `post lists only what moved: ${listedInPost.join(', ')}`);
    assert.ok(compactBytes * 8 < inlineBytes);

    // Committed together: the run's commit holds the record and its snapshot files, and nothing is left over.
    const git = simpleGit(f.ws.dir);
    const tracked = (await git.raw(['ls-files', 'content/records'])).trim().split('\n');
    for (const { ref } of refs) assert.ok(tracked.includes(`content/records/${snapshotFilePath(ref.sha256)}`), `${ref.sha256} committed`);
    assert.ok(tracked.some((p) => p.endsWith('.mdx')));
    assert.equal((await git.status()).files.length, 0, 'nothing uncommitted');

    // verify: clean, then an edited byte in a snapshot file, then a missing one, each named.
    const clean = await f.cli(['verify']);
    assert.equal(clean.code, 0, clean.stdout + clean.stderr);
    const postPath = join(f.ws.recordsDir, snapshotFilePath(refs[1]!.ref.sha256));
    const original = readFileSync(postPath);
    const edited = Buffer.from(original);
    const at = edited.indexOf('"rows":30');
    assert.ok(at > 0);
    edited[at + 8] = '1'.charCodeAt(0);
    writeFileSync(postPath, edited);
    const afterEdit = await f.cli(['verify']);
    assert.equal(afterEdit.code, 1, afterEdit.stdout);
    assert.match(afterEdit.stdout, new RegExp(`SNAPSHOT\\s+${record.id}: the post snapshot file \\S*${refs[1]!.ref.sha256}\\S*\\.json was edited`));
    writeFileSync(postPath, original);
    rmSync(join(f.ws.recordsDir, snapshotFilePath(refs[0]!.ref.sha256)));
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
