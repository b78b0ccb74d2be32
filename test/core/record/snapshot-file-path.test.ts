// Snapshot file names: content-addressed, and ending alike so git's packer tries consecutive snapshots as deltas
// of each other (it groups delta candidates by the last 16 characters of a path).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { snapshotFilePath } from '../../../src/core/record/snapshot-files.ts';

describe('snapshot file paths', () => {
  const a = `${'a'.repeat(63)}1`;
  const b = `b${'0'.repeat(62)}2`;

  it('name the file by its sha256, under a folder of its first two hex digits', () => {
    assert.ok(snapshotFilePath(a).startsWith(`_snapshots/aa/${a}`));
    assert.notEqual(snapshotFilePath(a), snapshotFilePath(b));
  });

  it('end in the same 16 characters whatever the hash, so git deltas them against each other', () => {
    assert.equal(snapshotFilePath(a).slice(-16), snapshotFilePath(b).slice(-16));
    assert.ok(snapshotFilePath(a).endsWith('.json'));
  });
});
