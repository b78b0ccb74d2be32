// A world for `logbook run` tests: a game database on the throwaway server, a workspace (config,
// records, app git repo) around the demo app, and the demo's game API for smoke checks.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { startGameApi } from '../../scripts/demo/game-api.ts';
import { setUpGameDatabase } from '../../scripts/demo/game-database.ts';
import { createWorkspace, deployCommand, type Workspace, type WorkspaceOptions } from '../../scripts/demo/workspace.ts';
import { runCli, type CliResult } from './cli.ts';
import { createTestDatabase } from './postgres.ts';

export interface RunFixture {
  ws: Workspace;
  url: string;
  env: Record<string, string>;
  /** `logbook <args>` with the workspace config and env. */
  cli(args: string[], env?: Record<string, string | undefined>, input?: string): Promise<CliResult>;
  /** `logbook run --env <env> -- <demo migrate deploy>`. */
  run(extra?: string[]): Promise<CliResult>;
}

export async function makeRunFixture(t: Pick<TestContext, 'after'>, options: WorkspaceOptions & { databaseUrl?: string } = {}): Promise<RunFixture> {
  const db = await createTestDatabase(t, 'run');
  await setUpGameDatabase(db.url, { scale: 0.01 });
  const dir = mkdtempSync(join(tmpdir(), 'logbook-ws-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const ws = await createWorkspace(dir, { environment: 'staging', databaseUrlEnv: 'LOGBOOK_TEST_DB', apiUrlEnv: 'LOGBOOK_TEST_API', ...options });
  const api = await startGameApi(db.url);
  t.after(() => api.close());
  const url = options.databaseUrl ?? db.url;
  const env = { [ws.databaseUrlEnv]: url, [ws.apiUrlEnv]: api.url, CI: '1', DATABASE_URL: '' };
  const cli = (args: string[], extra: Record<string, string | undefined> = {}, input?: string) =>
    runCli([args[0]!, '--config', ws.configFile, ...args.slice(1)], { cwd: ws.dir, env: { ...env, ...extra }, ...(input === undefined ? {} : { input }) });
  return {
    ws,
    url: db.url,
    env,
    cli,
    run: (extra = []) => cli(['run', '--env', ws.environment, ...extra, '--', ...deployCommand(ws)]),
  };
}
