// Which URL the environment lock is taken with (a pooled URL never), and the durations --wait accepts.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseDuration } from '../../src/core/duration.ts';
import { lockUrl } from '../../src/workflow/run-lock.ts';

test('a PgBouncer URL is refused for the lock unless a direct URL is configured, which is then used', () => {
  const pooled = 'postgresql://app:secret@pool.example:6432/app?pgbouncer=true';
  assert.throws(
    () => lockUrl(pooled, { databaseUrlEnv: 'DATABASE_URL', migrationsDir: 'prisma/migrations' }),
    (error: Error & { code?: string; outcome?: string }) => {
      assert.equal(error.code, 'E_POOLED_URL');
      assert.equal(error.outcome, 'usage');
      assert.ok(!error.message.includes('secret'));
      return true;
    },
  );
  process.env.LOGBOOK_TEST_DIRECT_URL = 'postgresql://app@db.example:5432/app';
  try {
    assert.equal(
      lockUrl(pooled, { databaseUrlEnv: 'DATABASE_URL', migrationsDir: 'prisma/migrations', directUrlEnv: 'LOGBOOK_TEST_DIRECT_URL' }),
      'postgresql://app@db.example:5432/app',
    );
  } finally {
    delete process.env.LOGBOOK_TEST_DIRECT_URL;
  }
  assert.throws(
    () => lockUrl(pooled, { databaseUrlEnv: 'DATABASE_URL', migrationsDir: 'prisma/migrations', directUrlEnv: 'LOGBOOK_TEST_DIRECT_URL' }),
    /LOGBOOK_TEST_DIRECT_URL is empty/,
  );
  assert.equal(lockUrl('postgresql://app@db.example/app', undefined), 'postgresql://app@db.example/app');
});

test('--wait durations', () => {
  assert.equal(parseDuration('30s'), 30_000);
  assert.equal(parseDuration('5m'), 300_000);
  assert.equal(parseDuration('1h'), 3_600_000);
  assert.equal(parseDuration('500ms'), 500);
  assert.equal(parseDuration('45'), 45_000);
  for (const bad of ['', 'soon', '5 minutes', '-1s', '1d']) assert.equal(parseDuration(bad), null, bad);
});
