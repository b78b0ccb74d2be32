import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkChains } from '../../../src/core/record/chain.ts';
import { checkRecordDigest, computeIntegrity, integrityWithRollback, positionedDigest, rollbackEventDigest } from '../../../src/core/record/digest.ts';
import { checkAgainstLedger } from '../../../src/core/record/ledger-check.ts';
import type { MigrationRecord } from '../../../src/schemas/record.ts';
import { parseRecordFile } from '../../../src/core/record/parse-record.ts';
import { recordFileText } from '../../helpers/record-files.ts';
import { makeRecord, makeSnapshot } from '../../helpers/synthetic.ts';

/** A version-2 chain: positions 1..n, each linked to the one before, after `v1` unpositioned records. */
function chain(count: number, options: { environment?: string; v1?: number } = {}): MigrationRecord[] {
  const environment = options.environment ?? 'production';
  const records: MigrationRecord[] = [];
  for (let i = 0; i < (options.v1 ?? 0) + count; i++) {
    const day = String(i + 1).padStart(2, '0');
    const seq = i - (options.v1 ?? 0) + 1;
    const base = makeRecord({
      id: `2026-01-${day}-m${i}-${environment}`,
      environment,
      startedAt: `2026-01-${day}T10:00:00.000Z`,
      schemaVersion: seq > 0 ? 2 : 1,
    });
    const { integrity: _i, ...facts } = base;
    const previous = records.at(-1)?.integrity.digest ?? null;
    records.push({ ...facts, integrity: computeIntegrity(facts, previous, seq > 0 ? { seq } : undefined) });
  }
  return records;
}

const kinds = (records: MigrationRecord[]) => checkChains(records).map((p) => p.kind);

describe('version-2 records', () => {
  it('one whose ledger position was stripped (digest recomputed without it) is reported, not taken for a version-1 record', () => {
    const records = chain(3);
    const { integrity: _i, ...facts } = records[2]!;
    records[2] = { ...facts, integrity: computeIntegrity(facts, records[1]!.integrity.digest) };
    assert.equal(records[2].integrity.seq, undefined);
    const problems = checkChains(records);
    assert.deepEqual(
      problems.map((p) => p.kind),
      ['relinked'],
    );
    assert.match(problems[0]!.detail, /version-2 record without a ledger position/);
  });
});

describe('version-1 records', () => {
  it('verify exactly as before: the same digest as the version-1 code computed, no position, intact', () => {
    const file = recordFileText(makeRecord({}, 'a'.repeat(64)), 'Took <5ms longer than planned.');
    const parsed = parseRecordFile(file, '2026-01-01-add-players-production.mdx', { checkBody: false });
    assert.ok(parsed.ok);
    const { record } = parsed.value;
    // Computed by the version-1 digest code (before positions existed) for this very record.
    assert.equal(record.integrity.digest, 'e170f9dc3fff99e8a34ca4a4219d7d2c8d41eb1b8d2748811e6022b0fabdc9e3');
    assert.equal(record.integrity.seq, undefined);
    assert.equal(checkRecordDigest(record), null);
    assert.deepEqual(
      checkChains([record]).map((p) => p.kind),
      ['missing'],
    ); // its previous (a…a) is not here
  });
});

