// The records layout rule: where a new record goes, which paths hold records, and that an id never leaves its folder.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { classifyEntry, datedFolder, newRecordPath, recordIdOfPath } from '../../../src/core/record/record-layout.ts';

describe('the records layout', () => {
  it('files by the UTC month of the start, whatever the offset it was written with', () => {
    assert.equal(datedFolder('2026-11-30T23:30:00-05:00'), '2026/12');
    assert.equal(datedFolder('2027-01-01T00:30:00+01:00'), '2026/12');
    assert.equal(newRecordPath('2026-03-02-add-x-production', '2026-03-02T10:00:00.000Z'), '2026/03/2026-03-02-add-x-production.mdx');
    assert.throws(() => datedFolder('yesterday'), /not a timestamp/);
  });

  it('refuses ids that could leave their folder', () => {
    for (const id of ['../x', 'a/b', '..', 'a..b', '', '.hidden', 'Upper', 'a\\b', 'a\nb'])
      assert.throws(() => newRecordPath(id, '2026-01-01T00:00:00Z'), /not a record id/, id);
  });

  it('reads the id of a record path: top level and YYYY/MM only', () => {
    assert.equal(recordIdOfPath('2026-01-01-a-production.mdx'), '2026-01-01-a-production');
    assert.equal(recordIdOfPath('2026/01/2026-01-01-a-production.mdx'), '2026-01-01-a-production');
    for (const path of [
      '2026/2026-01-01-a.mdx', // directly in a year folder
      '2026/13/a.mdx', // no month 13
      '2026/01/02/a.mdx', // too deep
      '_snapshots/a.mdx',
      'old/a.mdx',
      '2026/01/a.md',
      '../a.mdx',
      '2026/01/.a.mdx.1234.tmp',
      'Upper.mdx',
    ])
      assert.equal(recordIdOfPath(path), null, path);
  });

  it('ignores the snapshot store and dot files, and names every other entry that is not a record', () => {
    assert.equal(classifyEntry([], '_snapshots', 'folder').kind, 'ignored');
    assert.equal(classifyEntry(['2026'], '_snapshots', 'folder').kind, 'stray');
    assert.equal(classifyEntry([], '.gitkeep', 'file').kind, 'ignored');
    assert.equal(classifyEntry([], 'a.mdx', 'other').kind, 'stray', 'a link is not followed');
    assert.deepEqual(classifyEntry(['2026', '01'], 'a.mdx', 'file'), { kind: 'record', id: 'a' });
    assert.match((classifyEntry([], 'notes.md', 'file') as { reason: string }).reason, /records are \.mdx files/);
  });
});
