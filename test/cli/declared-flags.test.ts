// Flags are declared once: the declaration validates input, fills defaults and renders usage lines and --help,
// and stays true to the config schema it names.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { defineCommand, type CommandDef } from '../../src/cli/command.ts';
import { LogbookError } from '../../src/cli/errors.ts';
import { loadCommands } from '../../src/cli/main.ts';
import { parseInvocation, renderCommandHelp, renderUsage } from '../../src/cli/parse-args.ts';
import { withCliReference } from '../../src/cli/reference.ts';
import { backupFormatSchema, verifyLevelSchema } from '../../src/schemas/backup.ts';
import { logbookConfigSchema } from '../../src/schemas/config.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

const sample = defineCommand({
  name: 'sample',
  summary: 'A command to test the parser with',
  acceptsRest: { valueName: 'migration command...', required: true, example: 'e.g. -- true' },
  flags: {
    path: { type: 'positional', valueName: 'PATH', required: true, description: 'A file' },
    from: { type: 'string', valueName: 'FILE', required: true, description: 'Where from' },
    format: { type: 'enum', options: ['custom', 'directory'], default: 'custom', description: 'Format' },
    verify: { type: 'enum', options: ['none', 'list'], config: 'backup.verify', default: 'list', description: 'Verification' },
    jobs: { type: 'int', min: 1, max: 32, default: 2, description: 'Jobs' },
    exact: { type: 'boolean', conflicts: ['estimate'], description: 'Count' },
    estimate: { type: 'boolean', description: 'Estimate' },
    legacy: { type: 'string', valueName: 'X', description: 'declared the old way' },
  },
  run: async () => {},
});

function usageMessage(argv: string[]): string {
  try {
    parseInvocation(sample, argv);
  } catch (error) {
    assert.ok(error instanceof LogbookError, String(error));
    assert.equal(error.exitCode, 2);
    return error.message;
  }
  assert.fail(`accepted ${argv.join(' ')}`);
}

describe('declared flags', () => {
  it('fill literal defaults, leave config-backed ones to the config, and type whole numbers', () => {
    const { flags, rest } = parseInvocation(sample, ['a.dump', '--from', 'x', '--jobs', '8', '--', 'true']);
    assert.deepEqual(flags, { path: 'a.dump', from: 'x', format: 'custom', verify: undefined, jobs: 8, exact: false, estimate: false, legacy: undefined });
    assert.deepEqual(rest, ['true']);
  });

  it('refuse what the declaration does not allow, saying what is allowed', () => {
    const ok = ['a.dump', '--from', 'x'];
    assert.equal(usageMessage([...ok, '--format', 'zip', '--', 'true']), '--format must be custom or directory, not "zip"');
    assert.equal(usageMessage([...ok, '--jobs', '0', '--', 'true']), '--jobs must be a whole number from 1 to 32, not "0"');
    assert.equal(usageMessage([...ok, '--jobs', '2.5', '--', 'true']), '--jobs must be a whole number from 1 to 32, not "2.5"');
    assert.equal(usageMessage(['a.dump', '--', 'true']), '--from FILE is required');
    assert.equal(usageMessage(['--from', 'x', '--', 'true']), 'PATH is required');
    assert.equal(usageMessage([...ok, 'b.dump', '--', 'true']), 'unexpected argument "b.dump"');
    assert.equal(usageMessage([...ok, '--exact', '--estimate', '--', 'true']), '--exact and --estimate contradict each other');
    assert.equal(usageMessage(ok), 'no migration command: put it after --');
  });

  it('let --help through even when required flags are missing', () => {
    assert.equal(parseInvocation(sample, ['--help']).help, true);
  });

  it('render the usage line and --help from the same declaration', () => {
    assert.equal(
      renderUsage(sample, 200),
      'Usage: logbook sample PATH --from FILE [--format custom|directory] [--verify none|list] [--jobs N] [--exact] [--estimate] [--legacy X] -- <migration command...>',
    );
    const help = renderCommandHelp(sample);
    assert.match(help, /^ {2}--format custom\|directory +Format \(default: custom\)$/m);
    assert.match(help, /^ {2}--verify none\|list +Verification \(default: backup\.verify in the config, list if unset there\)$/m);
    assert.match(help, /^ {2}--from FILE +Where from \(required\)$/m);
    assert.match(help, /^ {2}PATH +A file \(required\)$/m);
  });

  it('give every command a usage line naming each of its flags', async () => {
    for (const command of await loadCommands()) {
      const usage = renderUsage(command).replace(/\s+/g, ' ');
      for (const [name, def] of Object.entries(command.flags)) {
        assert.ok(usage.includes(def.type === 'positional' ? def.valueName : `--${name}`), `${command.name}: ${name} missing from ${usage}`);
      }
      if (command.acceptsRest) assert.match(usage, /-- </, command.name);
    }
  });

  it("state the config schema's own defaults and options", async () => {
    const defaults = logbookConfigSchema.parse({}) as Record<string, unknown>;
    const at = (path: string) => path.split('.').reduce<unknown>((value, key) => (value as Record<string, unknown>)[key], defaults);
    let checked = 0;
    for (const command of await loadCommands()) {
      for (const [name, def] of Object.entries(command.flags)) {
        if (!def.config) continue;
        assert.ok('default' in def, `${command.name} --${name} names ${def.config} but not its default`);
        assert.deepEqual((def as { default?: unknown }).default, at(def.config), `${command.name} --${name}`);
        checked += 1;
      }
    }
    assert.ok(checked >= 4, 'backup --format/--jobs/--verify and lint --large-table-rows name config keys');
    const backup = (await loadCommands()).find((c) => c.name === 'backup') as CommandDef;
    assert.deepEqual(backup.flags.format, { ...backup.flags.format, options: backupFormatSchema.options });
    assert.deepEqual(backup.flags.verify, { ...backup.flags.verify, options: verifyLevelSchema.options });
  });
});

