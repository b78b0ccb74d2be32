// Ctrl-C during the demo's start-up, at several moments: the throwaway PostgreSQL is stopped and its
// folder removed every time, whatever the demo was doing.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const DEMO = fileURLToPath(new URL('../../scripts/demo.ts', import.meta.url));

/** Processes whose command line or working directory lies under `dir` (a PostgreSQL server keeps both there). */
function processesUnder(dir: string): string[] {
  const found: string[] = [];
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
      let cwd = '';
      try {
        cwd = readlinkSync(`/proc/${pid}/cwd`);
      } catch {
        // Another user's process: its command line is enough.
      }
      if (cmdline.includes(dir) || cwd.startsWith(dir)) found.push(`${pid}: ${cmdline.trim()}`);
    } catch {
      // The process ended while we looked.
    }
  }
  return found;
}

interface Interrupted {
  code: number | null;
  signal: NodeJS.Signals | null;
  output: string;
  leftInTmp: string[];
  processes: string[];
}

/** Starts the demo with its own TMPDIR, sends Ctrl-C (SIGINT to its process group, as a terminal does) `delayMs` after a line matches. */
function interruptDemo(root: string, name: string, at: RegExp, delayMs = 0): Promise<Interrupted> {
  const tmp = join(root, name, 'tmp');
  mkdirSync(tmp, { recursive: true });
  // As root the cluster belongs to the postgres user, which must be able to reach its folder.
  chmodSync(join(root, name), 0o755);
  chmodSync(tmp, 0o755);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [DEMO, '--workspace', join(root, name, 'ws'), '--scale', '0.02', '--no-serve'], {
      detached: true,
      env: { ...process.env, TMPDIR: tmp, CI: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    let sent = false;
    const onData = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      if (!sent && at.test(output)) {
        sent = true;
        setTimeout(() => process.kill(-child.pid!, 'SIGINT'), delayMs);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    const guard = setTimeout(() => {
      process.kill(-child.pid!, 'SIGKILL');
      reject(new Error(`the demo did not stop in time; output:\n${output}`));
    }, 120_000);
    child.once('error', reject);
    child.once('close', (code, signal) => {
      clearTimeout(guard);
      if (!sent) return reject(new Error(`never saw ${at}; output:\n${output}`));
      // Compiled-source caches of the CLI runs are Node's, not the demo's.
      const leftInTmp = readdirSync(tmp).filter((entry) => entry !== 'node-compile-cache');
      resolve({ code, signal, output, leftInTmp, processes: processesUnder(join(root, name)) });
    });
  });
}

describe('Ctrl-C during the demo start-up', () => {
  let root: string;
  before(() => {
    root = mkdtempSync(join(tmpdir(), 'logbook-demo-int-'));
    chmodSync(root, 0o755);
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  const moments: Array<[string, RegExp, number]> = [
    ['while initdb runs', /1\/5 starting/, 0],
    ['while the server starts', /1\/5 starting/, 700],
    ['while the game databases are filled', /2\/5 creating/, 300],
    ['while the first record is filed through the CLI', /• staging: add achievements/, 1500],
  ];
  for (const [i, [moment, at, delay]] of moments.entries()) {
    it(`removes the cluster and its folder when interrupted ${moment}`, async () => {
      const result = await interruptDemo(root, `m${i}`, at, delay);
      assert.deepEqual(result.processes, [], 'no PostgreSQL (or other) process is left');
      assert.deepEqual(result.leftInTmp, [], 'no temp folder is left');
      assert.equal(result.code, 130, result.output);
      assert.match(result.output, /stopped; the throwaway database is removed/);
    });
  }
});
