#!/usr/bin/env node
// Benchmark: `logbook backup` (custom format, --verify none) against raw `pg_dump -Fc -f` of the same >= 300 MB database,
// alternating runs in one process (each pair in alternating order), printing each time, the medians and their ratio
// (target <= 1.03).
//   npm run bench:backup                      (a throwaway cluster of its own)
//   LOGBOOK_BENCH_DATABASE_URL=postgresql://... npm run bench:backup   (an existing server; creates database logbook_bench)
//   BENCH_RUNS=7 BENCH_MB=450 npm run bench:backup
//   BENCH_DETAIL=1 npm run bench:backup       (also where the difference goes: the CLI's start, pg_dump through the
//                                             sha256 stream without counting, and the exact counts alone)
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { withDatabase } from '../../src/adapters/pg/client.ts';
import { listUserTables } from '../../src/adapters/pg/tables.ts';
import { countTables } from '../../src/adapters/pgdump/exact-counts.ts';
import { libpqTarget } from '../../src/adapters/pgdump/libpq-env.ts';
import { startPgDump } from '../../src/adapters/pgdump/run-pg-dump.ts';
import { formatBytes } from '../../src/core/format.ts';
import { startThrowawayCluster } from '../support/throwaway-cluster.ts';

const ENTRY = fileURLToPath(new URL('../logbook.mjs', import.meta.url));
const runs = Number(process.env.BENCH_RUNS ?? 5);
const detail = process.env.BENCH_DETAIL === '1';
const targetMb = Number(process.env.BENCH_MB ?? 350);

async function query(url: string, text: string): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await client.query(text);
  } finally {
    await client.end();
  }
}

