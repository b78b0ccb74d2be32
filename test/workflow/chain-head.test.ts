// The previous-record digest a new record chains to: the environment's newest record, read cheaply.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { it } from 'node:test';
import { renderRecordFile } from '../../src/core/record/render-record.ts';
import { chainHead } from '../../src/workflow/file-record.ts';
import { makeRecord } from '../helpers/synthetic.ts';

it('finds the newest record of the environment, across days, environments and a broken file', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'logbook-chain-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const write = (day: string, hour: string, environment: string, name: string) => {
    const record = makeRecord({ id: `2026-01-${day}-${name}-${environment}`, environment, startedAt: `2026-01-${day}T${hour}:00:00.000Z` });
    writeFileSync(join(dir, `${record.id}.mdx`), renderRecordFile(record));
    return record.integrity.digest;
  };
  write('01', '10', 'production', 'a');
  const latestProduction = write('02', '18', 'production', 'c');
  write('02', '09', 'production', 'b');
  const latestStaging = write('03', '08', 'staging', 'd');
  writeFileSync(join(dir, '2026-01-04-broken-production.mdx'), '---\nnot: [valid\n---\n');
  const warnings: string[] = [];
  assert.equal(await chainHead(dir, 'production', (line) => warnings.push(line)), latestProduction);
  assert.equal(await chainHead(dir, 'staging'), latestStaging);
  assert.equal(await chainHead(dir, 'qa'), null);
  assert.equal(warnings.length, 1);
  assert.match(warnings[0]!, /broken-production/);
});
