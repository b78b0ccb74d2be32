// "The swap committed" is read from the server, not from a name alone: the database under the retained name must
// be the one that was live (same oid). A journal naming another existing database must not make the record say rolled back.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { acquireDatabaseLock } from '../../src/adapters/pg/environment-lock.ts';
import { assertSameDatabase } from '../helpers/database-equivalence.ts';
import { sql, testServerUrl } from '../helpers/postgres.ts';
import { migratedFixture, newestRecord } from '../helpers/rollback-fixture.ts';

describe('an interrupted rollback whose journal names an existing, unrelated database as retained', () => {
  it('resume does not file "rolled back" for a database that was never swapped', async (t) => {
    const m = await migratedFixture(t, 'CREATE TABLE teams (id int PRIMARY KEY);');
    const live = new URL(m.f.url).pathname.slice(1);
    const [{ oid }] = (await sql<{ oid: string }>(await testServerUrl(), 'SELECT oid::text FROM pg_database WHERE datname = $1', [live])) as [{ oid: string }];
    const runId = `rollback-${m.record.id}`;
    const lock = await acquireDatabaseLock({ url: m.f.url, runId, environment: m.f.ws.environment });
    await lock.detach('resume', {
      kind: 'rollback',
      runId,
      recordId: m.record.id,
      environment: m.f.ws.environment,
      startedAt: '2026-01-01T00:00:00.000Z',
      live,
      liveOid: oid,
      allowConnections: true,
      restoring: `${live}_restoring_20260101T000000`,
      retained: 'postgres',
      systemIdentifier: null,
      phase: 'swapping',
    });
    const resumed = await m.f.cli(['resume', '--env', m.f.ws.environment]);
    assert.doesNotMatch(resumed.stderr, /had already swapped/, resumed.stderr);
    const record = newestRecord(m.f).record;
    // Whatever resume did, the record may say rolled back only if the database is.
    if (record.status === 'rolled-back') {
      assert.notEqual(record.rollback!.retainedDatabase, 'postgres');
      await assertSameDatabase(m.f.url, m.reference);
    }
  });
});