describe('the version-2 chain', () => {
  it('an intact chain (after version-1 records) has no problems, and every record verifies', () => {
    const records = chain(5, { v1: 2 });
    assert.deepEqual(checkChains([...records, ...chain(3, { environment: 'staging' })]), []);
    for (const r of records) assert.equal(checkRecordDigest(r), null);
  });

  it('the digest covers the position: editing seq or previous is reported on that record', () => {
    const records = chain(3);
    const renumbered = structuredClone(records[1]!);
    renumbered.integrity.seq = 7;
    assert.equal(checkRecordDigest(renumbered)?.digestMismatch, true);
    const repointed = structuredClone(records[2]!);
    repointed.integrity.previous = records[0]!.integrity.digest;
    assert.equal(checkRecordDigest(repointed)?.digestMismatch, true);
    assert.deepEqual(checkRecordDigest(repointed)?.editedSections, []);
  });

  it('a deleted middle record is a missing position, even when the next link is re-pointed with a recomputed digest', () => {
    const records = chain(5);
    assert.deepEqual(kinds(records.filter((_, i) => i !== 2)), ['missing']);
    const next = structuredClone(records[3]!);
    next.integrity.previous = records[1]!.integrity.digest;
    next.integrity.digest = positionedDigest(next.integrity.sections, { environment: next.environment, seq: 4, previous: next.integrity.previous });
    assert.equal(checkRecordDigest(next), null);
    const problems = checkChains([records[0]!, records[1]!, next, records[4]!]);
    assert.match(problems.find((p) => p.kind === 'missing')?.detail ?? '', /position 3 is missing/);
    // The record after the re-pointed one still points at the digest it had before.
    assert.deepEqual(
      problems.map((p) => p.kind),
      ['missing', 'relinked'],
    );
  });

  it('a reordered chain (positions swapped, digests recomputed) is a re-pointed link', () => {
    const records = chain(4);
    const swap = (r: MigrationRecord, seq: number): MigrationRecord => {
      const copy = structuredClone(r);
      copy.integrity.seq = seq;
      copy.integrity.digest = positionedDigest(copy.integrity.sections, { environment: copy.environment, seq, previous: copy.integrity.previous });
      return copy;
    };
    const problems = checkChains([records[0]!, swap(records[1]!, 3), swap(records[2]!, 2), records[3]!]);
    assert.ok(problems.length >= 2);
    assert.ok(
      problems.every((p) => p.kind === 'relinked'),
      JSON.stringify(problems),
    );
  });

  it('two records at one position, or two positions after one link, are a fork', () => {
    const records = chain(3);
    const { integrity: _i, ...facts } = makeRecord({ id: '2026-02-01-other-production', startedAt: '2026-02-01T00:00:00.000Z' });
    const twin = { ...facts, integrity: computeIntegrity(facts, records[1]!.integrity.digest, { seq: 3 }) };
    assert.deepEqual(kinds([...records, twin]), ['fork']);
    const later = { ...facts, integrity: computeIntegrity(facts, records[1]!.integrity.digest, { seq: 4 }) };
    assert.ok(kinds([...records, later]).includes('fork'));
  });

  it('a rollback event takes the next position and the next record links to it', () => {
    const [first, second] = chain(2);
    const { integrity, ...facts } = first!;
    const rolledBack = {
      ...facts,
      status: 'rolled-back' as const,
      rollback: {
        statusBefore: 'success' as const,
        startedAt: '2026-01-03T00:00:00.000Z',
        finishedAt: '2026-01-03T00:01:00.000Z',
        durationMs: 1,
        backupPath: '/b',
        backupSha256: 'f'.repeat(64),
        performedBy: { name: 'Ada' },
        after: makeSnapshot({ tables: { players: 1 } }),
        matchesBackup: true,
      },
    };
    const withRollback = integrityWithRollback(integrity, rolledBack);
    const event = {
      seq: 3,
      previous: second!.integrity.digest,
      digest: rollbackEventDigest({
        environment: 'production',
        record: first!.id,
        rollback: withRollback.rollback!,
        seq: 3,
        previous: second!.integrity.digest,
      }),
    };
    const rolled = { ...rolledBack, integrity: integrityWithRollback(integrity, rolledBack, event) };
    assert.equal(checkRecordDigest(rolled), null);
    const { integrity: _t, ...thirdFacts } = makeRecord({ id: '2026-01-09-third-production', startedAt: '2026-01-09T00:00:00.000Z' });
    const third = { ...thirdFacts, integrity: computeIntegrity(thirdFacts, event.digest, { seq: 4 }) };
    assert.deepEqual(checkChains([rolled, second!, third]), []);
    const moved = structuredClone(rolled);
    moved.integrity.rollbackEvent!.seq = 5;
    assert.equal(checkRecordDigest(moved)?.rollbackEventEdited, true);
  });

  it('against the ledger: a deleted newest record, a forged one and an altered digest', () => {
    const records = chain(3);
    const ledger = records.map((r) => ({ seq: r.integrity.seq!, recordId: r.id, digest: r.integrity.digest }));
    assert.deepEqual(checkAgainstLedger('production', records, ledger), []);
    assert.deepEqual(
      checkAgainstLedger('production', records.slice(0, 2), ledger).map((f) => [f.kind, f.record]),
      [['deleted', records[2]!.id]],
    );
    assert.deepEqual(
      checkAgainstLedger('production', records, ledger.slice(0, 2)).map((f) => [f.kind, f.record]),
      [['forged', records[2]!.id]],
    );
    const altered = ledger.map((row, i) => (i === 1 ? { ...row, digest: 'e'.repeat(64) } : row));
    assert.deepEqual(
      checkAgainstLedger('production', records, altered).map((f) => f.kind),
      ['forged'],
    );
  });
});
