// The snapshot files on disk: a tree of parts and the single file records filed before it, read back, walked by
// verify (a missing or edited part deep in the tree is named), listed for the commit, and repaired by a later filing.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import { readSnapshotDetail, snapshotPathsOf, snapshotTreeState, writeSnapshotFiles } from '../../../src/adapters/fs/snapshot-store.ts';
import { compactSnapshot } from '../../../src/core/record/compact-snapshot.ts';
import { detailOfWhole, snapshotParts, wholeSnapshotFile } from '../../../src/core/record/snapshot-files.ts';
import type { Snapshot } from '../../../src/schemas/snapshot.ts';
import { makeIndex, makeMigration, makeSnapshot } from '../../helpers/synthetic.ts';

const snapshot: Snapshot = {
  ...makeSnapshot({ tables: { players: 10, matches: 3 }, indexes: [makeIndex('players', 'players_pkey')], migrations: [makeMigration('20260101000000_init')] }),
  writeMarks: [{ schema: 'public', name: 'players', idColumn: 'id', maxId: '10' }],
};

function folder(t: TestContext): string {
  const dir = mkdtempSync(join(tmpdir(), 'logbook-snapshots-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

describe('snapshot files on disk', () => {
  it('a single file as records filed before the tree have: read back with its values, an edited byte found', async (t) => {
    const dir = folder(t);
    const file = wholeSnapshotFile(snapshot);
    await writeSnapshotFiles(dir, [file]);
    assert.deepEqual(await snapshotTreeState(dir, file.ref), { state: 'ok' });
    const detail = await readSnapshotDetail(dir, file.ref);
    assert.deepEqual(detail, detailOfWhole(snapshot));
    assert.equal(detail?.writeMarks[0]?.maxId, '10', 'an older file keeps the values themselves');
    assert.equal(detail?.markPrints, false);

    const path = join(dir, file.path);
    writeFileSync(path, readFileSync(path, 'utf8').replace('"rows":10', '"rows":11'));
    assert.deepEqual(await snapshotTreeState(dir, file.ref), { state: 'edited', path: file.path });
    assert.equal(await readSnapshotDetail(dir, file.ref), null);
  });

  it('a tree: a missing or edited part deep in it is named, the commit lists what exists, a later filing repairs it', async (t) => {
    const dir = folder(t);
    const { ref, files } = snapshotParts(snapshot);
    await writeSnapshotFiles(dir, [...files, ...files]);
    assert.deepEqual(await snapshotTreeState(dir, ref), { state: 'ok' });
    assert.ok(await readSnapshotDetail(dir, ref));
    const record = { pre: compactSnapshot(snapshot).compact, post: null, rollback: null };
    assert.deepEqual((await snapshotPathsOf(dir, record)).sort(), [...new Set(files.map((f) => join(dir, f.path)))].sort());

    const table = files.find((f) => f.kind === 'table' && f.text.includes('"name":"players"'))!;
    writeFileSync(join(dir, table.path), table.text.replace('players_pkey', 'players_pkez'));
    assert.deepEqual(await snapshotTreeState(dir, ref), { state: 'edited', path: table.path });
    assert.equal(await readSnapshotDetail(dir, ref), null, 'an edited part makes the whole snapshot unreadable, not silently different');

    rmSync(join(dir, table.path));
    assert.deepEqual(await snapshotTreeState(dir, ref), { state: 'missing', path: table.path });
    assert.equal((await snapshotPathsOf(dir, record)).length, new Set(files.map((f) => f.path)).size - 1, 'the commit lists the parts that exist');

    // Filing a record that needs the same part writes it again.
    await writeSnapshotFiles(dir, files);
    assert.deepEqual(await snapshotTreeState(dir, ref), { state: 'ok' });
    assert.equal(readFileSync(join(dir, table.path), 'utf8'), table.text);
  });

  it('a part that is not a plain file (a link, even to the right bytes, a folder, a device) is named, never followed or read', async (t) => {
    const dir = folder(t);
    const outside = folder(t);
    const { ref, files } = snapshotParts(snapshot);
    await writeSnapshotFiles(dir, files);
    const record = { pre: compactSnapshot(snapshot).compact, post: null, rollback: null };
    const table = files.find((f) => f.kind === 'table')!;
    // git stores a link as a link: the right bytes outside the records folder are not in the repository.
    writeFileSync(join(outside, 'part.json'), table.text);
    rmSync(join(dir, table.path));
    symlinkSync(join(outside, 'part.json'), join(dir, table.path));
    assert.deepEqual(await snapshotTreeState(dir, ref), { state: 'not-a-file', path: table.path });
    assert.equal(await readSnapshotDetail(dir, ref), null);
    assert.ok((await snapshotPathsOf(dir, record)).includes(join(dir, table.path)), 'the link is listed for the commit as it is');

    rmSync(join(dir, table.path));
    mkdirSync(join(dir, table.path));
    assert.deepEqual(await snapshotTreeState(dir, ref, new Map()), { state: 'not-a-file', path: table.path });
    rmSync(join(dir, table.path), { recursive: true });

    // A link to an endless device: reading it would never end (or fill memory). Filing the same part replaces the link.
    symlinkSync('/dev/zero', join(dir, table.path));
    assert.deepEqual(await snapshotTreeState(dir, ref, new Map()), { state: 'not-a-file', path: table.path });
    await writeSnapshotFiles(dir, files);
    assert.deepEqual(await snapshotTreeState(dir, ref, new Map()), { state: 'ok' });
    assert.equal(readFileSync(join(dir, table.path), 'utf8'), table.text);
  });

  it('a folder of parts replaced by a link (to a copy of the right parts elsewhere) is named, never followed', async (t) => {
    const dir = folder(t);
    const outside = folder(t);
    const { ref, files } = snapshotParts(snapshot);
    await writeSnapshotFiles(dir, files);
    await writeSnapshotFiles(outside, files);
    const table = files.find((f) => f.kind === 'table')!;
    const sub = dirname(table.path);
    rmSync(join(dir, sub), { recursive: true });
    symlinkSync(join(outside, sub), join(dir, sub));
    const found = await snapshotTreeState(dir, ref);
    assert.ok(found.state === 'not-a-file', found.state);
    assert.equal(dirname(found.path), sub, 'the first part found under the link is named');
    assert.equal(await readSnapshotDetail(dir, ref), null);

    // The whole folder as a link: the repository would hold none of the parts.
    const whole = folder(t);
    symlinkSync(join(outside, '_snapshots'), join(whole, '_snapshots'));
    assert.deepEqual(await snapshotTreeState(whole, ref), { state: 'not-a-file', path: files[0]!.path });
  });

  it('a root shared by two records, one of which names it with a wrong size, is named edited for that record only', async (t) => {
    const dir = folder(t);
    const { ref, files } = snapshotParts(snapshot);
    await writeSnapshotFiles(dir, files);
    // Two captures with the same structure and marks share a root; a hand edit of one record's size must not
    // make verify say the other record's (untouched) file was edited.
    const seen = new Map();
    assert.deepEqual(await snapshotTreeState(dir, { ...ref, bytes: ref.bytes + 1 }, seen), { state: 'edited', path: files[0]!.path });
    assert.deepEqual(await snapshotTreeState(dir, ref, seen), { state: 'ok' });
  });

  it('parts shared by many records are hashed once per walk', async (t) => {
    const dir = folder(t);
    const { ref, files } = snapshotParts(snapshot);
    await writeSnapshotFiles(dir, files);
    const seen = new Map();
    await snapshotTreeState(dir, ref, seen);
    const walked = seen.size;
    const other = snapshotParts({ ...snapshot, writeMarks: [{ ...snapshot.writeMarks![0]!, maxId: '11' }] });
    await writeSnapshotFiles(dir, other.files);
    assert.notEqual(other.ref.sha256, ref.sha256, 'a moved write mark makes a new root');
    await snapshotTreeState(dir, other.ref, seen);
    assert.equal(seen.size, walked + 1, 'only the new root is read: every part below it was already checked');
  });
});
