// createBackup, and its archive restored, against a real server with real pg_dump and pg_restore.
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import pg from 'pg';
import { createBackup } from '../../../src/adapters/pgdump/create-backup.ts';
import { compareTableCounts } from '../../../src/core/backup/compare-counts.ts';
import { countDatabase } from '../../../src/adapters/pgdump/exact-counts.ts';
import { restoreArchiveInto } from '../../../src/adapters/pgdump/run-pg-restore.ts';
import { readBackupMeta } from '../../../src/adapters/pgdump/sidecar.ts';
import { verifyStoredBackup } from '../../../src/adapters/pgdump/verify-archive.ts';
import { backupMetaSchema } from '../../../src/schemas/backup.ts';
import { createTestDatabase, sql } from '../../helpers/postgres.ts';

/** The archive restored into an empty database, and its exact counts compared with the sidecar's. */
async function restoreInto(archivePath: string, url: string) {
  await restoreArchiveInto({ archivePath, url, args: ['--single-transaction'], doing: 'restoring the backup for the test' });
  const counts = await countDatabase(url, { doing: 'counting the restored database' });
  const meta = await readBackupMeta(archivePath);
  return { counts, mismatches: compareTableCounts(meta.tables, counts).mismatches };
}

async function tempDir(t: TestContext): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'logbook-backup-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

const SHOP = `
  CREATE SCHEMA sales;
  CREATE TABLE public.users (id serial PRIMARY KEY, email text NOT NULL);
  CREATE TABLE sales.orders (id serial PRIMARY KEY, user_id int REFERENCES public.users(id), total numeric);
  CREATE TABLE public."Odd Name" (v int);
  CREATE TABLE public.empty (v int);
  INSERT INTO public.users (email) SELECT 'u' || g || '@example.com' FROM generate_series(1, 250) g;
  INSERT INTO sales.orders (user_id, total) SELECT 1 + g % 250, g FROM generate_series(1, 1234) g;
  INSERT INTO public."Odd Name" SELECT g FROM generate_series(1, 7) g;`;

const countsOf = (tables: Array<{ schema: string; name: string; rows: number }>) => Object.fromEntries(tables.map((t) => [`${t.schema}.${t.name}`, t.rows]));

test('a backup restored into another database has identical per-table row counts', async (t) => {
  const source = await createTestDatabase(t, 'bk_src');
  const target = await createTestDatabase(t, 'bk_dst');
  const dir = await tempDir(t);
  await sql(source.url, SHOP);

  const meta = await createBackup({ url: source.url, dir, format: 'custom', jobs: 2, verify: 'list' });
  assert.equal(backupMetaSchema.parse(meta).database, source.name);
  assert.match(meta.path, new RegExp(`/backup_\\d{8}_\\d{6}_${source.name}\\.dump$`));
  assert.deepEqual(countsOf(meta.tables), { 'public.Odd Name': 7, 'public.empty': 0, 'public.users': 250, 'sales.orders': 1234 });
  assert.equal(meta.verification?.ok, true);
  assert.equal(meta.verification?.level, 'list');
  // The sha256 was computed while writing: it must equal a fresh hash of the file.
  const { createHash } = await import('node:crypto');
  assert.equal(
    createHash('sha256')
      .update(await readFile(meta.path))
      .digest('hex'),
    meta.sha256,
  );
  assert.deepEqual(await readBackupMeta(meta.path), meta);
  assert.deepEqual((await readdir(dir)).sort(), [`${meta.path.split('/').pop()}`, `${meta.path.split('/').pop()}.meta.json`]);

  const restored = await restoreInto(meta.path, target.url);
  assert.deepEqual(restored.mismatches, []);
  assert.deepEqual(countsOf(restored.counts), countsOf(meta.tables));
  const [row] = await sql<{ n: string }>(target.url, 'SELECT count(*) AS n FROM sales.orders WHERE user_id IS NOT NULL');
  assert.equal(Number(row!.n), 1234);
});

