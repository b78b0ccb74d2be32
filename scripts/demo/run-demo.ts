// `npm run demo`: the whole product on an embedded default. A throwaway PostgreSQL with the seed's game
// backend, a workspace of its own, records filed through the real CLI for a believable sequence of
// migrations, then the site built and served. Ctrl-C stops everything and removes the cluster.
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { simpleGit } from 'simple-git';
import { withClient, withDatabase } from '../../src/adapters/pg/client.ts';
import { startThrowawayCluster, type ThrowawayCluster } from '../support/throwaway-cluster.ts';
import { buildSite, projectRoot } from '../support/build-site.ts';
import { startGameApi, type GameApi } from './game-api.ts';
import { setUpGameDatabase } from './game-database.ts';
import { resolveRolledBack } from './prisma-deploy.ts';
import { createCleanups, type Cleanups } from './cleanups.ts';
import { addMigration, createWorkspace, deployCommand, type Workspace } from './workspace.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const ENTRY = join(ROOT, 'scripts', 'logbook.mjs');

export interface DemoOptions {
  workspace: string;
  /** Data volume: 1 ≈ 120,000 rows. */
  scale: number;
  log: (line: string) => void;
  /**
   * Where the demo registers the undo step of everything it starts. Pass one created before the demo starts
   * (and run it on Ctrl-C) so that an interrupted start-up leaves nothing behind.
   */
  cleanups?: Cleanups;
}

interface Env {
  name: string;
  url: string;
  api: GameApi;
}

/** One CLI invocation, output streamed with a prefix; resolves with its exit code. */
function logbook(ws: Workspace, env: Env, args: string[], log: (line: string) => void, cleanups: Cleanups): Promise<number> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [ENTRY, args[0]!, '--config', ws.configFile, ...args.slice(1)], {
      cwd: ws.dir,
      env: { ...process.env, CI: '1', [`${env.name.toUpperCase()}_DATABASE_URL`]: env.url, [`${env.name.toUpperCase()}_API_URL`]: env.api.url },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const forward = (chunk: Buffer) =>
      chunk
        .toString('utf8')
        .split('\n')
        .filter(Boolean)
        .forEach((line) => {
          log(`    ${line}`);
        });
    child.stdout.on('data', forward);
    child.stderr.on('data', forward);
    // Stopping the demo stops a CLI run too (it releases its lock and journal), waiting a little for it.
    const drop = cleanups.add(
      () =>
        new Promise<void>((stopped) => {
          const timer = setTimeout(stopped, 5000);
          child.once('close', () => {
            clearTimeout(timer);
            stopped();
          });
          child.kill('SIGTERM');
        }),
    );
    child.on('close', (code) => {
      drop();
      done(code ?? 1);
    });
  });
}

async function latestRecordId(ws: Workspace): Promise<string> {
  const log = await simpleGit(ws.dir).log({ maxCount: 1 });
  const match = /Record (\S+?), run/.exec(log.latest?.body ?? '');
  if (!match) throw new Error('the last commit names no record');
  return match[1]!;
}

