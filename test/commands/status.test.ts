// logbook status end to end: a crafted _prisma_migrations table and folder, classified without the Prisma engine.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { runCli } from '../helpers/cli.ts';
import { createTestDatabase } from '../helpers/postgres.ts';
import { makeMigrationsFolder, sha256, writePrismaHistory } from '../helpers/prisma.ts';

const INIT = 'CREATE TABLE "User" (id serial PRIMARY KEY);\n';
const POSTS = 'CREATE TABLE "Post" (id serial PRIMARY KEY);\n';

test('status classifies applied, pending, failed, rolled-back, edited and missing migrations, and exits 1', async (t) => {
  const db = await createTestDatabase(t);
  const dir = makeMigrationsFolder(t, {
    '20250101000000_init': INIT,
    '20250102000000_posts': `${POSTS}-- edited after it was applied\n`,
    '20250103000000_broken': 'ALTER TABLE "User" ADD COLUMN nope int;\n',
    '20250104000000_undone': 'ALTER TABLE "User" ADD COLUMN tmp int;\n',
    '20250105000000_next': 'ALTER TABLE "User" ADD COLUMN email text;\n',
  });
  await writePrismaHistory(db.url, [
    { name: '20241231000000_gone', checksum: sha256('SELECT 1;\n') },
    { name: '20250101000000_init', checksum: sha256(INIT) },
    { name: '20250102000000_posts', checksum: sha256(POSTS) },
    { name: '20250103000000_broken', checksum: sha256('x'), finished: false },
    { name: '20250104000000_undone', checksum: sha256('x'), finished: false, rolledBack: true },
  ]);

  const json = await runCli(['status', '--db', db.url, '--migrations', dir, '--json'], { env: { DATABASE_URL: undefined } });
  assert.equal(json.code, 1, json.stderr);
  const report = JSON.parse(json.stdout);
  const byName = Object.fromEntries(report.state.migrations.map((m: { name: string }) => [m.name, m]));
  assert.equal(byName['20250101000000_init'].status, 'applied');
  assert.equal(byName['20250101000000_init'].edited, false);
  assert.equal(byName['20250102000000_posts'].status, 'applied');
  assert.equal(byName['20250102000000_posts'].edited, true);
  assert.equal(byName['20250103000000_broken'].status, 'failed');
  assert.equal(byName['20250104000000_undone'].status, 'rolled-back');
  assert.equal(byName['20250105000000_next'].status, 'pending');
  assert.equal(byName['20241231000000_gone'].missingFromFolder, true);
  assert.deepEqual(report.pending, ['20250104000000_undone', '20250105000000_next']);
  assert.deepEqual(report.failed, ['20250103000000_broken']);
  assert.deepEqual(report.edited, ['20250102000000_posts']);
  assert.equal(report.ok, false);

  const text = await runCli(['status', '--db', db.url, '--migrations', dir]);
  assert.equal(text.code, 1);
  assert.match(text.stdout, /FAILED\s+20250103000000_broken/);
  assert.match(text.stdout, /pending\s+20250105000000_next/);
  assert.match(text.stdout, /20250102000000_posts.*EDITED/);
  assert.match(text.stdout, /rolled back\s+20250104000000_undone\s+will run again/);
});

test('status exits 0 when every migration in the folder is applied unchanged', async (t) => {
  const db = await createTestDatabase(t);
  const dir = makeMigrationsFolder(t, { '20250101000000_init': INIT, '20250102000000_posts': POSTS.replace(/\n/g, '\r\n') });
  await writePrismaHistory(db.url, [
    { name: '20250101000000_init', checksum: sha256(INIT) },
    // A failed attempt rolled back, then applied: the applied row wins. CRLF checkouts are not "edited".
    { name: '20250102000000_posts', checksum: sha256(POSTS), finished: false, rolledBack: true },
    { name: '20250102000000_posts', checksum: sha256(POSTS) },
  ]);
  const result = await runCli(['status', '--migrations', dir], { env: { DATABASE_URL: db.url } });
  assert.equal(result.code, 0, result.stdout + result.stderr);
  assert.match(result.stdout, /2 applied, 0 pending, 0 failed, 0 edited/);
});

test('no _prisma_migrations table is "no migration history": everything in the folder is pending', async (t) => {
  const db = await createTestDatabase(t);
  const dir = makeMigrationsFolder(t, { '20250101000000_init': INIT });
  const result = await runCli(['status', '--db', db.url, '--migrations', dir, '--json']);
  assert.equal(result.code, 1, result.stderr);
  const report = JSON.parse(result.stdout);
  assert.equal(report.state.hasHistory, false);
  assert.deepEqual(report.pending, ['20250101000000_init']);
});

test('--env takes the database URL variable and the migrations folder (appRepo/migrationsDir) from the config', async (t) => {
  const db = await createTestDatabase(t);
  const dir = makeMigrationsFolder(t, { '20250101000000_init': INIT });
  const appRepo = dirname(dirname(dir));
  writeFileSync(join(appRepo, 'logbook.config.json'), JSON.stringify({ environments: { staging: { databaseUrlEnv: 'STAGING_DATABASE_URL', appRepo: '.' } } }));
  await writePrismaHistory(db.url, [{ name: '20250101000000_init', checksum: sha256(INIT) }]);
  const result = await runCli(['status', '--env', 'staging', '--json'], { cwd: appRepo, env: { STAGING_DATABASE_URL: db.url, DATABASE_URL: undefined } });
  assert.equal(result.code, 0, result.stderr);
  assert.equal(JSON.parse(result.stdout).state.folder, dir);
});
