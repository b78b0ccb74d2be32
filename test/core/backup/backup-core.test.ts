// The pure parts of backups: naming, pg_dump/pg_restore output, count comparison, free space, manifest digest.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compareTableCounts, describeMismatch } from '../../../src/core/backup/compare-counts.ts';
import { judgeFreeSpace } from '../../../src/core/backup/free-space.ts';
import { manifestDigest, manifestText } from '../../../src/core/backup/manifest.ts';
import { archivePathOf, backupArchiveName, sidecarPathOf } from '../../../src/core/backup/naming.ts';
import { entryIsTable, failureLines, parseToolVersion, serverMajor, tableDataEntries, tableFromVerboseLine } from '../../../src/core/backup/pg-tool-output.ts';
import { dumpStatusLine } from '../../../src/core/backup/progress.ts';

test('archive names follow backup_<YYYYMMDD_HHMMSS>_<database> in UTC and stay file-safe', () => {
  const at = new Date('2026-03-04T05:06:07Z');
  assert.equal(backupArchiveName('shop', 'custom', at), 'backup_20260304_050607_shop.dump');
  assert.equal(backupArchiveName('shop', 'directory', at), 'backup_20260304_050607_shop');
  assert.equal(backupArchiveName('a/b c', 'custom', at, 1), 'backup_20260304_050607_a_b_c_2.dump');
  assert.equal(sidecarPathOf('/x/backup.dump'), '/x/backup.dump.meta.json');
  assert.equal(archivePathOf('/x/backup.dump.meta.json'), '/x/backup.dump');
  assert.equal(archivePathOf('/x/backup_dir/'), '/x/backup_dir');
});

test('versions, verbose lines and failures from pg_dump / pg_restore', () => {
  assert.deepEqual(parseToolVersion('pg_dump (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)'), { version: '15.18', major: 15 });
  assert.equal(parseToolVersion('pg_restore (PostgreSQL) 17beta2')?.major, 17);
  assert.equal(parseToolVersion('nonsense'), null);
  assert.equal(serverMajor(150018), 15);
  assert.equal(serverMajor(90624), 9);
  assert.equal(tableFromVerboseLine('pg_dump: dumping contents of table "public.Odd Name"'), 'public.Odd Name');
  assert.equal(tableFromVerboseLine('pg_restore: processing data for table "sales.orders"'), 'sales.orders');
  assert.equal(tableFromVerboseLine('pg_dump: reading schemas'), null);
  assert.deepEqual(failureLines('pg_dump: reading schemas\npg_dump: error: connection failed\npg_dump: last line'), ['pg_dump: error: connection failed']);
});

test('TABLE DATA entries of pg_restore --list are matched to tables, names with spaces included', () => {
  const listing = [
    ';',
    '; Archive created at 2026-01-01',
    '215; 1259 16385 TABLE public users postgres',
    '3345; 0 16390 TABLE DATA public Odd Name postgres',
    '3346; 0 16391 TABLE DATA sales orders app',
  ].join('\n');
  const entries = tableDataEntries(listing);
  assert.deepEqual(entries, ['public Odd Name postgres', 'sales orders app']);
  assert.ok(entries.some((e) => entryIsTable(e, { schema: 'public', name: 'Odd Name' })));
  assert.ok(!entries.some((e) => entryIsTable(e, { schema: 'public', name: 'users' })));
});

test('count comparison finds differing, missing and extra tables', () => {
  const expected = [
    { schema: 'public', name: 'a', rows: 3 },
    { schema: 'public', name: 'b', rows: 5 },
    { schema: 'public', name: 'c', rows: 0 },
  ];
  const actual = [
    { schema: 'public', name: 'a', rows: 3 },
    { schema: 'public', name: 'b', rows: 4 },
    { schema: 'public', name: 'new', rows: 0 },
  ];
  const { mismatches, extraTables } = compareTableCounts(expected, actual);
  assert.deepEqual(mismatches, [
    { table: 'public.b', expected: 5, actual: 4 },
    { table: 'public.c', expected: 0, actual: -1 },
  ]);
  assert.deepEqual(extraTables, ['public.new']);
  assert.equal(describeMismatch(mismatches[1]!), 'public.c: missing after restore (backup holds 0 rows)');
});

test('free space: refuse below half the table data, warn below all of it', () => {
  const fmt = (n: number) => `${n} B`;
  assert.deepEqual(judgeFreeSpace(40, 100, fmt), { ok: false, reason: 'not enough free space in the backup folder (40 B free, table data 100 B)' });
  assert.equal(judgeFreeSpace(60, 100, fmt).ok, true);
  assert.match((judgeFreeSpace(60, 100, fmt) as { warning: string }).warning, /tight/);
  assert.deepEqual(judgeFreeSpace(1000, 100, fmt), { ok: true });
});

test('a directory manifest digest does not depend on file order and changes with any file', () => {
  const a = { file: 'toc.dat', bytes: 10, sha256: 'a'.repeat(64) };
  const b = { file: '3345.dat.gz', bytes: 20, sha256: 'b'.repeat(64) };
  assert.equal(manifestDigest([a, b]), manifestDigest([b, a]));
  assert.notEqual(manifestDigest([a, b]), manifestDigest([a, { ...b, sha256: 'c'.repeat(64) }]));
  assert.equal(manifestText([a, b]).split('\n')[0], `${'b'.repeat(64)}  20  3345.dat.gz`);
});

test('the dump status line shows bytes, table data, time and table', () => {
  assert.equal(
    dumpStatusLine({ verb: 'dumping', bytes: 41_200_000, estimateBytes: 310_000_000, elapsedMs: 12_000, table: 'public.items' }),
    'dumping: 41.2 MB written (table data 310 MB), 12 s, table public.items',
  );
});
