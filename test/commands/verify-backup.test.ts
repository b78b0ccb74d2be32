// `logbook verify-backup`: a stored backup re-checked later; one flipped byte is caught.
import assert from 'node:assert/strict';
import { mkdtemp, open, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli } from '../helpers/cli.ts';
import { createTestDatabase, sql } from '../helpers/postgres.ts';

test('verify-backup passes on a fresh archive and fails clearly after one byte is flipped', async (t) => {
  const db = await createTestDatabase(t, 'vb');
  const dir = await mkdtemp(join(tmpdir(), 'logbook-verify-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  await sql(db.url, `CREATE TABLE items AS SELECT g AS id, md5(g::text) AS v FROM generate_series(1, 5000) g;`);
  const made = await runCli(['backup', '--db', db.url, '--dir', dir, '--verify', 'none', '--json']);
  assert.equal(made.code, 0, made.stderr);
  const { path } = JSON.parse(made.stdout) as { path: string };

  const good = await runCli(['verify-backup', path]);
  assert.equal(good.code, 0, good.stderr);
  assert.match(good.stdout, /sha256 matches/);

  const handle = await open(path, 'r+');
  const { size } = await handle.stat();
  const at = Math.floor(size / 2);
  const byte = Buffer.alloc(1);
  await handle.read(byte, 0, 1, at);
  byte[0] = byte[0]! ^ 0xff;
  await handle.write(byte, 0, 1, at);
  await handle.close();

  const bad = await runCli(['verify-backup', path]);
  assert.equal(bad.code, 1, bad.stderr);
  assert.match(bad.stderr, /backup verification failed/);
  assert.match(bad.stderr, /sha256 mismatch: the sidecar records [0-9a-f]{64} but the archive now hashes to [0-9a-f]{64}/);
  const sidecar = JSON.parse(await readFile(`${path}.meta.json`, 'utf8')) as { verification: { ok: boolean } };
  assert.equal(sidecar.verification.ok, false, 'the failed check is recorded in the sidecar');
});

test('an archive without its sidecar is not a backup', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'logbook-verify-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const archive = join(dir, 'backup_20260101_000000_app.dump');
  await (await open(archive, 'w')).close();
  const result = await runCli(['verify-backup', archive]);
  assert.equal(result.code, 5);
  assert.match(result.stderr, /is not a complete backup: its sidecar .* is missing/);
});
