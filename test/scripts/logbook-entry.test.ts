// The `logbook` bin under an old Node (the system Node 20 of these machines): it hands over to the Node that
// provision.sh installed, or prints the one line that installs it; never ERR_UNKNOWN_FILE_EXTENSION.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const ENTRY = join(ROOT, 'scripts', 'logbook.mjs');
const OLD_NODE = '/usr/bin/node';

function versionOf(node: string): [number, number] | null {
  const result = spawnSync(node, ['-p', 'process.versions.node'], { encoding: 'utf8' });
  if (result.status !== 0) return null;
  const [major, minor] = result.stdout.trim().split('.').map(Number);
  return [major!, minor!];
}
const old = existsSync(OLD_NODE) ? versionOf(OLD_NODE) : null;
const skip = !old ? `${OLD_NODE} is absent` : old[0] > 22 || (old[0] === 22 && old[1] >= 18) ? `${OLD_NODE} is not older than 22.18` : false;

describe('the logbook bin under an old Node', { skip }, () => {
  let dir: string;
  let provisioned: string;
  let empty: string;

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'logbook-entry-'));
    // A provision.sh cache whose node is the Node running these tests.
    provisioned = join(dir, 'provisioned');
    mkdirSync(join(provisioned, 'node_modules', '.bin'), { recursive: true });
    symlinkSync(process.execPath, join(provisioned, 'node_modules', '.bin', 'node'));
    empty = join(dir, 'empty');
    mkdirSync(empty);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const run = (args: string[], cache: string, command: string[] = [OLD_NODE, ENTRY]) =>
    spawnSync(command[0]!, [...command.slice(1), ...args], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, PATH: `/usr/bin:/bin`, LOGBOOK_NODE_CACHE: cache, npm_config_cache: join(dir, 'npm-cache') },
    });

  it('hands over to the provisioned Node: --help works and exit codes come back', () => {
    const help = run(['--help'], provisioned);
    assert.equal(help.status, 0, help.stderr);
    assert.match(help.stdout, /^Usage: logbook <command>/m);
    const status = run(['status', '--help'], provisioned);
    assert.equal(status.status, 0, status.stderr);
    assert.match(status.stdout, /^Usage: logbook status/m);
    const unknown = run(['deploy'], provisioned);
    assert.equal(unknown.status, 2);
    assert.match(unknown.stderr, /unknown command "deploy"/);
  });

  it('without a provisioned Node, prints one line with the exact command to run, and exits 2', () => {
    const result = run(['status', '--env', "o'brien prod"], empty);
    assert.equal(result.status, 2);
    assert.equal(result.stdout, '');
    assert.doesNotMatch(result.stderr, /ERR_UNKNOWN_FILE_EXTENSION/);
    const lines = result.stderr.trimEnd().split('\n');
    assert.equal(lines.length, 1, result.stderr);
    assert.match(lines[0]!, /needs Node 22\.18 or newer \(this is Node 2\d\./);
    assert.ok(lines[0]!.endsWith(`run: bash ${join(ROOT, 'scripts', 'provision.sh')} npx logbook status --env 'o'\\''brien prod'`), lines[0]);
  });

  it("works through the README's `npx logbook` with the old Node's npx", { skip: !existsSync('/usr/bin/npx') && '/usr/bin/npx is absent' }, () => {
    const result = run(['--help'], provisioned, ['/usr/bin/npx', 'logbook']);
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /^Usage: logbook <command>/m);
  });
});
