import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { canonicalJson, checkChains, checkRecordDigest, computeIntegrity } from '../../../src/core/record/digest.ts';
import type { MigrationRecord } from '../../../src/schemas/record.ts';
import type { Snapshot } from '../../../src/schemas/snapshot.ts';
import { makeRecord, makeSnapshot } from '../../helpers/synthetic.ts';

function chain(count: number, environment = 'production'): MigrationRecord[] {
  const records: MigrationRecord[] = [];
  for (let i = 0; i < count; i++) {
    const day = String(i + 1).padStart(2, '0');
    records.push(
      makeRecord(
        { id: `2026-01-${day}-m${i}-${environment}`, environment, startedAt: `2026-01-${day}T10:00:00.000Z` },
        records.at(-1)?.integrity.digest ?? null,
      ),
    );
  }
  return records;
}

describe('record digests', () => {
  it('canonical JSON ignores key order and undefined', () => {
    assert.equal(canonicalJson({ b: 1, a: [1, { d: undefined, c: 'x' }] }), canonicalJson({ a: [1, { c: 'x' }], b: 1 }));
  });

  it('an untouched record is intact; an edited row count names its section', () => {
    const record = makeRecord();
    assert.equal(checkRecordDigest(record), null);
    const edited = structuredClone(record);
    (edited.post as Snapshot).tables[0]!.rows += 1;
    assert.deepEqual(checkRecordDigest(edited)?.editedSections, ['post']);
  });

  it('human-editable fields are outside the digest', () => {
    const record = makeRecord();
    const edited = { ...record, outcome: { ...record.outcome, performanceImpact: 'minor' as const } };
    assert.equal(checkRecordDigest(edited), null);
  });

  it('a rollback keeps the filed digest and is itself protected', () => {
    const record = makeRecord();
    const { integrity, ...facts } = record;
    const rolledBack = {
      ...facts,
      status: 'rolled-back' as const,
      rollback: {
        statusBefore: 'success' as const,
        startedAt: '2026-01-02T00:00:00.000Z',
        finishedAt: '2026-01-02T00:01:00.000Z',
        durationMs: 60_000,
        backupPath: '/backups/b',
        backupSha256: 'f'.repeat(64),
        performedBy: { name: 'Ada' },
        after: makeSnapshot({ tables: { players: 100 } }),
        matchesBackup: true,
      },
    };
    const withRollback = { ...rolledBack, integrity: computeIntegrity(rolledBack, integrity.previous) };
    assert.equal(withRollback.integrity.digest, integrity.digest);
    assert.equal(checkRecordDigest(withRollback), null);
    const tampered = structuredClone(withRollback);
    tampered.rollback.matchesBackup = false;
    assert.equal(checkRecordDigest(tampered)?.rollbackEdited, true);
  });

  it('an intact chain has no problems; a deleted record and a fork are reported', () => {
    const records = chain(4);
    assert.deepEqual(checkChains([...records, ...chain(2, 'staging')]), []);
    const missing = checkChains(records.filter((_, i) => i !== 1));
    assert.equal(missing.length, 1);
    assert.equal(missing[0]?.kind, 'missing');
    assert.equal(missing[0]?.kind === 'missing' && missing[0].before, records[2]!.id);
    const fork = makeRecord({ id: '2026-01-09-fork-production', startedAt: '2026-01-09T00:00:00.000Z' }, records[1]!.integrity.digest);
    assert.deepEqual(
      checkChains([...records, fork]).map((p) => p.kind),
      ['fork'],
    );
  });
});