test('verify=restore restores into a scratch database, compares counts and drops it', async (t) => {
  const source = await createTestDatabase(t, 'bk_scr');
  const dir = await tempDir(t);
  await sql(source.url, SHOP);
  const meta = await createBackup({ url: source.url, dir, format: 'directory', jobs: 2, verify: 'restore' });
  assert.equal(meta.verification?.level, 'restore');
  assert.equal(meta.verification?.ok, true, meta.verification?.detail);
  assert.ok(meta.manifest?.some((e) => e.file === 'toc.dat'));
  // Private: the archive folder and every file pg_dump wrote into it, and the sidecar.
  assert.equal((await stat(meta.path)).mode & 0o777, 0o700);
  for (const entry of meta.manifest!) assert.equal((await stat(join(meta.path, entry.file))).mode & 0o777, 0o600, entry.file);
  assert.equal((await stat(`${meta.path}.meta.json`)).mode & 0o777, 0o600);
  const scratch = await sql(source.url, "SELECT datname FROM pg_database WHERE datname LIKE 'logbook_scratch_%'");
  assert.deepEqual(scratch, []);
  const again = await verifyStoredBackup(meta.path, { level: 'restore', url: source.url });
  assert.equal(again.ok, true, again.detail);
});

test('counts taken while another connection inserts equal the counts found after restoring the archive', async (t) => {
  const source = await createTestDatabase(t, 'bk_live');
  const target = await createTestDatabase(t, 'bk_live_dst');
  const dir = await tempDir(t);
  await sql(
    source.url,
    `CREATE TABLE events (id bigserial PRIMARY KEY, payload text);
    INSERT INTO events (payload) SELECT repeat(md5(g::text), 20) FROM generate_series(1, 200000) g;`,
  );

  const writer = new pg.Client({ connectionString: source.url });
  await writer.connect();
  let writing = true;
  let inserted = 0;
  const writes = (async () => {
    while (writing) {
      await writer.query("INSERT INTO events (payload) SELECT 'live' FROM generate_series(1, 10)");
      inserted += 10;
    }
  })();
  try {
    // Let writes start before and continue during the dump.
    while (inserted < 100) await new Promise((r) => setTimeout(r, 5));
    const before = inserted;
    const meta = await createBackup({ url: source.url, dir, format: 'custom', jobs: 1, verify: 'none' });
    writing = false;
    await writes;
    assert.ok(inserted > before, 'rows were inserted while the backup ran');
    const restored = await restoreInto(meta.path, target.url);
    assert.deepEqual(restored.mismatches, []);
    assert.equal(countsOf(restored.counts)['public.events'], countsOf(meta.tables)['public.events']);
    const [live] = await sql<{ n: string }>(source.url, 'SELECT count(*) AS n FROM events');
    assert.ok(Number(live!.n) > countsOf(meta.tables)['public.events']!, 'the live table moved on after the snapshot');
  } finally {
    writing = false;
    await writes.catch(() => {});
    await writer.end();
  }
});

test('an interrupted backup leaves no archive and no sidecar', async (t) => {
  const source = await createTestDatabase(t, 'bk_abort');
  const dir = await tempDir(t);
  await sql(source.url, `CREATE TABLE big AS SELECT g AS id, md5(g::text) || md5((g * 7)::text) AS v FROM generate_series(1, 600000) g;`);
  const controller = new AbortController();
  const lines: string[] = [];
  const backup = createBackup({
    url: source.url,
    dir,
    format: 'custom',
    jobs: 1,
    verify: 'none',
    signal: controller.signal,
    progressIntervalMs: 10,
    onProgress: (line, update) => {
      lines.push(line);
      // Abort once pg_dump has demonstrably written part of the archive.
      if (update?.transient && !/: 0 B written/.test(line)) controller.abort(new Error('test abort'));
    },
  });
  await assert.rejects(backup);
  assert.ok(
    lines.some((l) => l.startsWith('dumping:')),
    'progress lines were reported',
  );
  assert.deepEqual(await readdir(dir), []);
});
