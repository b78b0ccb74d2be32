// A self-contained logbook workspace around the demo app: its own config, records folder, state and
// backups, and an app git repo whose migrations arrive one commit at a time. The demo files records
// here (never into the user's content/records), and the integration tests build the same thing.
import { cpSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { simpleGit } from 'simple-git';
import type { z } from 'zod';
import type { logbookConfigSchema } from '../../src/schemas/config.ts';
import { DEMO_APP_DIR } from './game-database.ts';

export const REPO_RUNBOOKS_DIR = fileURLToPath(new URL('../../content/runbooks/', import.meta.url));

/** The seed's integrity SQL, generalised into config checks. */
export const SEED_INTEGRITY_CHECKS = [
  { name: 'players without wallet address', sql: 'SELECT COUNT(*) FROM players WHERE wallet_address IS NULL', expect: { equals: 0 } },
  {
    name: 'matches with a missing player1',
    sql: 'SELECT COUNT(*) FROM matches m WHERE NOT EXISTS (SELECT 1 FROM players p WHERE p.id = m.player1_id)',
    expect: { equals: 0 },
  },
];

/** The seed's health and endpoint curls, as smoke checks against the environment's base URL. */
export const SEED_SMOKE_CHECKS = [
  { name: 'health', url: '/health', expectJson: { path: 'status', equals: 'ok' } },
  {
    name: 'player initialize',
    method: 'POST',
    url: '/api/player/initialize',
    headers: { 'Content-Type': 'application/json' },
    body: '{"walletAddress":"test..."}',
  },
  { name: 'global leaderboard', url: '/api/leaderboard/global', expectJson: { path: 'entries', exists: true } },
  { name: 'current season', url: '/api/season/current' },
  { name: 'daily challenge', url: '/api/challenge/daily' },
];

export interface Workspace {
  dir: string;
  appDir: string;
  configFile: string;
  recordsDir: string;
  stateDir: string;
  backupsDir: string;
  environment: string;
  databaseUrlEnv: string;
  apiUrlEnv: string;
}

export interface WorkspaceOptions {
  environment?: string;
  databaseUrlEnv?: string;
  apiUrlEnv?: string;
  /** Extra config, merged over the defaults (e.g. paths.backups, maintenance). */
  config?: Partial<z.input<typeof logbookConfigSchema>>;
  commit?: boolean;
}

export async function createWorkspace(dir: string, options: WorkspaceOptions = {}): Promise<Workspace> {
  const ws: Workspace = {
    dir: resolve(dir),
    appDir: join(resolve(dir), 'app'),
    configFile: join(resolve(dir), 'logbook.config.json'),
    recordsDir: join(resolve(dir), 'content', 'records'),
    stateDir: join(resolve(dir), '.logbook'),
    backupsDir: join(resolve(dir), '.logbook', 'backups'),
    environment: options.environment ?? 'production',
    databaseUrlEnv: options.databaseUrlEnv ?? 'DEMO_DATABASE_URL',
    apiUrlEnv: options.apiUrlEnv ?? 'DEMO_API_URL',
  };
  mkdirSync(ws.recordsDir, { recursive: true });
  mkdirSync(join(ws.appDir, 'prisma'), { recursive: true });
  if (!existsSync(join(ws.appDir, 'prisma', 'migrations')))
    cpSync(join(DEMO_APP_DIR, 'prisma', 'migrations'), join(ws.appDir, 'prisma', 'migrations'), { recursive: true });
  const { paths, ...extra } = options.config ?? {};
  const config = {
    environments: {
      [ws.environment]: { databaseUrlEnv: ws.databaseUrlEnv, appRepo: 'app', smokeBaseUrlEnv: ws.apiUrlEnv },
    },
    paths: { records: 'content/records', runbooks: REPO_RUNBOOKS_DIR, backups: '.logbook/backups', state: '.logbook', ...paths },
    checks: SEED_INTEGRITY_CHECKS,
    smoke: SEED_SMOKE_CHECKS,
    commit: options.commit ?? true,
    ...extra,
  };
  writeFileSync(ws.configFile, `${JSON.stringify(config, null, 2)}\n`);

  for (const repo of [ws.dir, ws.appDir]) {
    const git = simpleGit(repo);
    if (!existsSync(join(repo, '.git'))) {
      await git.init();
      await git.addConfig('user.name', 'Demo Deployer').addConfig('user.email', 'deployer@example.com').addConfig('commit.gpgsign', 'false');
    }
  }
  writeFileSync(join(ws.dir, '.gitignore'), '.logbook/\napp/\n');
  await simpleGit(ws.appDir)
    .add('.')
    .commit('init: game backend schema')
    .catch(() => {});
  await simpleGit(ws.dir)
    .add('.')
    .commit('logbook workspace')
    .catch(() => {});
  return ws;
}

/** A developer merges the next migration: copy it from the demo app's pending/ folder and commit. */
export async function addMigration(ws: Workspace, name: string, options: { sql?: string } = {}): Promise<void> {
  const target = join(ws.appDir, 'prisma', 'migrations', name);
  if (options.sql !== undefined) {
    mkdirSync(target, { recursive: true });
    writeFileSync(join(target, 'migration.sql'), options.sql);
  } else {
    cpSync(join(DEMO_APP_DIR, 'pending', name), target, { recursive: true });
  }
  await simpleGit(ws.appDir).add('.').commit(`migration: ${name}`);
}

/** The migration command the demo and tests wrap, like `npx prisma migrate deploy`. */
export function deployCommand(ws: Workspace): string[] {
  return [process.execPath, fileURLToPath(new URL('../../scripts/demo/migrate-deploy.ts', import.meta.url)), join(ws.appDir, 'prisma', 'migrations')];
}
