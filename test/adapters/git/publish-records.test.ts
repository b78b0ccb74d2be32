// Records through a git remote: two clones push records filed at the same time without losing either; an unreachable remote is exit 15.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { checkCanCommit, pushRecords } from '../../../src/adapters/git/publish-records.ts';
import { commitRecord } from '../../../src/adapters/git/commit-record.ts';
import { LogbookError } from '../../../src/cli/errors.ts';

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' } }).trim();
}

/** A bare remote with one commit, and `n` clones of it, each with its own identity. */
function remoteWithClones(t: test.TestContext, n: number): { remote: string; clones: string[] } {
  const root = mkdtempSync(join(tmpdir(), 'logbook-remote-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const remote = join(root, 'records.git');
  git(root, 'init', '-q', '--bare', '-b', 'main', remote);
  const seed = join(root, 'seed');
  git(root, 'clone', '-q', remote, seed);
  git(seed, 'config', 'user.name', 'Seed');
  git(seed, 'config', 'user.email', 'seed@example.com');
  mkdirSync(join(seed, 'content/records'), { recursive: true });
  writeFileSync(join(seed, 'content/records/.gitkeep'), '');
  git(seed, 'add', '.');
  git(seed, 'commit', '-qm', 'records folder');
  git(seed, 'push', '-q', 'origin', 'HEAD:main');
  const clones = Array.from({ length: n }, (_, i) => {
    const dir = join(root, `clone-${i}`);
    git(root, 'clone', '-q', remote, dir);
    git(dir, 'config', 'user.name', `Operator ${i}`);
    git(dir, 'config', 'user.email', `op${i}@example.com`);
    return dir;
  });
  return { remote, clones };
}

async function fileAndCommit(clone: string, name: string): Promise<void> {
  const file = join(clone, 'content/records', `${name}.mdx`);
  writeFileSync(file, `---\nid: ${name}\n---\n`);
  await commitRecord(file, `logbook: ${name}`);
}

test('records committed on two clones at once both reach the remote: the second push rebases onto the first', async (t) => {
  const { remote, clones } = remoteWithClones(t, 2);
  const [a, b] = clones as [string, string];
  await fileAndCommit(a, 'from-a');
  await fileAndCommit(b, 'from-b');
  await pushRecords(join(a, 'content/records'));
  const second = await pushRecords(join(b, 'content/records'));
  assert.equal(second.attempts, 2, 'the second push was rejected once, then rebased and pushed');
  const files = git(remote, 'ls-tree', '--name-only', 'main', 'content/records/').split('\n');
  assert.deepEqual(files.sort(), ['content/records/.gitkeep', 'content/records/from-a.mdx', 'content/records/from-b.mdx']);
  // Nothing duplicated, nothing merged: a linear history of one commit per record.
  assert.equal(git(remote, 'rev-list', '--count', '--merges', 'main'), '0');
  assert.equal(git(remote, 'rev-list', '--count', 'main'), '3');
});

test('an unreachable remote is exit 15 with the record still committed locally; a later push sends it', async (t) => {
  const { remote, clones } = remoteWithClones(t, 1);
  const [a] = clones as [string];
  await fileAndCommit(a, 'offline');
  git(a, 'remote', 'set-url', 'origin', join(remote, '..', 'gone.git'));
  const error = await pushRecords(join(a, 'content/records'), { attempts: 2 }).then(
    () => assert.fail('the push should fail'),
    (e: unknown) => e,
  );
  assert.ok(error instanceof LogbookError);
  assert.equal(error.outcome, 'not-committed');
  assert.match(error.hint ?? '', /logbook sync/);
  assert.equal(git(a, 'log', '-1', '--format=%s'), 'logbook: offline');
  git(a, 'remote', 'set-url', 'origin', remote);
  await pushRecords(join(a, 'content/records'));
  assert.match(git(remote, 'log', '-1', '--format=%s', 'main'), /offline/);
});

test('pre-flight: no git identity, or uncommitted edits in the records folder, refuse before anything runs (exit 10)', async (t) => {
  const { clones } = remoteWithClones(t, 1);
  const [a] = clones as [string];
  const records = join(a, 'content/records');
  await checkCanCommit(records);

  writeFileSync(join(records, 'stray.mdx'), 'half a record');
  const dirty = await checkCanCommit(records).then(
    () => assert.fail('a dirty records folder should refuse'),
    (e: unknown) => e as LogbookError,
  );
  assert.equal(dirty.code, 'E_GIT_RECORDS_DIRTY');
  assert.equal(dirty.outcome, 'stopped-before-change');
  assert.match(dirty.message, /stray\.mdx/);
  rmSync(join(records, 'stray.mdx'));

  git(a, 'config', '--unset', 'user.name');
  git(a, 'config', '--unset', 'user.email');
  const home = mkdtempSync(join(tmpdir(), 'logbook-home-'));
  t.after(() => rmSync(home, { recursive: true, force: true }));
  const saved = { HOME: process.env.HOME, GIT_CONFIG_NOSYSTEM: process.env.GIT_CONFIG_NOSYSTEM, EMAIL: process.env.EMAIL };
  Object.assign(process.env, { HOME: home, GIT_CONFIG_NOSYSTEM: '1' });
  delete process.env.EMAIL;
  t.after(() => {
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  });
  const anonymous = await checkCanCommit(records).then(
    () => assert.fail('no identity should refuse'),
    (e: unknown) => e as LogbookError,
  );
  assert.equal(anonymous.code, 'E_GIT_IDENTITY');
  assert.equal(anonymous.outcome, 'stopped-before-change');
});