export async function runDemo(options: DemoOptions): Promise<{ workspace: Workspace; siteDir: string; stop: () => Promise<void> }> {
  const { log } = options;
  const started = performance.now();
  const dir = resolve(options.workspace);
  rmSync(dir, { recursive: true, force: true });
  const cleanups = options.cleanups ?? createCleanups();
  const stop = () => cleanups.run();
  // Once stopped (Ctrl-C), the next step must not start anything new.
  const notStopped = () => {
    if (cleanups.ran) throw new Error('the demo was stopped');
  };
  try {
    log('1/5 starting a throwaway PostgreSQL (removed when the demo stops)');
    const cluster: ThrowawayCluster = await startThrowawayCluster({ onCreated: (stopCluster) => cleanups.add(stopCluster) });
    notStopped();

    log(`2/5 creating the game backend (players, matches, seasons, leaderboards, daily challenges; scale ${options.scale})`);
    const environments: Env[] = [];
    for (const name of ['staging', 'production']) {
      await withClient(cluster.url, { doing: 'creating the demo database' }, (c) => c.query(`CREATE DATABASE game_${name}`));
      const url = withDatabase(cluster.url, `game_${name}`);
      await setUpGameDatabase(url, { scale: name === 'production' ? options.scale : options.scale / 4 });
      notStopped();
      const api = await startGameApi(url);
      cleanups.add(() => api.close());
      environments.push({ name, url, api });
    }
    const [staging, production] = environments as [Env, Env];
    const rows = await withClient(production.url, { doing: 'counting' }, (c) =>
      c.query<{ n: string }>('SELECT sum(n_live_tup)::bigint AS n FROM pg_stat_user_tables'),
    );
    log(`    production holds ${Number(rows.rows[0]?.n ?? 0).toLocaleString('en-US')} rows`);

    log(`3/5 workspace ${dir} (its own config, records and app repo; your content/records is untouched)`);
    const ws = await createWorkspace(dir, {
      environment: 'production',
      databaseUrlEnv: 'PRODUCTION_DATABASE_URL',
      apiUrlEnv: 'PRODUCTION_API_URL',
      config: {
        environments: {
          staging: { databaseUrlEnv: 'STAGING_DATABASE_URL', appRepo: 'app', smokeBaseUrlEnv: 'STAGING_API_URL' },
          production: {
            databaseUrlEnv: 'PRODUCTION_DATABASE_URL',
            appRepo: 'app',
            smokeBaseUrlEnv: 'PRODUCTION_API_URL',
            maintenance: { enter: 'touch .maintenance && sleep 0.2', leave: 'rm -f .maintenance' },
          },
        },
        // Between staging's matches (~20,000 at scale 1) and production's (~80,000): the same index warns on one and is an error on the other.
        lint: { largeTableRows: 50_000 },
        // The demo shows the strongest verification: every backup restored into a scratch database and counted.
        backup: { verify: 'restore' },
      } as never,
    });

    log('4/5 filing records through the real CLI');
    const deploy = deployCommand(ws);
    const step = async (env: Env, title: string, args: string[], expected: number) => {
      log(`  • ${env.name}: ${title}`);
      notStopped();
      const code = await logbook(ws, env, args, () => {}, cleanups);
      if (code !== expected) throw new Error(`${title} on ${env.name} exited ${code}, expected ${expected}; rerun it by hand in ${ws.dir} to see why`);
      log(`    ✓ exit ${code}`);
    };
    const run = (env: Env) => ['run', '--env', env.name, '--', ...deploy];

    await addMigration(ws, '20251201090000_add_achievements');
    await step(staging, 'add achievements (additive)', run(staging), 0);
    await step(production, 'add achievements (additive)', run(production), 0);

    await addMigration(ws, '20251203090000_index_matches_played_at');
    await step(staging, 'index matches.played_at without CONCURRENTLY (lint warns)', run(staging), 0);
    // On production the lint gate would stop this run (an error: a blocking lock on a large table); the team accepts it, with a reason the record keeps.
    const acceptIndex = [
      '--accept-lint',
      '20251203090000_index_matches_played_at:require-concurrent-index-creation=built during the maintenance window, writes are paused anyway',
    ];
    await step(
      production,
      'index matches.played_at without CONCURRENTLY (lint escalates: large table; accepted)',
      ['run', '--env', production.name, ...acceptIndex, '--', ...deploy],
      0,
    );

    await addMigration(ws, '20251205090000_backfill_season_rewards');
    await step(production, 'backfill season rewards (fails: missing column)', run(production), 11);
    // What a team does next: mark it rolled back in Prisma's history and revert it in the app.
    await resolveRolledBack(production.url, '20251205090000_backfill_season_rewards');
    await simpleGit(ws.appDir).rm(['-r', 'prisma/migrations/20251205090000_backfill_season_rewards']).commit('revert: backfill season rewards');

    await addMigration(ws, '20251208090000_drop_legacy_scores');
    await step(production, 'drop legacy scores (destructive)', run(production), 0);
    const destructive = await latestRecordId(ws);
    await step(production, `roll back ${destructive} from its backup`, ['rollback', '--record', destructive, '--yes'], 0);
    await simpleGit(ws.appDir).rm(['-r', 'prisma/migrations/20251208090000_drop_legacy_scores']).commit('revert: drop legacy scores');
    await step(production, 'verify every record digest and chain', ['verify'], 0);

    notStopped();
    log('5/5 building the site (astro build + pagefind)');
    // Astro wants its output inside the project; a workspace elsewhere (tests) gets a build folder there.
    const inside = !relative(projectRoot, dir).startsWith('..');
    const { outDir: siteDir } = await buildSite({
      recordsDir: ws.recordsDir,
      ...(inside ? { outDir: join(dir, 'site'), cacheDir: join(dir, '.astro-cache') } : {}),
    });
    log(`    built in ${Math.round((performance.now() - started) / 1000)} s since the demo started`);
    return { workspace: ws, siteDir, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Serve a built site with `astro preview` until the signal fires. */
export function previewSite(siteDir: string, port: number, signal: AbortSignal, log: (line: string) => void): Promise<void> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [join(ROOT, 'node_modules', '.bin', 'astro'), 'preview', '--host', '127.0.0.1', '--port', String(port)], {
      cwd: ROOT,
      env: { ...process.env, LOGBOOK_SITE_OUT_DIR: siteDir, ASTRO_TELEMETRY_DISABLED: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.on('data', (chunk: Buffer) => {
      if (/localhost|127\.0\.0\.1/.test(chunk.toString())) log(`\n  Migration Logbook demo: http://127.0.0.1:${port}/  (Ctrl-C to stop)\n`);
    });
    signal.addEventListener('abort', () => child.kill('SIGTERM'), { once: true });
    child.on('close', () => done());
  });
}
