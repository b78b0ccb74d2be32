// `logbook backup` end to end through the real entry: failures leave nothing behind, passwords never leak.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmod, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { fileURLToPath } from 'node:url';
import { runCli, type CliResult } from '../helpers/cli.ts';
import { createTestDatabase, sql, testServerUrl } from '../helpers/postgres.ts';
import { withDatabase } from '../../src/adapters/pg/client.ts';

const ENTRY = fileURLToPath(new URL('../../scripts/logbook.mjs', import.meta.url));

async function tempDir(t: TestContext, prefix = 'logbook-cli-backup-'): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** Pids of running pg_dump processes whose command line mentions `needle` (read from /proc, as `ps` would). */
async function pgDumpPids(needle: string): Promise<Array<{ pid: number; argv: string[] }>> {
  const found: Array<{ pid: number; argv: string[] }> = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const argv = (await readFile(`/proc/${entry}/cmdline`, 'utf8').catch(() => '')).split('\0').filter(Boolean);
    if (argv[0]?.endsWith('pg_dump') && argv.some((a) => a.includes(needle))) found.push({ pid: Number(entry), argv });
  }
  return found;
}

/** Starts `logbook backup` and returns its child plus a promise of its result. */
function startBackup(args: string[]): { pid: number; result: Promise<CliResult> } {
  const child = spawn(process.execPath, [ENTRY, 'backup', ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, CI: '1' } });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
  child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
  return { pid: child.pid!, result: new Promise((resolve) => child.once('close', (code) => resolve({ code, stdout, stderr }))) };
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

async function bigDatabase(t: TestContext, prefix: string) {
  const db = await createTestDatabase(t, prefix);
  // Large and poorly compressible enough that pg_dump is still writing when the test interferes.
  await sql(db.url, `CREATE TABLE big AS SELECT g AS id, md5(g::text) || md5((g * 7)::text) || md5((g * 13)::text) AS v FROM generate_series(1, 1500000) g;`);
  return db;
}

/** The `.partial` archive once pg_dump has written some of it. */
async function partialWithData(dir: string): Promise<string> {
  return until('a partial archive with data', async () => {
    for (const name of await readdir(dir).catch(() => [])) {
      if (name.endsWith('.partial') && (await stat(join(dir, name)).catch(() => ({ size: 0 }))).size > 0) return name;
    }
    return undefined;
  });
}

test('a nonexistent database: exit 3, a clear error, no archive and no sidecar', async (t) => {
  const dir = await tempDir(t);
  const url = withDatabase(await testServerUrl(), 'logbook_no_such_database');
  const result = await runCli(['backup', '--db', url, '--dir', dir, '--verify', 'none']);
  assert.equal(result.code, 3, 'a missing database is "cannot connect" in the exit-code table');
  assert.match(result.stderr, /database does not exist/);
  assert.match(result.stderr, /next: /);
  assert.deepEqual(await readdir(dir).catch(() => []), []);
});

test('a backup folder below a regular file: exit 5 naming the folder and the filesystem problem, not PostgreSQL', async (t) => {
  const db = await createTestDatabase(t, 'bk_notdir');
  const parent = await tempDir(t);
  await writeFile(join(parent, 'a-file'), 'not a folder\n');
  const dir = join(parent, 'a-file', 'backups');
  const result = await runCli(['backup', '--db', db.url, '--dir', dir, '--verify', 'none']);
  assert.equal(result.code, 5, result.stderr);
  assert.ok(result.stderr.includes(`the backup folder ${dir} cannot be used: part of its path is a file, not a folder`), result.stderr);
  assert.match(result.stderr, /why: ENOTDIR: not a directory, mkdir/);
  assert.match(result.stderr, /next: .*choose another folder with --dir or paths\.backups/);
  assert.doesNotMatch(result.stderr, /PostgreSQL|backing up the database/);
});

test('pg_dump killed mid-way: exit 5 naming the kill, the partial archive removed, no sidecar', async (t) => {
  const db = await bigDatabase(t, 'bk_kill');
  const dir = await tempDir(t);
  const run = startBackup(['--db', db.url, '--dir', dir, '--verify', 'none']);
  await partialWithData(dir);
  const [dump] = await pgDumpPids(db.name);
  assert.ok(dump, 'pg_dump is running');
  process.kill(dump.pid, 'SIGKILL');
  const result = await run.result;
  assert.equal(result.code, 5, result.stderr);
  assert.match(result.stderr, /pg_dump was killed \(SIGKILL\)/);
  assert.deepEqual(await readdir(dir), []);
});

test('SIGTERM to logbook stops pg_dump and cleans up: exit 130, nothing left', async (t) => {
  const db = await bigDatabase(t, 'bk_term');
  const dir = await tempDir(t);
  const run = startBackup(['--db', db.url, '--dir', dir, '--verify', 'none']);
  await partialWithData(dir);
  process.kill(run.pid, 'SIGTERM');
  const result = await run.result;
  assert.equal(result.code, 130, result.stderr);
  assert.deepEqual(await readdir(dir), []);
  assert.deepEqual(await pgDumpPids(db.name), [], 'pg_dump was stopped');
});

