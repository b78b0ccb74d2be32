// Filing a compact record writes its snapshot files before the record: a failure in between leaves an orphan
// snapshot file and no record, and filing again writes the same bytes once (content-addressed).
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, it, type TestContext } from 'node:test';
import { loadConfig } from '../../src/adapters/fs/config-file.ts';
import { newRecordFile } from '../../src/adapters/fs/list-records.ts';
import { createOutput } from '../../src/cli/output.ts';
import { compactRecordSnapshots } from '../../src/core/record/build-record.ts';
import { computeIntegrity } from '../../src/core/record/digest.ts';
import { parseRecordFile } from '../../src/core/record/parse-record.ts';
import { snapshotFileRefs } from '../../src/core/record/snapshot-access.ts';
import { snapshotFilePath } from '../../src/core/record/snapshot-files.ts';
import type { RunJournal } from '../../src/core/run/journal.ts';
import { type ChainedFiling, fileChainedRecord } from '../../src/workflow/anchor-record.ts';
import { createTestDatabase } from '../helpers/postgres.ts';
import { makeIndex, makeRecord, makeSnapshot } from '../helpers/synthetic.ts';

async function setUp(t: TestContext) {
  const db = await createTestDatabase(t, 'compactfile');
  const dir = mkdtempSync(join(tmpdir(), 'logbook-compact-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const pre = makeSnapshot({ tables: { players: 100 }, indexes: [makeIndex('players', 'players_pkey')] });
  const post = makeSnapshot({ tables: { players: 120, matches: 10 }, indexes: [makeIndex('players', 'players_pkey'), makeIndex('matches', 'matches_pkey')] });
  const base = { runId: 'production-1', environment: 'production', pre, post } as unknown as RunJournal;
  const { files, ...compact } = compactRecordSnapshots(base);
  const { integrity: _i, ...facts } = makeRecord({ schemaVersion: 2, ...compact });
  const record = { ...facts, integrity: computeIntegrity(facts, null, { seq: 1 }) };
  const journal = { ...base, filing: record } as RunJournal;
  const recordsDir = join(dir, 'records');
  const filing: ChainedFiling = {
    url: db.url,
    recordsDir,
    stateDir: join(dir, 'state'),
    loaded: loadConfig(undefined, dir, { ignoreFile: true }),
    out: createOutput(new PassThrough(), new PassThrough()),
    localHead: async () => null,
  };
  const never = () => assert.fail('the record kept in the journal is re-filed, never rebuilt');
  return { record, journal, filing, recordsDir, files, never };
}

describe('filing a compact record', () => {
  it('writes the snapshot files before the record; a failure writing the record leaves only orphan snapshot files', async (t) => {
    const { record, journal, filing, recordsDir, files, never } = await setUp(t);
    assert.equal(files.filter((f) => f.kind === 'snapshot').length, 2, 'a root for pre and one for post');
    // Something in the way of the record file (here a folder under its name) makes writing the record fail.
    const recordFile = newRecordFile(recordsDir, record.id, record.startedAt);
    mkdirSync(recordFile, { recursive: true });
    await assert.rejects(fileChainedRecord(filing, journal, 'ignored', never));
    for (const f of files) assert.ok(existsSync(join(recordsDir, f.path)), `${f.path} written first`);
    assert.deepEqual(
      readdirSync(recordsDir, { recursive: true, withFileTypes: true })
        .filter((d) => d.isFile() && d.name.endsWith('.mdx'))
        .map((d) => d.name),
      [],
      'no record file',
    );

    rmSync(recordFile, { recursive: true });
    const { file } = await fileChainedRecord(filing, journal, 'ignored', never);
    const parsed = parseRecordFile(readFileSync(file, 'utf8'), file);
    assert.ok(parsed.ok);
    for (const { ref } of snapshotFileRefs(parsed.value.record)) {
      const bytes = readFileSync(join(recordsDir, snapshotFilePath(ref)));
      assert.equal(createHash('sha256').update(bytes).digest('hex'), ref.sha256);
    }
    // What pre and post share (the unchanged table's part, most buckets) is one file, and filing twice adds nothing.
    const stored = readdirSync(join(recordsDir, '_snapshots'), { recursive: true }).filter((n) => String(n).endsWith('.json'));
    assert.equal(stored.length, new Set(files.map((f) => f.path)).size, 'each part stored once');
    assert.ok(stored.length < files.length, `${files.length} parts for pre and post, ${stored.length} distinct`);
  });
});
