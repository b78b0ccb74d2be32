// Rollback's "is this the record's database?": the server's system identifier where the record has one, and
// host, port and database name always (the only facts records filed before the identifier have).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { targetDifferences } from '../../../src/core/record/rollback-preconditions.ts';

const url = 'postgresql://app:***@db.internal:5432/game';
const record = (systemIdentifier?: string) => ({ database: { url, name: 'game', ...(systemIdentifier ? { systemIdentifier } : {}) } });

describe('target differences', () => {
  it('finds none for the same server and database', () => {
    assert.deepEqual(targetDifferences(record('7311'), 'postgresql://app:secret@db.internal:5432/game', '7311'), []);
  });

  it('names another server behind the same host, port and name', () => {
    const found = targetDifferences(record('7311'), 'postgresql://app:secret@db.internal:5432/game', '9999');
    assert.equal(found.length, 1);
    assert.match(found[0]!, /system identifier 9999 is not the record's 7311 \(another server\)/);
  });

  it('falls back to host, port and name for a record without an identifier or a role that may not read it', () => {
    assert.deepEqual(targetDifferences(record(), 'postgresql://app:secret@db.internal:5432/game', '9999'), []);
    assert.deepEqual(targetDifferences(record('7311'), 'postgresql://app:secret@db.internal:5432/game', null), []);
    assert.match(targetDifferences(record(), 'postgresql://app:secret@db.other:5432/game', null).join(';'), /host db\.other is not the record's db\.internal/);
  });
});
