// A backup folder that fills up mid-dump: a clear error, exit 5, and nothing left behind.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { it } from 'node:test';
import { runCli } from '../helpers/cli.ts';
import { createTestDatabase, sql } from '../helpers/postgres.ts';

it('fails cleanly when the disk fills during the dump', async (t) => {
  // A real full disk: a 256 kB tmpfs (needs root, as in CI and on these machines).
  const mountPoint = mkdtempSync(join(tmpdir(), 'logbook-tiny-'));
  t.after(() => {
    spawnSync('umount', [mountPoint]);
    rmSync(mountPoint, { recursive: true, force: true });
  });
  if (spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=256k', 'tmpfs', mountPoint]).status !== 0) return t.skip('cannot mount a tmpfs here (needs root)');
  const db = await createTestDatabase(t, 'diskfull');
  // Random hex compresses poorly, so the archive is far larger than the 256 kB folder.
  await sql(db.url, 'CREATE TABLE blobs AS SELECT md5(random()::text) || md5(random()::text) AS payload FROM generate_series(1, 30000)');
  const result = await runCli(['backup', '--db', db.url, '--dir', mountPoint, '--force', '--verify', 'none'], { env: { CI: '1' } });
  assert.equal(result.code, 5, result.stderr);
  assert.match(result.stderr, /no space|disk.*full|ENOSPC/i);
  assert.match(result.stderr, /next: /);
  assert.deepEqual(readdirSync(mountPoint), [], 'no partial archive and no sidecar are left');
});
