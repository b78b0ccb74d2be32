// The audit's baseline (the migrations applied before the first record) lives in that record's pre snapshot files:
// without them the audit must say so, not report every earlier migration as applied with no record (nor file them).
import assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { isCompactSnapshot } from '../../src/core/record/snapshot-access.ts';
import { snapshotFilePath } from '../../src/core/record/snapshot-files.ts';
import { parseRecordFile } from '../../src/core/record/parse-record.ts';
import { recordPaths } from '../helpers/record-files.ts';
import { makeRunFixture } from '../helpers/run-fixture.ts';

describe('audit without the first record’s snapshot files', () => {
  it('stops naming the missing file instead of reporting (and filing) the migrations before the first record as gaps', async (t) => {
    const f = await makeRunFixture(t);
    assert.equal((await f.run()).code, 0);
    assert.equal((await f.cli(['audit', '--env', 'staging'])).code, 0);
    const [path] = recordPaths(f.ws.recordsDir);
    const parsed = parseRecordFile(readFileSync(join(f.ws.recordsDir, path!), 'utf8'), path!, { checkBody: false });
    assert.ok(parsed.ok && isCompactSnapshot(parsed.value.record.pre));
    rmSync(join(f.ws.recordsDir, snapshotFilePath(parsed.value.record.pre.full)));

    const audit = await f.cli(['audit', '--env', 'staging', '--file-gaps', '--reason', 'x']);
    assert.equal(audit.code, 1, audit.stdout + audit.stderr);
    assert.match(audit.stderr, /the pre snapshot file .*snapshot-root\.json of the first record .* is missing/);
    assert.doesNotMatch(audit.stdout, /UNRECORDED|filed/);
    assert.deepEqual(recordPaths(f.ws.recordsDir), [path], 'no gap record was filed');
  });
});
