// Benchmark (not a test): how long the CLI takes to start, against a bare `node -e 0` started the same way in the
// same run. `npm run bench:startup [-- --runs N]`; median of N (default 10), the variants interleaved so that
// load on the machine hits them alike. `logbook status` runs against the demo's game database (small scale) on a
// throwaway cluster, or LOGBOOK_BENCH_SERVER_URL (a superuser URL) when set.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { withDatabase } from '../../src/adapters/pg/client.ts';
import { DEMO_APP_DIR, setUpGameDatabase } from '../demo/game-database.ts';
import { startThrowawayCluster } from '../support/throwaway-cluster.ts';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '10' } } });
const runs = Number(values.runs);
const ENTRY = fileURLToPath(new URL('../logbook.mjs', import.meta.url));

const cluster = process.env.LOGBOOK_BENCH_SERVER_URL ? null : await startThrowawayCluster({ log: (line) => console.error(line) });
const server = process.env.LOGBOOK_BENCH_SERVER_URL ?? cluster!.url;
const database = `bench_startup_${process.pid}`;
const admin = new pg.Client({ connectionString: server });
await admin.connect();
await admin.query(`CREATE DATABASE ${database}`);
const url = withDatabase(server, database);

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

try {
  console.error('creating the demo game database (scale 0.02)...');
  await setUpGameDatabase(url, { scale: 0.02 });
  const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: url };
  delete env.LOGBOOK_CONFIG;
  const variants: Array<{ name: string; args: string[]; target?: number; exit?: number }> = [
    { name: 'node -e 0', args: ['-e', '0'] },
    { name: 'logbook --help', args: [ENTRY, '--help'], target: 3 },
    { name: 'logbook status --help', args: [ENTRY, 'status', '--help'], target: 3 },
    { name: 'logbook status (demo database)', args: [ENTRY, 'status', '--migrations', `${DEMO_APP_DIR}prisma/migrations`], target: 8 },
  ];
  const timings = new Map(variants.map((v) => [v.name, [] as number[]]));
  // One untimed round first: Node's compile cache is filled once, as on any machine after the first command.
  for (let round = -1; round < runs; round += 1) {
    for (const variant of variants) {
      const start = performance.now();
      const result = spawnSync(process.execPath, variant.args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
      const ms = performance.now() - start;
      if (result.status !== 0) throw new Error(`${variant.name} exited ${result.status}: ${result.stderr.toString()}`);
      if (round >= 0) timings.get(variant.name)!.push(ms);
    }
  }
  const base = median(timings.get('node -e 0')!);
  console.log(`start-up, median of ${runs} (Node ${process.versions.node}; ${variants.length} variants interleaved)`);
  for (const variant of variants) {
    const ms = median(timings.get(variant.name)!);
    const ratio = ms / base;
    const verdict = variant.target ? (ratio <= variant.target ? `  within ${variant.target}x` : `  OVER ${variant.target}x`) : '';
    console.log(`  ${variant.name.padEnd(32)} ${ms.toFixed(0).padStart(5)} ms  ${ratio.toFixed(2)}x${verdict}`);
  }
} finally {
  await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`).catch(() => {});
  await admin.end();
  await cluster?.stop();
}
