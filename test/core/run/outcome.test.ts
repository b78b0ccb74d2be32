// What a journal says happened: per-migration outcomes from _prisma_migrations rows, status and exit category.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { PrismaMigrationRow } from '../../../src/core/migrations/classify-migrations.ts';
import type { RunJournal } from '../../../src/core/run/journal.ts';
import { decideStatus, migrationOutcomes, outcomeOfRecord, recordTitle } from '../../../src/core/run/outcome.ts';

const row = (name: string, state: 'applied' | 'failed' | 'rolled-back', logs: string | null = null): PrismaMigrationRow => ({
  id: `${name}-${state}`,
  checksum: 'c',
  migrationName: name,
  startedAt: '2026-01-01T00:00:00Z',
  finishedAt: state === 'applied' ? '2026-01-01T00:00:01Z' : null,
  rolledBackAt: state === 'rolled-back' ? '2026-01-01T00:00:02Z' : null,
  appliedStepsCount: state === 'applied' ? 1 : 0,
  logs,
});

describe('run outcome', () => {
  it('names each pending migration applied, failed (with logs), or not run; an old rolled-back attempt is not a new run', () => {
    const rows = [
      row('001_a', 'applied'),
      row('002_b', 'rolled-back'),
      row('003_c', 'applied'),
      row('004_d', 'failed', 'Database error code: 42601\nsyntax error at or near "SELCT"'),
    ];
    const outcomes = migrationOutcomes(['002_b', '003_c', '004_d', '005_e'], rows);
    assert.deepEqual(outcomes, [
      { name: '002_b', outcome: 'not-run' },
      { name: '003_c', outcome: 'applied' },
      { name: '004_d', outcome: 'failed', logs: 'Database error code: 42601\nsyntax error at or near "SELCT"' },
      { name: '005_e', outcome: 'not-run' },
    ]);
    assert.equal(
      recordTitle({ migrations: ['002_b', '003_c', '004_d', '005_e'], migrationOutcomes: outcomes }),
      '004_d failed (1 applied before it, 2 not run)',
    );
    const before = {
      source: 'prisma' as const,
      hasHistory: true,
      folder: null,
      migrations: [
        { name: '002_b', status: 'rolled-back' as const, edited: false, missingFromFolder: false, startedAt: null, finishedAt: null, appliedStepsCount: null },
      ],
    };
    const resolved = migrationOutcomes(['002_b', '006_f'], [row('002_b', 'rolled-back'), row('006_f', 'rolled-back')], before);
    assert.deepEqual(
      resolved.map((m) => m.outcome),
      ['not-run', 'rolled-back'],
      'rolled back during this run only when it had no row before',
    );
  });

  it('success needs the post snapshot, the checks, the smoke checks and maintenance left', () => {
    const base = {
      execution: { exitCode: 0 },
      post: {},
      checks: [],
      timeline: [
        { phase: 'post', status: 'ok' },
        { phase: 'checks', status: 'ok' },
        { phase: 'smoke', status: 'skipped' },
      ],
    } as unknown as RunJournal;
    assert.equal(decideStatus(base), 'success');
    assert.equal(decideStatus({ ...base, post: undefined } as RunJournal), 'unverified');
    assert.equal(decideStatus({ ...base, timeline: base.timeline.slice(0, 2) } as RunJournal), 'unverified', 'smoke checks that never ran');
    const stuck = { ...base, maintenance: { enteredAt: 'x', leaveFailed: 'exit 3' } } as RunJournal;
    assert.equal(decideStatus(stuck), 'unverified');
    assert.equal(outcomeOfRecord('unverified', stuck, true), 'maintenance-stuck');
    assert.equal(outcomeOfRecord('success', base, false), 'not-committed');
    assert.equal(outcomeOfRecord('interrupted', base, true), 'migration-failed');
  });
});
