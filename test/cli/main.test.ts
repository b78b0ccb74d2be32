import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defineCommand } from '../../src/cli/command.ts';
import { commands, main } from '../../src/cli/main.ts';
import type { Output } from '../../src/cli/output.ts';
import { parseInvocation } from '../../src/cli/parse-args.ts';

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

describe('the CLI entry', () => {
  it('lists every command in --help and exits 0', async () => {
    const out = capture();
    assert.equal(await main(['--help'], out), 0);
    for (const name of Object.keys(commands)) assert.match(out.text(), new RegExp(`^  ${name} `, 'm'));
  });

  it('gives every command its own --help', async () => {
    for (const name of Object.keys(commands)) {
      const out = capture();
      assert.equal(await main([name, '--help'], out), 0, name);
      assert.match(out.text(), new RegExp(`Usage: logbook ${name}`));
    }
  });

  it('rejects an unknown command and an unknown flag with exit 2 and a next step', async () => {
    const out = capture();
    assert.equal(await main(['deploy'], out), 2);
    assert.match(out.text(), /unknown command "deploy"[\s\S]*next: run `logbook --help`/);
    const flag = capture();
    assert.equal(await main(['validate', '--colour'], flag), 2);
    assert.match(flag.text(), /error: .*--colour/);
  });

  it('keeps everything after -- for the migration command, untouched', () => {
    const command = defineCommand({
      name: 'x',
      summary: '',
      usage: '',
      acceptsRest: true,
      flags: { env: { type: 'string', description: '' } },
      run: async () => {},
    });
    const parsed = parseInvocation(command, ['--env', 'prod', '--', 'npx', 'prisma', 'migrate', 'deploy', '--env', 'x']);
    assert.equal(parsed.flags.env, 'prod');
    assert.deepEqual(parsed.rest, ['npx', 'prisma', 'migrate', 'deploy', '--env', 'x']);
  });
});
