// The site benchmark's records (scripts/bench/realistic-records.ts) are real records: the product's reader accepts
// every one, every digest and every environment's chain verifies, and they have the shape the benchmark claims.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type FiledRecord, fileRealisticHistory, fileRealisticHistoryInParallel, type HistoryShape } from '../../scripts/bench/realistic-records.ts';
import { readAllRecords, type StoredRecord } from '../../src/adapters/fs/record-store.ts';
import { checkChains, checkRecordDigest } from '../../src/core/record/digest.ts';
import { backupCounts } from '../../src/core/record/snapshot-access.ts';

describe('the site benchmark files realistic records', () => {
  let dir: string;
  let filed: FiledRecord[];
  let shape: HistoryShape;
  let stored: StoredRecord[];

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'logbook-realistic-'));
    ({ filed, shape } = await fileRealisticHistory(24, dir, { seed: 7 }));
    stored = await readAllRecords(dir, { checkBody: true });
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('writes one valid record per run, each intact, in unbroken chains', () => {
    assert.equal(stored.length, 24);
    assert.deepEqual(stored.map((s) => s.record.id).sort(), filed.map((f) => f.id).sort());
    assert.deepEqual(stored.map((s) => checkRecordDigest(s.record)).filter(Boolean), []);
    assert.deepEqual(checkChains(stored.map((s) => s.record)), []);
    assert.ok(stored.every((s) => s.record.schemaVersion === 2 && s.record.integrity.seq !== undefined));
  });

  it('files the same bytes when two processes share the chains', async () => {
    const parallel = mkdtempSync(join(tmpdir(), 'logbook-realistic-parallel-'));
    try {
      const result = await fileRealisticHistoryInParallel(24, parallel, 2, () => {}, 7);
      assert.deepEqual(
        result.filed.map((f) => f.id),
        filed.map((f) => f.id),
      );
      const files = (root: string) =>
        (readdirSync(root, { recursive: true, withFileTypes: true }) as import('node:fs').Dirent[])
          .filter((d) => d.isFile())
          .map((d) => join(d.parentPath, d.name).slice(root.length))
          .sort();
      assert.deepEqual(files(parallel), files(dir));
      for (const path of files(dir)) assert.equal(readFileSync(join(parallel, path), 'utf8'), readFileSync(join(dir, path), 'utf8'), path);
      assert.ok(
        files(dir).some((p) => p.includes('_snapshots')),
        'compact records reference snapshot files',
      );
    } finally {
      rmSync(parallel, { recursive: true, force: true });
    }
  });

  it('has the production-sized schema and the variety the benchmark reports', () => {
    assert.ok(shape.tables >= 300 && shape.schemas >= 5 && shape.partitioned > 0 && shape.indexes >= 1200 && shape.prismaMigrations === 400);
    assert.ok(new Set(filed.map((f) => f.environment)).size >= 3);
    assert.ok(new Set(filed.map((f) => f.status)).size >= 2, JSON.stringify(shape.statuses));
    assert.ok(new Set(stored.map((s) => s.record.performedBy.name)).size >= 4);
    assert.ok(stored.some((s) => s.record.lint.length > 0));
    assert.ok(stored.some((s) => s.record.checks.length > 0));
    const rows = stored.flatMap((s) => backupCounts(s.record).map((t) => t.rows));
    assert.ok(Math.min(...rows) === 0 && Math.max(...rows) > 100_000_000, 'row counts from zero to hundreds of millions');
  });
});