function timed(label: string, cmd: string, args: string[]): number {
  const started = process.hrtime.bigint();
  const result = spawnSync(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 0) throw new Error(`${label} failed (exit ${result.status}): ${result.stderr}`);
  return ms;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

const cluster = process.env.LOGBOOK_BENCH_DATABASE_URL ? undefined : await startThrowawayCluster({ log: (l) => console.log(l) });
const server = process.env.LOGBOOK_BENCH_DATABASE_URL ?? cluster!.url;
const url = withDatabase(server, 'logbook_bench');
const work = mkdtempSync(join(tmpdir(), 'logbook-bench-'));
try {
  const exists = (await query(server, "SELECT 1 FROM pg_database WHERE datname = 'logbook_bench'")).rowCount;
  if (!exists) await query(server, 'CREATE DATABASE logbook_bench');
  let bytes = Number((await query(url, 'SELECT pg_database_size(current_database()) AS b')).rows[0].b);
  if (bytes < targetMb * 1e6) {
    console.log(`generating ~${targetMb} MB of data (a few tables, text that compresses like real rows)...`);
    // ~150 bytes per event row; users and orders add realistic smaller tables and indexes.
    const events = Math.round((targetMb * 1e6 * 0.8) / 150);
    await query(
      url,
      `
      DROP TABLE IF EXISTS events, orders, users;
      CREATE TABLE users (id int PRIMARY KEY, email text NOT NULL, created_at timestamptz NOT NULL);
      INSERT INTO users SELECT g, 'user' || g || '@example.com', now() - g * interval '1 minute' FROM generate_series(1, 200000) g;
      CREATE TABLE orders (id bigint PRIMARY KEY, user_id int NOT NULL, total numeric(12,2), status text);
      INSERT INTO orders SELECT g, 1 + g % 200000, (g % 10000) / 100.0, (ARRAY['new','paid','shipped','refunded'])[1 + g % 4] FROM generate_series(1, 1000000) g;
      CREATE TABLE events (id bigint, user_id int, kind text, payload text, at timestamptz);
      INSERT INTO events SELECT g, 1 + g % 200000, 'kind_' || (g % 17), md5(g::text) || ' ' || md5((g * 31)::text) || ' ' || repeat('x', g % 40), now() - g * interval '1 second'
        FROM generate_series(1, ${events}) g;
      CREATE INDEX ON events (user_id);`,
    );
    // VACUUM cannot run inside the implicit transaction of a multi-statement query.
    await query(url, 'VACUUM ANALYZE');
    bytes = Number((await query(url, 'SELECT pg_database_size(current_database()) AS b')).rows[0].b);
  }
  console.log(`database logbook_bench: ${formatBytes(bytes)}; ${runs} alternating runs each (after one warm-up)`);
  if (bytes < 300e6) throw new Error('the benchmark database is smaller than 300 MB');

  const raw = () => {
    const file = join(work, 'raw.dump');
    const ms = timed('pg_dump -Fc', 'pg_dump', ['-Fc', '-f', file, '--dbname', url]);
    const size = statSync(file).size;
    rmSync(file, { force: true });
    return { ms, size };
  };
  const logbook = () => {
    const dir = join(work, 'logbook');
    const ms = timed('logbook backup', process.execPath, [ENTRY, 'backup', '--db', url, '--dir', dir, '--format', 'custom', '--verify', 'none']);
    const archive = readdirSync(dir).find((f) => f.endsWith('.dump'))!;
    const size = statSync(join(dir, archive)).size;
    rmSync(dir, { recursive: true, force: true });
    return { ms, size };
  };

  // The parts of `logbook backup`, each on its own: what the difference with pg_dump is made of.
  const startUp = () => timed('logbook --version', process.execPath, [ENTRY, '--version']);
  const inSnapshot = async <T>(fn: (snapshotId: string) => Promise<T>): Promise<number> => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      const snapshotId = (await client.query<{ id: string }>('SELECT pg_export_snapshot() AS id')).rows[0]!.id;
      const started = performance.now();
      await fn(snapshotId);
      return performance.now() - started;
    } finally {
      await client.end();
    }
  };
  const tables = await (async () => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      return await listUserTables(client);
    } finally {
      await client.end();
    }
  })();
  const hashedDump = () =>
    inSnapshot(async (snapshotId) => {
      const partialPath = join(work, 'hashed.dump.partial');
      await startPgDump({ target: libpqTarget(url), format: 'custom', jobs: 1, partialPath, snapshotId }).done;
      rmSync(partialPath, { force: true });
    });
  const countsAlone = () => inSnapshot((snapshotId) => countTables(url, tables, { snapshotId, doing: 'counting' }));

  raw(); // warm the page cache so neither side pays for the first read
  const rawTimes: number[] = [];
  const logbookTimes: number[] = [];
  const parts = { startUp: [] as number[], hashedDump: [] as number[], counts: [] as number[] };
  for (let i = 0; i < runs; i++) {
    // Alternate which goes first: the second of a pair reads tables the first has just brought into the page cache.
    const first = i % 2 === 0 ? raw() : logbook();
    const second = i % 2 === 0 ? logbook() : raw();
    const [r, l] = i % 2 === 0 ? [first, second] : [second, first];
    rawTimes.push(r.ms);
    logbookTimes.push(l.ms);
    console.log(
      `run ${i + 1}: pg_dump -Fc ${(r.ms / 1000).toFixed(2)} s (${formatBytes(r.size)}), logbook backup ${(l.ms / 1000).toFixed(2)} s (${formatBytes(l.size)})`,
    );
    if (detail) {
      parts.startUp.push(startUp());
      parts.hashedDump.push(await hashedDump());
      parts.counts.push(await countsAlone());
      console.log(
        `       parts: CLI start ${(parts.startUp.at(-1)! / 1000).toFixed(2)} s, pg_dump through sha256 (no counts) ${(parts.hashedDump.at(-1)! / 1000).toFixed(2)} s, exact counts alone ${(parts.counts.at(-1)! / 1000).toFixed(2)} s`,
      );
    }
  }
  if (detail) {
    const m = (xs: number[]) => `${(median(xs) / 1000).toFixed(2)} s`;
    console.log(
      `parts (medians): CLI start ${m(parts.startUp)}, pg_dump through sha256 without counts ${m(parts.hashedDump)} (${(median(parts.hashedDump) / median(rawTimes)).toFixed(3)}x pg_dump), exact counts alone ${m(parts.counts)}`,
    );
  }
  const ratio = median(logbookTimes) / median(rawTimes);
  // The best run of each is the least disturbed by other work on the machine; both are printed.
  const best = Math.min(...logbookTimes) / Math.min(...rawTimes);
  console.log(
    `median: pg_dump -Fc ${(median(rawTimes) / 1000).toFixed(2)} s, logbook backup ${(median(logbookTimes) / 1000).toFixed(2)} s, ratio ${ratio.toFixed(3)} (target <= 1.03)`,
  );
  console.log(
    `best:   pg_dump -Fc ${(Math.min(...rawTimes) / 1000).toFixed(2)} s, logbook backup ${(Math.min(...logbookTimes) / 1000).toFixed(2)} s, ratio ${best.toFixed(3)}`,
  );
} finally {
  rmSync(work, { recursive: true, force: true });
  await cluster?.stop();
}
