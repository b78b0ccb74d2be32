// A crash between the ledger row and the record file: the journal kept the record built for that position,
// so filing again writes the very same record and takes no second position.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, it, type TestContext } from 'node:test';
import { loadConfig } from '../../src/adapters/fs/config-file.ts';
import { listRecordTree } from '../../src/adapters/fs/list-records.ts';
import { connect } from '../../src/adapters/pg/client.ts';
import { appendLedgerRow, readLedger } from '../../src/adapters/pg/ledger.ts';
import { ensureLogbookSchema } from '../../src/adapters/pg/logbook-schema.ts';
import { createOutput } from '../../src/cli/output.ts';
import { computeIntegrity } from '../../src/core/record/digest.ts';
import { parseRecordFile } from '../../src/core/record/parse-record.ts';
import { renderRecordFile } from '../../src/core/record/render-record.ts';
import type { RunJournal } from '../../src/core/run/journal.ts';
import { type BuildRecord, type ChainedFiling, fileChainedRecord } from '../../src/workflow/anchor-record.ts';
import { createTestDatabase } from '../helpers/postgres.ts';
import { makeRecord } from '../helpers/synthetic.ts';

async function setUp(t: TestContext) {
  const db = await createTestDatabase(t, 'anchor');
  const dir = mkdtempSync(join(tmpdir(), 'logbook-anchor-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const { integrity: _i, ...facts } = makeRecord();
  const record = { ...facts, integrity: computeIntegrity(facts, null, { seq: 1 }) };
  const journal = { runId: 'production-1', environment: 'production', filing: record } as unknown as RunJournal;
  const filing: ChainedFiling = {
    url: db.url,
    recordsDir: join(dir, 'records'),
    stateDir: join(dir, 'state'),
    loaded: loadConfig(undefined, dir, { ignoreFile: true }),
    out: createOutput(new PassThrough(), new PassThrough()),
    localHead: async () => null,
  };
  const never = () => assert.fail('the record kept in the journal is re-filed, never rebuilt');
  return { db, record, journal, filing, never };
}

describe('filing after a crash between the ledger and the record file', () => {
  it('the ledger row was committed: the same record is written, no second position is taken', async (t) => {
    const { db, record, journal, filing, never } = await setUp(t);
    const client = await connect(db.url);
    await ensureLogbookSchema(client);
    await appendLedgerRow(client, { environment: 'production', seq: 1, recordId: record.id, digest: record.integrity.digest, previous: null });
    const { file, anchored } = await fileChainedRecord(filing, journal, 'ignored', never);
    assert.equal(anchored, true);
    const parsed = parseRecordFile(readFileSync(file, 'utf8'), file);
    assert.ok(parsed.ok);
    assert.equal(parsed.value.record.integrity.digest, record.integrity.digest);
    assert.deepEqual(
      (await readLedger(client, 'production')).map((r) => [r.seq, r.recordId]),
      [[1, record.id]],
    );
    await client.end();
  });

  it('the ledger row was not committed yet: it is written at the kept position, then the file', async (t) => {
    const { db, record, journal, filing, never } = await setUp(t);
    const { file } = await fileChainedRecord(filing, journal, 'ignored', never);
    const client = await connect(db.url);
    assert.deepEqual(
      (await readLedger(client, 'production')).map((r) => [r.seq, r.recordId, r.digest]),
      [[1, record.id, record.integrity.digest]],
    );
    await client.end();
    assert.match(readFileSync(file, 'utf8'), new RegExp(`digest: ${record.integrity.digest}`));
  });
});

describe('filing into the records tree', () => {
  const startedAt = '2026-11-30T23:30:00-05:00';
  const build: BuildRecord = (id, previous, position) => {
    const { integrity: _i, ...facts } = makeRecord({ id, startedAt });
    return { ...facts, integrity: computeIntegrity(facts, previous, position) };
  };

  it('a new record never takes an id filed in any folder, and goes to the month folder of its UTC start', async (t) => {
    const { filing, journal } = await setUp(t);
    const base = '2026-11-30-add-teams-production';
    mkdirSync(join(filing.recordsDir, '2026', '10'), { recursive: true });
    writeFileSync(join(filing.recordsDir, `${base}.mdx`), renderRecordFile(makeRecord({ id: base })));
    writeFileSync(join(filing.recordsDir, '2026', '10', `${base}-2.mdx`), renderRecordFile(makeRecord({ id: `${base}-2` })));
    const { record, file } = await fileChainedRecord(filing, { ...journal, filing: undefined } as RunJournal, base, build);
    assert.equal(record.id, `${base}-3`);
    assert.equal(relative(filing.recordsDir, file), join('2026', '12', `${base}-3.mdx`));
  });

  it('a kept record whose id is filed elsewhere is refused unless it is that very record', async (t) => {
    const { filing, journal, record, never } = await setUp(t);
    mkdirSync(filing.recordsDir, { recursive: true });
    const legacy = join(filing.recordsDir, `${record.id}.mdx`);
    writeFileSync(legacy, renderRecordFile({ ...record, title: 'another run of the same name' }));
    await assert.rejects(fileChainedRecord(filing, journal, 'ignored', never), (error: Error & { code?: string }) => {
      assert.equal(error.code, 'E_RECORD_EXISTS');
      assert.match(error.message, new RegExp(`record id ${record.id} is already filed at ${record.id}\\.mdx; the new record was not written`));
      return true;
    });
    assert.deepEqual(
      listRecordTree(filing.recordsDir).records.map((r) => r.path),
      [`${record.id}.mdx`],
      'nothing was written',
    );
    // The same record written there by a first attempt (before dated folders): re-filing finds it, writes nothing new.
    writeFileSync(legacy, renderRecordFile(record));
    const { file } = await fileChainedRecord(filing, journal, 'ignored', never);
    assert.equal(file, legacy);
  });
});
