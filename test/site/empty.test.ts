// A logbook with no records builds, and its home page says how to file the first one.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, it } from 'node:test';
import { buildSite } from '../../scripts/support/build-site.ts';

let work: string;
let dist: string;
before(async () => {
  work = mkdtempSync(join(tmpdir(), 'logbook-empty-'));
  mkdirSync(join(work, 'records'));
  dist = (await buildSite({ recordsDir: join(work, 'records') })).outDir;
});
after(() => {
  rmSync(work, { recursive: true, force: true });
  if (dist) rmSync(join(dist, '..'), { recursive: true, force: true });
});

it('builds with zero records and the home page explains how to file the first', () => {
  const home = readFileSync(join(dist, 'index.html'), 'utf8');
  assert.match(home, /No migration has been filed yet/);
  assert.match(home, /npx logbook run --env production -- npx prisma migrate deploy/);
  const history = readFileSync(join(dist, 'history', 'index.html'), 'utf8');
  assert.match(history, /id="empty-logbook"/);
  const feed = JSON.parse(readFileSync(join(dist, 'records.json'), 'utf8'));
  assert.equal(feed.count, 0);
});
