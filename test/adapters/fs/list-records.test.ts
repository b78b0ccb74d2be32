// The records lister on a real folder: ids across the tree in order, links never followed, a missing folder empty.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import { glob } from 'tinyglobby';
import { listRecordTree, newRecordFile, resolveRecordFile } from '../../../src/adapters/fs/list-records.ts';
import { recordGlobPatterns } from '../../../src/core/record/record-layout.ts';

function folder(t: TestContext): string {
  const dir = mkdtempSync(join(tmpdir(), 'logbook-lister-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function touch(dir: string, path: string): void {
  mkdirSync(join(dir, path, '..'), { recursive: true });
  writeFileSync(join(dir, path), '');
}

describe('listRecordTree', () => {
  it('lists top-level and dated records in id order, whichever folder holds them', (t) => {
    const dir = folder(t);
    for (const path of ['2026/02/2026-02-01-b-prod.mdx', '2026-01-15-a-prod.mdx', '2025/12/2025-12-31-z-prod.mdx', '2026/01/2026-01-20-c-prod.mdx'])
      touch(dir, path);
    const tree = listRecordTree(dir);
    assert.deepEqual(
      tree.records.map((r) => r.path),
      ['2025/12/2025-12-31-z-prod.mdx', '2026-01-15-a-prod.mdx', '2026/01/2026-01-20-c-prod.mdx', '2026/02/2026-02-01-b-prod.mdx'],
    );
    assert.deepEqual([tree.strays, tree.duplicates], [[], []]);
    assert.equal(resolveRecordFile(dir, '2026-01-20-c-prod'), join(dir, '2026', '01', '2026-01-20-c-prod.mdx'));
    assert.equal(newRecordFile(dir, 'x', '2026-03-31T23:59:59-02:00'), join(dir, '2026', '04', 'x.mdx'));
  });

  it('never follows a link out of the records folder: a linked folder or file is a stray', (t) => {
    const dir = folder(t);
    const outside = folder(t);
    touch(outside, '01/2026-01-01-secret-prod.mdx');
    touch(outside, 'elsewhere.mdx');
    symlinkSync(outside, join(dir, '2026'));
    symlinkSync(join(outside, 'elsewhere.mdx'), join(dir, '2026-01-02-linked-prod.mdx'));
    const tree = listRecordTree(dir);
    assert.deepEqual(tree.records, []);
    assert.deepEqual(
      tree.strays.map((s) => s.path),
      ['2026', '2026-01-02-linked-prod.mdx'],
    );
    assert.throws(() => resolveRecordFile(dir, '2026-01-01-secret-prod'), /no record "2026-01-01-secret-prod"/);
    assert.throws(() => resolveRecordFile(dir, '../elsewhere'), /is not a record id/);
  });

  it("the layout's glob patterns (for Astro's glob loader, which uses tinyglobby) select exactly the lister's records", async (t) => {
    const dir = folder(t);
    const paths = [
      '2026-01-15-a-prod.mdx',
      '2026/01/2026-01-20-c-prod.mdx',
      'notes.md',
      '2026/x.mdx',
      'old/2026-01-01-o-prod.mdx',
      '_snapshots/ab.json',
      '2026/13/y.mdx',
    ];
    for (const path of paths) touch(dir, path);
    const globbed = (await glob(recordGlobPatterns(), { cwd: dir })).sort();
    assert.deepEqual(
      globbed,
      listRecordTree(dir).records.map((r) => r.path),
    );
  });

  it('a missing records folder is an empty tree', (t) => {
    assert.deepEqual(listRecordTree(join(folder(t), 'nope')), { records: [], strays: [], duplicates: [] });
  });
});
