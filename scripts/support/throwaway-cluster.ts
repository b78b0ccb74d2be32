// A private, disposable PostgreSQL cluster for tests and the demo: own data dir, socket dir and port,
// no fsync, removed on stop (and on process exit, so a failed test or Ctrl-C leaves nothing behind).
import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';

export interface ThrowawayCluster {
  /** Superuser URL (trust auth on 127.0.0.1), database `postgres`. */
  url: string;
  port: number;
  dir: string;
  binDir: string;
  stop(): Promise<void>;
}

/** Where initdb/pg_ctl live: pg_config --bindir, then PATH, then the newest /usr/lib/postgresql/N/bin. */
export function findServerBinDir(): string {
  const candidates: string[] = [];
  try {
    candidates.push(execFileSync('pg_config', ['--bindir'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim());
  } catch {
    // pg_config is optional (client-only installs lack it).
  }
  candidates.push(...(process.env.PATH ?? '').split(':'));
  const root = '/usr/lib/postgresql';
  if (existsSync(root)) {
    const versions = readdirSync(root)
      .filter((v) => /^\d+$/.test(v))
      .sort((a, b) => Number(b) - Number(a));
    candidates.push(...versions.map((v) => join(root, v, 'bin')));
  }
  const found = candidates.find((dir) => dir && existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'pg_ctl')));
  if (!found) {
    throw new Error(
      'PostgreSQL server binaries (initdb, pg_ctl) not found. Install them, e.g. `apt-get install postgresql`, or set LOGBOOK_TEST_DATABASE_URL to an existing server.',
    );
  }
  return found;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** runuser lives in sbin, which a minimal PATH (cron, CI, `env -i`) may not include. */
function runuserPath(): string {
  const dirs = [...(process.env.PATH ?? '').split(':'), '/usr/sbin', '/sbin', '/usr/bin', '/bin'];
  return dirs.map((dir) => join(dir, 'runuser')).find((path) => existsSync(path)) ?? 'runuser';
}

/** initdb refuses to run as root, so as root the cluster belongs to the `postgres` system user. */
function asServerUser(binary: string, args: string[]): [string, string[]] {
  if (userInfo().uid !== 0) return [binary, args];
  return [runuserPath(), ['-u', 'postgres', '--', binary, ...args]];
}

function run(binary: string, args: string[]): void {
  const [cmd, argv] = asServerUser(binary, args);
  const result = spawnSync(cmd, argv, { encoding: 'utf8' });
  if (result.status !== 0) {
    const why = result.error ? `could not start ${cmd}: ${result.error.message}` : `exit ${result.status ?? result.signal}`;
    throw new Error(`${binary} ${args.join(' ')} failed (${why}):\n${result.stderr || result.stdout || ''}`);
  }
}

export interface ThrowawayClusterOptions {
  log?: (line: string) => void;
  /**
   * Receives the cluster's stop function as soon as its folder exists, before initdb: a caller interrupted
   * mid-start (Ctrl-C) can remove what was made so far. Stopping mid-start makes the start fail.
   */
  onCreated?: (stop: () => Promise<void>) => void;
}

export async function startThrowawayCluster(options: ThrowawayClusterOptions = {}): Promise<ThrowawayCluster> {
  const binDir = findServerBinDir();
  const dir = mkdtempSync(join(tmpdir(), 'logbook-pg-'));
  const dataDir = join(dir, 'data');
  const socketDir = join(dir, 'sock');
  let stopped = false;
  const stopNow = () => {
    if (stopped) return;
    stopped = true;
    process.off('exit', stopNow);
    if (existsSync(dataDir)) {
      const [cmd, argv] = asServerUser(join(binDir, 'pg_ctl'), ['-D', dataDir, '-m', 'immediate', '-w', 'stop']);
      spawnSync(cmd, argv, { stdio: 'ignore' });
    }
    rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', stopNow);
  const stop = async () => stopNow();
  options.onCreated?.(stop);
  const ensureNotStopped = () => {
    if (stopped) throw new Error('the throwaway PostgreSQL was stopped while it was starting');
  };

  try {
    mkdirSync(socketDir);
    if (userInfo().uid === 0) {
      const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }));
      const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }));
      for (const path of [dir, socketDir]) chownSync(path, uid, gid);
    }
    run(join(binDir, 'initdb'), ['-D', dataDir, '-U', 'postgres', '--auth=trust', '--no-sync', '--encoding=UTF8', '--locale=C', '--no-instructions']);

    // The superuser is trusted on loopback; any other role must give its password, so auth failures are testable.
    const hba = ['local all all trust', 'host all postgres 127.0.0.1/32 trust', 'host all all 127.0.0.1/32 scram-sha-256'].join('\n');
    writeFileSync(join(dataDir, 'pg_hba.conf'), `${hba}\n`, { mode: 0o644 });
    const port = await freePort();
    ensureNotStopped();
    const settings = [
      `-p ${port}`,
      `-k ${socketDir}`,
      '-c listen_addresses=127.0.0.1',
      '-c fsync=off',
      '-c synchronous_commit=off',
      '-c full_page_writes=off',
      '-c max_connections=100',
    ].join(' ');
    options.log?.(`starting throwaway PostgreSQL on 127.0.0.1:${port} (${dir})`);
    run(join(binDir, 'pg_ctl'), ['-D', dataDir, '-o', settings, '-l', join(dir, 'server.log'), '-w', '-t', '60', 'start']);
    return {
      url: `postgresql://postgres@127.0.0.1:${port}/postgres`,
      port,
      dir,
      binDir,
      stop,
    };
  } catch (error) {
    stopNow();
    throw error;
  }
}