test('a password-protected role: the password is in no argv, sidecar, output or error', async (t) => {
  const password = 'Sup3r:Secret/p@ss-Word';
  const role = `bk_role_${process.pid}`;
  const server = await testServerUrl();
  // Hooks run in order: the database (owned by the role) is dropped before the role.
  const db = await createTestDatabase(t, 'bk_pw');
  await sql(server, `CREATE ROLE ${role} LOGIN CREATEDB PASSWORD '${password}'`);
  t.after(() => sql(server, `DROP ROLE IF EXISTS ${role}`));
  await sql(db.url, `ALTER DATABASE ${db.name} OWNER TO ${role}; ALTER SCHEMA public OWNER TO ${role};`);
  const roleUrl = new URL(db.url);
  roleUrl.username = role;
  roleUrl.password = encodeURIComponent(password);
  await sql(roleUrl.toString(), `CREATE TABLE accounts (id int PRIMARY KEY); INSERT INTO accounts SELECT generate_series(1, 42);`);

  // A PATH shim records pg_dump's and pg_restore's argv exactly as ps would show it, then runs the real program.
  const shims = await tempDir(t, 'logbook-shims-');
  const argvLog = join(shims, 'argv.log');
  for (const tool of ['pg_dump', 'pg_restore']) {
    const real = (await runWhich(tool)).trim();
    await writeFile(join(shims, tool), `#!/bin/sh\nprintf '%s ' "$0" "$@" >> '${argvLog}'\necho >> '${argvLog}'\nexec '${real}' "$@"\n`);
    await chmod(join(shims, tool), 0o755);
  }
  const dir = await tempDir(t);
  const env = { PATH: `${shims}:${process.env.PATH}`, DATABASE_URL: undefined, PGPASSWORD: undefined };
  const ok = await runCli(['backup', '--db', roleUrl.toString(), '--dir', dir, '--verify', 'restore', '--json'], { env });
  assert.equal(ok.code, 0, ok.stderr);
  const meta = JSON.parse(ok.stdout) as { path: string; tables: Array<{ rows: number }> };
  assert.equal(meta.tables[0]?.rows, 42);
  const bad = await runCli(['backup', '--db', `${roleUrl.toString()}_missing`, '--dir', dir], { env });
  assert.notEqual(bad.code, 0);
  const wrongPassword = new URL(roleUrl);
  wrongPassword.password = encodeURIComponent(`${password}-wrong`);
  const denied = await runCli(['backup', '--db', wrongPassword.toString(), '--dir', dir], { env });
  assert.equal(denied.code, 3, 'a wrong password is "cannot connect" in the exit-code table');
  assert.match(denied.stderr, /authentication failed/);

  const argv = await readFile(argvLog, 'utf8');
  assert.match(argv, /pg_dump .*--snapshot=/, 'the shim saw pg_dump run');
  assert.match(argv, /pg_restore .*--dbname=/, 'the shim saw pg_restore run');
  const sidecar = await readFile(`${meta.path}.meta.json`, 'utf8');
  const everything = [argv, sidecar, ok.stdout, ok.stderr, bad.stdout, bad.stderr, denied.stdout, denied.stderr].join('\n');
  for (const form of [password, encodeURIComponent(password), `${password}-wrong`]) assert.ok(!everything.includes(form), `found ${form}`);
});

test('pg_dump older than the server: a clear error naming both versions', async (t) => {
  const db = await createTestDatabase(t, 'bk_old');
  const shims = await tempDir(t, 'logbook-shims-');
  await writeFile(join(shims, 'pg_dump'), `#!/bin/sh\necho 'pg_dump (PostgreSQL) 9.6.24'\n`);
  await chmod(join(shims, 'pg_dump'), 0o755);
  const dir = await tempDir(t);
  const result = await runCli(['backup', '--db', db.url, '--dir', dir], { env: { PATH: `${shims}:${process.env.PATH}` } });
  assert.equal(result.code, 5, result.stderr);
  assert.match(result.stderr, /pg_dump 9\.6\.24 is older than the server \(PostgreSQL \d+\.\d+/);
  assert.deepEqual(await readdir(dir).catch(() => []), []);
});

function runWhich(tool: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('sh', ['-c', `command -v ${tool}`], { stdio: ['ignore', 'pipe', 'ignore'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (out += c));
    child.once('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`${tool} not on PATH`))));
  });
}

test('an unreachable host is exit 3 (cannot connect), not a backup failure', async (t) => {
  const dir = await tempDir(t);
  const result = await runCli(['backup', '--db', 'postgresql://nobody@127.0.0.1:1/x', '--dir', dir, '--verify', 'none']);
  assert.equal(result.code, 3, result.stderr);
  assert.match(result.stderr, /nothing is listening/);
  assert.deepEqual(await readdir(dir).catch(() => []), []);
});
