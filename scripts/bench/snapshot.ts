// Benchmark (not a test): snapshot time for 1,000 tables with estimates, with exact counts, and the sum of
// sequential single count(*) calls in the same run. `npm run bench:snapshot [-- --tables N --rows N --runs N]`.
// Uses LOGBOOK_BENCH_SERVER_URL (a superuser URL) when set, else starts a throwaway cluster.
import { parseArgs } from 'node:util';
import pg from 'pg';
import { withDatabase } from '../../src/adapters/pg/client.ts';
import { countTablesExactly } from '../../src/adapters/pg/count-rows.ts';
import { takeSnapshot } from '../../src/adapters/pg/snapshot.ts';
import { qualifiedName } from '../../src/adapters/pg/tables.ts';
import { logbookConfigSchema } from '../../src/schemas/config.ts';
import { startThrowawayCluster } from '../support/throwaway-cluster.ts';

const { values } = parseArgs({
  options: { tables: { type: 'string', default: '1000' }, rows: { type: 'string', default: '200' }, runs: { type: 'string', default: '5' } },
});
const tableCount = Number(values.tables);
const rowsPerTable = Number(values.rows);
const runs = Number(values.runs);

const cluster = process.env.LOGBOOK_BENCH_SERVER_URL ? null : await startThrowawayCluster({ log: (line) => console.error(line) });
const server = process.env.LOGBOOK_BENCH_SERVER_URL ?? cluster!.url;
const database = `bench_snapshot_${process.pid}`;
const admin = new pg.Client({ connectionString: server });
await admin.connect();
await admin.query(`CREATE DATABASE ${database}`);
const url = withDatabase(server, database);

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const time = async (fn: () => Promise<unknown>) => {
  const start = performance.now();
  await fn();
  return performance.now() - start;
};

try {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  console.error(`creating ${tableCount} tables with ${rowsPerTable} rows each (two schemas)...`);
  await client.query('CREATE SCHEMA app');
  const tables = Array.from({ length: tableCount }, (_, i) => ({ schema: i % 2 ? 'app' : 'public', name: `t_${String(i).padStart(4, '0')}` }));
  for (let i = 0; i < tables.length; i += 100) {
    const batch = tables.slice(i, i + 100).map((t) => {
      const name = qualifiedName(t);
      return `CREATE TABLE ${name} (id bigserial PRIMARY KEY, label text NOT NULL, created_at timestamptz DEFAULT now());
              CREATE INDEX ON ${name} (label);
              INSERT INTO ${name} (label) SELECT 'row ' || g FROM generate_series(1, ${rowsPerTable}) g;`;
    });
    await client.query(batch.join('\n'));
  }
  await client.query('ANALYZE');

  const capture = logbookConfigSchema.parse({}).capture;
  const estimate: number[] = [];
  const exact: number[] = [];
  const sequential: number[] = [];
  const counting: number[] = [];
  const ratios: number[] = [];
  await takeSnapshot(url, { mode: 'estimate', capture, migrationsDir: null }); // warm the catalog caches
  for (let run = 0; run < runs; run += 1) {
    estimate.push(await time(() => takeSnapshot(url, { mode: 'estimate', capture, migrationsDir: null })));
    exact.push(await time(() => takeSnapshot(url, { mode: 'exact', capture, migrationsDir: null })));
    // The counting step alone, as the snapshot runs it: its own connections, one exported snapshot.
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const snapshotId = (await client.query<{ id: string }>('SELECT pg_export_snapshot() AS id')).rows[0]!.id;
    const counted = await time(async () => {
      const outcomes = await countTablesExactly(url, tables, {
        snapshotId,
        concurrency: capture.countConcurrency,
        timeoutMs: capture.countTimeoutMs,
        lockTimeoutMs: capture.lockTimeoutMs,
      });
      if ([...outcomes.values()].some((o) => !o.ok) || outcomes.size !== tables.length) throw new Error('a table was not counted');
    });
    await client.query('COMMIT');
    counting.push(counted);
    let sum = 0;
    for (const table of tables) sum += await time(() => client.query(`SELECT count(*) FROM ${qualifiedName(table)}`));
    sequential.push(sum);
    ratios.push(counted / sum);
  }
  await client.end();

  const ms = (xs: number[]) =>
    `${median(xs).toFixed(0).padStart(6)} ms (median of ${xs.length}; min ${Math.min(...xs).toFixed(0)}, max ${Math.max(...xs).toFixed(0)})`;
  console.log(`snapshot benchmark: ${tableCount} tables x ${rowsPerTable} rows, ${tableCount * 2} indexes, PostgreSQL at ${new URL(server).host}`);
  console.log(`  snapshot, estimates only          ${ms(estimate)}   target < 500 ms`);
  console.log(`  snapshot, exact counts (${capture.countConcurrency} conns)  ${ms(exact)}`);
  console.log(`  exact counts alone (${capture.countConcurrency} conns)     ${ms(counting)}`);
  console.log(`  sum of sequential count(*) calls  ${ms(sequential)}`);
  console.log(`  exact counts / sequential sum     ${median(ratios).toFixed(2)}x (median of the ratios of each run)   target <= 1.00x`);
} finally {
  await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  await admin.end();
  await cluster?.stop();
}
