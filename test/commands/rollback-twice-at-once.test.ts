// A second rollback of the same record while the first is mid-swap is refused (exit 13) without touching the
// database the first one closed: reopening it there lets the app write into a database about to be replaced.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { sql, testServerUrl } from '../helpers/postgres.ts';
import { migratedFixture } from '../helpers/rollback-fixture.ts';

const ENTRY = fileURLToPath(new URL('../../scripts/logbook.mjs', import.meta.url));

describe('two rollbacks of one record at once', () => {
  it('the second is refused and leaves the database the first closed closed', async (t) => {
    const m = await migratedFixture(t, 'CREATE TABLE teams (id int PRIMARY KEY);');
    const live = new URL(m.f.url).pathname.slice(1);
    const first = spawn(process.execPath, [ENTRY, 'rollback', '--config', m.f.ws.configFile, '--record', m.record.id, '--yes'], {
      cwd: m.f.ws.dir,
      env: { ...process.env, ...m.f.env, LOGBOOK_TEST_ROLLBACK_PAUSE: 'connections-closed', LOGBOOK_TEST_ROLLBACK_PAUSE_MS: '30000' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    first.stdout.resume();
    first.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const closed = new Promise<number | null>((r) => first.once('close', r));
    t.after(async () => {
      first.kill('SIGINT');
      await closed;
    });
    for (let i = 0; i < 1200 && !stderr.includes('paused at connections-closed'); i++) await new Promise((r) => setTimeout(r, 50));
    assert.match(stderr, /paused at connections-closed/);

    const second = await m.f.cli(['rollback', '--record', m.record.id, '--yes']);
    assert.equal(second.code, 13, second.stderr);
    const [row] = await sql<{ datallowconn: boolean }>(await testServerUrl(), 'SELECT datallowconn FROM pg_database WHERE datname = $1', [live]);
    assert.equal(row!.datallowconn, false, 'the first rollback still has it closed for its swap');
  });
});