describe("the README's CLI reference", () => {
  it('is the one the declarations render (run `npm run cli-reference` after changing a flag)', async () => {
    const readme = readFileSync(`${ROOT}README.md`, 'utf8');
    assert.equal(readme, withCliReference(readme, await loadCommands()));
  });
});

/** The project files and packages a `logbook …` invocation loads, recorded by a module hook in a child process. */
function modulesLoadedBy(args: string[]): string[] {
  const script = `
    import { registerHooks } from 'node:module';
    const seen = [];
    registerHooks({ resolve(specifier, context, next) { const result = next(specifier, context); seen.push(result.url); return result; } });
    const { main } = await import(${JSON.stringify(new URL('src/cli/main.ts', `file://${ROOT}`).href)});
    const quiet = { line() {}, info() {}, warn() {}, json() {}, interactive: false };
    const code = await main(${JSON.stringify(args)}, quiet);
    console.log(JSON.stringify({ code, seen }));
  `;
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(result.status, 0, result.stderr);
  const { code, seen } = JSON.parse(result.stdout) as { code: number; seen: string[] };
  assert.equal(code, 0, `logbook ${args.join(' ')}`);
  return seen.filter((url) => url.startsWith('file:')).map((url) => fileURLToPath(url).slice(ROOT.length));
}

/** What a declaration may need: the CLI's own plumbing, shared flag declarations, the outcome table, and redaction. */
const declarationOnly = (file: string) =>
  /^src\/cli\/(main|command|common-flags|critical-section|errors|output|parse-args)\.ts$/.test(file) ||
  file === 'src/commands/run-flags.ts' ||
  file === 'src/core/errors.ts' ||
  file === 'src/core/redact.ts' ||
  // Redaction's own small modules; its regex engine (re2js) loads only when text needs it.
  file.startsWith('src/core/redact/');

describe('start-up', () => {
  it('loads no command dependency for `logbook --help`', () => {
    const loaded = modulesLoadedBy(['--help']);
    assert.deepEqual(
      loaded.filter((file) => !declarationOnly(file) && !file.startsWith('src/commands/')),
      [],
    );
  });

  it('loads only the declaration for `logbook <command> --help`', async () => {
    for (const command of await loadCommands()) {
      const loaded = modulesLoadedBy([command.name, '--help']);
      assert.ok(loaded.includes(`src/commands/${command.name}.ts`), `the hook saw ${loaded.join(', ')}`);
      assert.deepEqual(
        loaded.filter((file) => !declarationOnly(file) && file !== `src/commands/${command.name}.ts`),
        [],
        `logbook ${command.name} --help`,
      );
    }
  });
});
