// A journal read from the lock row is copied to this machine under its run id: the id is data from the database,
// so one that climbs out of the state folder must not write (or later delete) a file elsewhere.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { acquireDatabaseLock } from '../../src/adapters/pg/environment-lock.ts';
import { runCli } from '../helpers/cli.ts';
import { createTestDatabase } from '../helpers/postgres.ts';

test('abort does not write a lock row journal outside the state folder when its run id holds ../', async (t) => {
  const db = await createTestDatabase(t, 'lrj');
  const cwd = await mkdtemp(join(tmpdir(), 'logbook-lock-row-path-'));
  t.after(() => rm(cwd, { recursive: true, force: true }));
  await writeFile(join(cwd, 'package.json'), '{"name":"mine"}\n');
  const runId = 'restore-/../../../package';
  const lock = await acquireDatabaseLock({ url: db.url, runId, environment: '' });
  await lock.detach('resume', {
    kind: 'restore',
    runId,
    environment: '',
    startedAt: '2026-01-01T00:00:00.000Z',
    live: db.name,
    allowConnections: true,
    restoring: `${db.name}_restoring_20260101T000000`,
    retained: `${db.name}_replaced_20260101T000000`,
    systemIdentifier: null,
    phase: 'restoring',
    archivePath: '/nonexistent.dump',
  });
  await runCli(['abort', '--db', db.url], { cwd });
  assert.equal(await readFile(join(cwd, 'package.json'), 'utf8').catch(() => 'deleted'), '{"name":"mine"}\n', 'the project file is untouched');
});
