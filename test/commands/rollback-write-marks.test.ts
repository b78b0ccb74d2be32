// Writes since the migration that keep every count equal (an UPDATE, an insert plus a delete) are still found,
// by the largest integer id and the last-modified time the record captured, and need --accept-data-loss.
import assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { readSnapshotDetail } from '../../src/adapters/fs/snapshot-store.ts';
import { markPrint, snapshotFilePath } from '../../src/core/record/snapshot-files.ts';
import { isCompactSnapshot } from '../../src/core/record/snapshot-access.ts';
import { fingerprint } from '../helpers/database-equivalence.ts';
import { sql } from '../helpers/postgres.ts';
import { migratedFixture, newestRecord, siblingDatabases } from '../helpers/rollback-fixture.ts';

const SETUP = `CREATE TABLE notes (id bigint PRIMARY KEY, body text, updated_at timestamptz NOT NULL DEFAULT now());
  CREATE INDEX notes_updated ON notes (updated_at);
  INSERT INTO notes (id, body, updated_at) SELECT g, 'n' || g, '2026-01-01'::timestamptz + g * interval '1 minute' FROM generate_series(1, 20) g;
  CREATE TABLE tags (id int PRIMARY KEY, label text); INSERT INTO tags SELECT g, 't' || g FROM generate_series(1, 5) g;`;

describe('writes since the migration beyond counts', () => {
  it('an UPDATE (last modified) and an insert plus a delete (max id) with equal counts are refused without --accept-data-loss, and recorded with it', async (t) => {
    const { f, file, record } = await migratedFixture(t, 'CREATE TABLE teams (id int PRIMARY KEY);', { setup: SETUP });
    // A compact record keeps its write marks in the full snapshot file, not in the MDX.
    assert.ok(record.post && isCompactSnapshot(record.post));
    assert.ok(!('writeMarks' in record.post), 'the MDX does not carry write marks');
    const marks = (await readSnapshotDetail(f.ws.recordsDir, record.post.full))?.writeMarks ?? [];
    assert.deepEqual(
      marks.filter((m) => m.name === 'notes').map((m) => [m.idColumn, m.maxId, m.modifiedColumn]),
      [['id', markPrint('20'), 'updated_at']],
      'the post snapshot captured the largest id and the last-modified time (as fingerprints of their values)',
    );
    await sql(f.url, "UPDATE notes SET body = 'edited', updated_at = '2027-01-01' WHERE id = 3");
    await sql(f.url, "INSERT INTO tags VALUES (6, 'new'); DELETE FROM tags WHERE id = 1");
    const source = readFileSync(file, 'utf8');
    const before = await fingerprint(f.url);

    const refused = await f.cli(['rollback', '--record', record.id, '--yes']);
    assert.equal(refused.code, 10, refused.stderr);
    assert.match(refused.stderr, /2 table\(s\) changed since the migration/);
    assert.match(refused.stderr, /\("public", "notes"\): 20 rows after the migration, 20 now \(changed: last-modified time\)/);
    assert.match(refused.stderr, /\("public", "tags"\): 5 rows after the migration, 5 now \(changed: largest id\)/);
    assert.match(refused.stderr, /--accept-data-loss/);
    assert.deepEqual(await fingerprint(f.url), before, 'nothing changed');
    assert.equal(readFileSync(file, 'utf8'), source);
    assert.deepEqual(await siblingDatabases(f), []);

    const rolled = await f.cli(['rollback', '--record', record.id, '--yes', '--accept-data-loss']);
    assert.equal(rolled.code, 0, rolled.stderr);
    const accepted = newestRecord(f).record.rollback!.dataLossAccepted!;
    assert.deepEqual(
      accepted.map((w) => [w.name, w.why]),
      [
        ['notes', ['last modified']],
        ['tags', ['max id']],
      ],
    );
  });

  it('a post snapshot file that is missing is a refusal, not a rollback that compares counts only and misses an UPDATE', async (t) => {
    const { f, file, record } = await migratedFixture(t, 'CREATE TABLE teams (id int PRIMARY KEY);', { setup: SETUP });
    assert.ok(record.post && isCompactSnapshot(record.post));
    // Counts stay equal: only the write marks (in the snapshot files) can tell this UPDATE happened.
    await sql(f.url, "UPDATE notes SET body = 'edited', updated_at = '2027-01-01' WHERE id = 3");
    const root = snapshotFilePath(record.post.full);
    rmSync(join(f.ws.recordsDir, root));
    const source = readFileSync(file, 'utf8');
    const before = await fingerprint(f.url);

    const refused = await f.cli(['rollback', '--record', record.id, '--yes']);
    assert.equal(refused.code, 10, refused.stderr);
    assert.match(refused.stderr, /the post snapshot file .*snapshot-root\.json is missing/);
    assert.match(refused.stderr, /writes that keep the row counts equal cannot be told/);
    assert.match(refused.stderr, /--accept-data-loss/);
    assert.deepEqual(await fingerprint(f.url), before, 'nothing changed');
    assert.equal(readFileSync(file, 'utf8'), source);
    assert.deepEqual(await siblingDatabases(f), []);

    // Accepted: the rollback goes ahead and says what it could not check.
    const rolled = await f.cli(['rollback', '--record', record.id, '--yes', '--accept-data-loss']);
    assert.equal(rolled.code, 0, rolled.stderr);
    assert.match(rolled.stderr, /is missing, so writes that keep the row counts equal cannot be told/);
  });
});
