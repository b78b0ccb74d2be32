#!/usr/bin/env node
// Benchmark: rollback's restore beside + swap (create, pg_restore, exact counts and object check, swap) against
// a plain `createdb` + `pg_restore` of the same archive into a new database, on a >= 300 MB database,
// alternating runs, printing each time, the medians and their ratio (target <= 1.2).
//   npm run bench:rollback                     (a throwaway cluster of its own)
//   LOGBOOK_BENCH_DATABASE_URL=postgresql://... npm run bench:rollback   (an existing server; creates database logbook_bench_rb)
//   BENCH_RUNS=5 BENCH_MB=450 npm run bench:rollback
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { withDatabase } from '../../src/adapters/pg/client.ts';
import { libpqTarget } from '../../src/adapters/pgdump/libpq-env.ts';
import { checkBeforeRestore } from '../../src/adapters/pgdump/restore.ts';
import { formatBytes } from '../../src/core/format.ts';
import { planSwap, restoreBeside, swapIn } from '../../src/workflow/restore-beside.ts';
import { startThrowawayCluster } from '../support/throwaway-cluster.ts';

const ENTRY = fileURLToPath(new URL('../logbook.ts', import.meta.url));
const runs = Number(process.env.BENCH_RUNS ?? 3);
const targetMb = Number(process.env.BENCH_MB ?? 320);
const NAME = 'logbook_bench_rb';

async function query(url: string, text: string): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await client.query(text);
  } finally {
    await client.end();
  }
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

const cluster = process.env.LOGBOOK_BENCH_DATABASE_URL ? undefined : await startThrowawayCluster({ log: (l) => console.log(l) });
const server = process.env.LOGBOOK_BENCH_DATABASE_URL ?? cluster!.url;
const url = withDatabase(server, NAME);
const work = mkdtempSync(join(tmpdir(), 'logbook-bench-rb-'));
try {
  const exists = (await query(server, `SELECT 1 FROM pg_database WHERE datname = '${NAME}'`)).rowCount;
  if (!exists) await query(server, `CREATE DATABASE ${NAME}`);
  let bytes = Number((await query(url, 'SELECT pg_database_size(current_database()) AS b')).rows[0].b);
  if (bytes < targetMb * 1e6) {
    console.log(`generating ~${targetMb} MB of data...`);
    const events = Math.round((targetMb * 1e6 * 0.8) / 150);
    await query(
      url,
      `
      DROP TABLE IF EXISTS events, orders, users;
      CREATE TABLE users (id int PRIMARY KEY, email text NOT NULL, created_at timestamptz NOT NULL);
      INSERT INTO users SELECT g, 'user' || g || '@example.com', now() - g * interval '1 minute' FROM generate_series(1, 200000) g;
      CREATE TABLE orders (id bigint PRIMARY KEY, user_id int NOT NULL REFERENCES users(id), total numeric(12,2), status text);
      INSERT INTO orders SELECT g, 1 + g % 200000, (g % 10000) / 100.0, (ARRAY['new','paid','shipped','refunded'])[1 + g % 4] FROM generate_series(1, 1000000) g;
      CREATE TABLE events (id bigint, user_id int, kind text, payload text, at timestamptz);
      INSERT INTO events SELECT g, 1 + g % 200000, 'kind_' || (g % 17), md5(g::text) || ' ' || md5((g * 31)::text) || ' ' || repeat('x', g % 40), now() - g * interval '1 second'
        FROM generate_series(1, ${events}) g;
      CREATE INDEX ON events (user_id);`,
    );
    await query(url, 'VACUUM ANALYZE');
    bytes = Number((await query(url, 'SELECT pg_database_size(current_database()) AS b')).rows[0].b);
  }
  console.log(`database ${NAME}: ${formatBytes(bytes)}`);
  if (bytes < 300e6) throw new Error('the benchmark database is smaller than 300 MB');

  const made = spawnSync(process.execPath, [ENTRY, 'backup', '--db', url, '--dir', work, '--verify', 'none'], { stdio: ['ignore', 'ignore', 'inherit'] });
  if (made.status !== 0) throw new Error('logbook backup failed');
  const archive = join(work, readdirSync(work).find((f) => f.endsWith('.dump'))!);
  const checked = await checkBeforeRestore(archive);
  console.log(`archive ${archive}; ${runs} alternating runs each`);

  const plain = async () => {
    const into = `${NAME}_plain`;
    await query(server, `DROP DATABASE IF EXISTS ${into}`);
    const target = libpqTarget(withDatabase(server, into));
    const started = performance.now();
    await query(server, `CREATE DATABASE ${into} TEMPLATE template0`);
    const result = spawnSync('pg_restore', ['--exit-on-error', `--dbname=${target.dbname}`, archive], {
      env: target.env,
      stdio: ['ignore', 'ignore', 'pipe'],
      encoding: 'utf8',
    });
    const ms = performance.now() - started;
    if (result.status !== 0) throw new Error(`pg_restore failed: ${result.stderr}`);
    await query(server, `DROP DATABASE ${into}`);
    return ms;
  };
  const besideAndSwap = async () => {
    const plan = await planSwap(url, checked, { at: new Date(), spaceChecked: true });
    const started = performance.now();
    await restoreBeside(plan, checked, { onProgress: () => {} });
    await swapIn(plan);
    const ms = performance.now() - started;
    await query(server, `DROP DATABASE "${plan.retained}"`);
    // Names carry a per-second stamp: the next run must not reuse this one's.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    return ms;
  };

  const plainTimes: number[] = [];
  const swapTimes: number[] = [];
  for (let i = 0; i < runs; i++) {
    const p = await plain();
    const s = await besideAndSwap();
    plainTimes.push(p);
    swapTimes.push(s);
    console.log(`run ${i + 1}: createdb + pg_restore ${seconds(p)}, restore beside + verify + swap ${seconds(s)}`);
  }
  const ratio = median(swapTimes) / median(plainTimes);
  console.log(`median: plain ${seconds(median(plainTimes))}, rollback path ${seconds(median(swapTimes))}, ratio ${ratio.toFixed(3)} (target <= 1.2)`);
  console.log(
    `best:   plain ${seconds(Math.min(...plainTimes))}, rollback path ${seconds(Math.min(...swapTimes))}, ratio ${(Math.min(...swapTimes) / Math.min(...plainTimes)).toFixed(3)}`,
  );
} finally {
  rmSync(work, { recursive: true, force: true });
  await cluster?.stop();
}
