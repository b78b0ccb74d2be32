// `logbook validate` on the repo's content, and on broken copies of it; and the site build refusing a broken runbook.
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import { fileURLToPath } from 'node:url';
import { buildSite } from '../../scripts/support/build-site.ts';
import { renderRecordFile } from '../../src/core/record/render-record.ts';
import { runCli } from '../helpers/cli.ts';
import { makeRecord } from '../helpers/synthetic.ts';

const RUNBOOKS = fileURLToPath(new URL('../../content/runbooks/', import.meta.url));
const RUNBOOK = 'production-migration.mdx';

function brokenCopy(t: TestContext, edit: (source: string) => string): { dir: string; config: string } {
  const dir = mkdtempSync(join(tmpdir(), 'logbook-validate-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  cpSync(RUNBOOKS, join(dir, 'runbooks'), { recursive: true });
  mkdirSync(join(dir, 'records'));
  const file = join(dir, 'runbooks', RUNBOOK);
  writeFileSync(file, edit(readFileSync(file, 'utf8')));
  const config = join(dir, 'logbook.config.json');
  writeFileSync(config, JSON.stringify({ paths: { runbooks: 'runbooks', records: 'records' } }));
  return { dir, config };
}

describe('logbook validate', () => {
  it('passes on the repository content', async () => {
    const result = await runCli(['validate'], { cwd: fileURLToPath(new URL('../../', import.meta.url)) });
    assert.equal(result.code, 0, result.stdout + result.stderr);
    assert.match(result.stdout, /ok: 1 runbook\(s\)/);
  });

  it('names the file and field when the runbook frontmatter lacks its version', async (t) => {
    const copy = brokenCopy(t, (s) => s.replace(/^version: .*\n/m, ''));
    const result = await runCli(['validate', '--config', copy.config], { cwd: copy.dir });
    assert.equal(result.code, 1);
    assert.match(result.stdout, /runbooks\/production-migration\.mdx:\d+: frontmatter\.version: /);
  });

  it('names a duplicated step id', async (t) => {
    const copy = brokenCopy(t, (s) => s.replace('<Step id="environment.verify-credentials">', '<Step id="environment.confirm-database-url">'));
    const result = await runCli(['validate', '--config', copy.config], { cwd: copy.dir });
    assert.equal(result.code, 1);
    assert.match(result.stdout, /production-migration\.mdx:\d+: Step\.id: .*environment\.confirm-database-url/);
  });

  it('names the field of a malformed record, and a record body that would inject JSX', async (t) => {
    const copy = brokenCopy(t, (s) => s);
    const record = makeRecord({ id: '2026-01-01-bad-production' });
    writeFileSync(join(copy.dir, 'records', '2026-01-01-bad-production.mdx'), renderRecordFile(record).replace(/^status: success$/m, 'status: done'));
    writeFileSync(
      join(copy.dir, 'records', '2026-01-02-jsx-production.mdx'),
      `${renderRecordFile({ ...record, id: '2026-01-02-jsx-production' })}\n<Unclosed {oops`,
    );
    const result = await runCli(['validate', '--config', copy.config], { cwd: copy.dir });
    assert.equal(result.code, 1);
    assert.match(result.stdout, /2026-01-01-bad-production\.mdx: status: /);
    assert.match(result.stdout, /2026-01-02-jsx-production\.mdx:\d+:\d+: body: invalid MDX/);
  });

  it('a broken runbook frontmatter also fails the site build, naming the field', async (t) => {
    const copy = brokenCopy(t, (s) => s.replace(/^version: .*\n/m, ''));
    await assert.rejects(
      buildSite({ recordsDir: join(copy.dir, 'records'), runbooksDir: join(copy.dir, 'runbooks'), search: false }),
      (error: Error) => /version/.test(error.message) && /production-migration/.test(error.message),
    );
  });
});
