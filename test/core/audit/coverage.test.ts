import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { computeCoverage, databaseKey } from '../../../src/core/audit/coverage.ts';
import type { MigrationEntry } from '../../../src/schemas/snapshot.ts';
import { makeMigration, makeRecord, makeSnapshot } from '../../helpers/synthetic.ts';

const db = (spec: Record<string, MigrationEntry['status']>): MigrationEntry[] =>
  Object.entries(spec).map(([name, status]) => ({ ...makeMigration(name, status), finishedAt: '2026-01-05T00:00:00.000Z' }));
const record = (id: string, day: number, migrations: string[], status: 'success' | 'failed' | 'rolled-back' | 'aborted', applied: string[] = []) =>
  makeRecord({ id, startedAt: `2026-01-0${day}T00:00:00.000Z`, migrations, status, pre: makeSnapshot({ migrations: applied.map((m) => makeMigration(m)) }) });

describe('coverage audit', () => {
  it('full coverage: baseline before the first record, then every applied migration recorded', () => {
    const coverage = computeCoverage(db({ m0: 'applied', m1: 'applied', m2: 'applied' }), [
      record('r1', 1, ['m1'], 'success', ['m0']),
      record('r2', 2, ['m2'], 'success'),
    ]);
    assert.deepEqual(coverage, { applied: 3, recorded: 3, baseline: 1, gaps: [] });
  });

  it('names a deploy with no record, a record the database lacks, and states that disagree', () => {
    const coverage = computeCoverage(db({ m0: 'applied', m1: 'applied', m2: 'applied', m3: 'failed', m5: 'applied' }), [
      record('r1', 1, ['m1'], 'success', ['m0']),
      record('r2', 2, ['m3'], 'success'),
      record('r3', 3, ['m4'], 'success'),
      record('r4', 4, ['m5'], 'rolled-back'),
    ]);
    assert.deepEqual(
      coverage.gaps.map((g) => [g.kind, g.migration, g.record]),
      [
        ['unrecorded', 'm2', null],
        ['state-disagrees', 'm3', 'r2'],
        ['state-disagrees', 'm5', 'r4'],
        ['not-in-database', 'm4', 'r3'],
      ],
    );
    assert.equal(coverage.applied, 4);
    assert.equal(coverage.recorded, 2);
  });

  it('a failed record matches a failed migration; an aborted run claims nothing', () => {
    const coverage = computeCoverage(db({ m1: 'failed' }), [record('r1', 1, ['m1'], 'failed'), record('r2', 2, ['m1'], 'aborted')]);
    assert.deepEqual(coverage.gaps, []);
  });

  it('one database under two URLs or names is one key; credentials do not matter', () => {
    assert.equal(databaseKey('postgresql://app:***@DB.internal/game'), databaseKey('postgres://other:secret@db.internal:5432/game'));
    assert.notEqual(databaseKey('postgresql://app@db.internal:5432/game'), databaseKey('postgresql://app@db.internal:5432/game_staging'));
  });
});
