// An unreferenced snapshot file (what a crash between it and its record leaves) does not block the next run's
// pre-flight; an uncommitted record still does, and committing a record takes its snapshot files with it.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { commitRecord } from '../../../src/adapters/git/commit-record.ts';
import { checkCanCommit } from '../../../src/adapters/git/publish-records.ts';

const env = { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' };
const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8', env }).trim();

test('orphan snapshot files do not block pre-flight; records do; a record commits with its snapshot files', async (t) => {
  const repo = mkdtempSync(join(tmpdir(), 'logbook-orphan-'));
  t.after(() => rmSync(repo, { recursive: true, force: true }));
  git(repo, 'init', '-q');
  git(repo, 'config', 'user.name', 'Ada');
  git(repo, 'config', 'user.email', 'ada@example.com');
  const records = join(repo, 'content', 'records');
  mkdirSync(join(records, '_snapshots', 'ab'), { recursive: true });
  writeFileSync(join(records, '.gitkeep'), '');
  git(repo, 'add', '.');
  git(repo, 'commit', '-qm', 'records folder');

  const orphan = join(records, '_snapshots', 'ab', `ab${'0'.repeat(62)}.json`);
  writeFileSync(orphan, '{}\n');
  await checkCanCommit(records);

  const record = join(records, '2026-01-01-x-production.mdx');
  writeFileSync(record, '---\nid: x\n---\n');
  await assert.rejects(checkCanCommit(records), /uncommitted changes: content\/records\/2026-01-01-x-production\.mdx/);

  const referenced = join(records, '_snapshots', 'cd', `cd${'1'.repeat(62)}.json`);
  mkdirSync(join(records, '_snapshots', 'cd'));
  writeFileSync(referenced, '{"a":1}\n');
  await commitRecord(record, 'logbook: x', [referenced]);
  assert.deepEqual(git(repo, 'show', '--name-only', '--format=', 'HEAD').split('\n').sort(), [
    'content/records/2026-01-01-x-production.mdx',
    `content/records/_snapshots/cd/cd${'1'.repeat(62)}.json`,
  ]);
  assert.equal(git(repo, 'status', '--porcelain', '--untracked-files=all'), `?? content/records/_snapshots/ab/ab${'0'.repeat(62)}.json`);
  await checkCanCommit(records);
});
