// One exit-code table: the code's, the README's and every command's --help are the same, and the code
// returns those codes for the outcomes that drifted before (validate without a config, an internal error).
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { EXIT, EXIT_CODES, OUTCOMES, renderExitCodes } from '../../src/cli/errors.ts';
import { commands, main } from '../../src/cli/main.ts';
import type { Output } from '../../src/cli/output.ts';
import { LogbookError } from '../../src/core/errors.ts';
import { runCli } from '../helpers/cli.ts';

const README = fileURLToPath(new URL('../../README.md', import.meta.url));

function capture(): Output & { text: () => string } {
  const lines: string[] = [];
  return {
    line: (t = '') => lines.push(t),
    info: (t) => lines.push(t),
    warn: (t) => lines.push(t),
    json: (v) => lines.push(JSON.stringify(v)),
    interactive: false,
    text: () => lines.join('\n'),
  };
}

const expected = Object.entries(EXIT_CODES).map(([outcome, code]) => [code, OUTCOMES[outcome as keyof typeof OUTCOMES]] as const);

describe('exit codes', () => {
  it('the table has the codes DESIGN.md fixes, each once', () => {
    assert.deepEqual(
      expected.map(([code]) => code),
      [0, 1, 2, 3, 4, 5, 10, 11, 12, 13, 14, 15, 70, 130],
    );
    assert.equal(EXIT.notCommitted, 15);
    assert.equal(EXIT.maintenance, 14);
    assert.equal(EXIT.internal, 70);
  });

  it("README's table is the code's table, row for row", () => {
    const section = readFileSync(README, 'utf8').split('### Exit codes')[1]!.split('\n### ')[0]!;
    const rows = [...section.matchAll(/^\| (\d+) \| (.*) \|$/gm)].map((m) => [Number(m[1]), m[2]] as const);
    assert.deepEqual(rows, expected);
  });

  it("every command's --help prints the same table", async () => {
    for (const name of Object.keys(commands)) {
      const out = capture();
      assert.equal(await main([name, '--help'], out), 0, name);
      assert.ok(out.text().includes(renderExitCodes()), `${name} --help shows the table`);
      const rows = [
        ...out
          .text()
          .split('Exit codes:\n')[1]!
          .matchAll(/^ +(\d+) {2}(.*)$/gm),
      ].map((m) => [Number(m[1]), m[2]] as const);
      assert.deepEqual(rows, expected, name);
      assert.doesNotMatch(out.text().split('Exit codes:')[0]!, /\bexit codes?\b.*\d/i, `${name} --help has no second, hand-written list of codes`);
    }
  });

  it('backup --help names the verification level the config really defaults to', async () => {
    const out = capture();
    await main(['backup', '--help'], out);
    const { logbookConfigSchema } = await import('../../src/schemas/config.ts');
    const level = logbookConfigSchema.parse({}).backup.verify;
    assert.match(out.text(), new RegExp(`--verify none\\|list\\|restore .*\\(default: backup\\.verify in the config, ${level} if unset there\\)`));
  });

  it('validate without a config (or with a missing one) is a config error: 2', async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'logbook-noconfig-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const none = await runCli(['validate'], { cwd: dir, env: { LOGBOOK_CONFIG: undefined } });
    assert.equal(none.code, 2, none.stderr);
    assert.match(none.stderr, /nothing to validate: no logbook\.config\.json/);
    const missing = await runCli(['validate', '--config', 'missing.json'], { cwd: dir });
    assert.equal(missing.code, 2, missing.stderr);
    assert.match(missing.stdout + missing.stderr, /config file not found/);
  });

  it('an internal error (a bug) is 70, an outcome from core maps through the table', async () => {
    const original = commands.validate!;
    try {
      commands.validate = {
        load: async () => ({
          default: {
            name: 'validate',
            summary: '',
            flags: {},
            run: async () => {
              throw new TypeError('boom');
            },
          },
        }),
      };
      const bug = capture();
      assert.equal(await main(['validate'], bug), 70);
      assert.match(bug.text(), /internal error: TypeError: boom/);
      commands.validate = {
        load: async () => ({
          default: {
            name: 'validate',
            summary: '',
            flags: {},
            run: async () => {
              throw new LogbookError('held', { code: 'E_X', outcome: 'maintenance-stuck' });
            },
          },
        }),
      };
      assert.equal(await main(['validate'], capture()), 14);
    } finally {
      commands.validate = original;
    }
  });
});
