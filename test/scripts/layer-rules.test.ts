// The dependency rule check (`npm run lint:layers`, part of `npm test`): the real tree passes, and a wrong-way import fails it.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const BIOME = join(ROOT, 'node_modules/.bin/biome');
const LINT = ['lint', '--only=style/noRestrictedImports', '--max-diagnostics=100', 'src'];

function lintLayers(cwd: string) {
  return spawnSync(BIOME, LINT, { cwd, encoding: 'utf8' });
}

/** A tree with the repository's biome.json and the given files; the real src is never written to. */
function fixtureTree(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'logbook-layers-'));
  cleanup.push(dir);
  copyFileSync(join(ROOT, 'biome.json'), join(dir, 'biome.json'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

const cleanup: string[] = [];
after(() => {
  for (const dir of cleanup) rmSync(dir, { recursive: true, force: true });
});

describe('layer rules', () => {
  it('pass on the repository as it is', () => {
    const result = lintLayers(ROOT);
    assert.equal(result.status, 0, result.stdout + result.stderr);
  });

  it('accept imports that point down the layers', () => {
    const dir = fixtureTree({
      'src/core/fine.ts': "import { z } from 'zod';\nimport { recordSchema } from '../schemas/record.ts';\nexport const fine = [z, recordSchema];\n",
      'src/adapters/fs/fine.ts':
        "import { LogbookError } from '../../core/errors.ts';\nimport { readFileSync } from 'node:fs';\nexport const fine = [LogbookError, readFileSync];\n",
      'src/workflow/fine.ts': "import { readRecord } from '../adapters/fs/record-store.ts';\nexport const fine = readRecord;\n",
    });
    const result = lintLayers(dir);
    assert.equal(result.status, 0, result.stdout + result.stderr);
  });

  it('fail on each wrong-way import, naming the rule and why', () => {
    const dir = fixtureTree({
      'src/core/wrong.ts':
        "import { withClient } from '../adapters/pg/client.ts';\nimport { readFileSync } from 'node:fs';\nexport const wrong = [withClient, readFileSync];\n",
      'src/adapters/fs/wrong.ts': "import { EXIT } from '../../cli/errors.ts';\nexport const wrong = EXIT;\n",
      'src/workflow/wrong.ts': "import { critical } from '../cli/critical-section.ts';\nexport const wrong = critical;\n",
      'src/schemas/wrong.ts': "import { redactText } from '../core/redact.ts';\nexport const wrong = redactText;\n",
      'src/site/wrong.ts': "import { buildRunContext } from '../workflow/run-context.ts';\nexport const wrong = buildRunContext;\n",
    });
    const result = lintLayers(dir);
    const output = result.stdout + result.stderr;
    assert.notEqual(result.status, 0, output);
    assert.match(output, /Found 6 errors/);
    for (const file of [
      'src/core/wrong.ts:1',
      'src/core/wrong.ts:2',
      'src/adapters/fs/wrong.ts:1',
      'src/workflow/wrong.ts:1',
      'src/schemas/wrong.ts:1',
      'src/site/wrong.ts:1',
    ]) {
      assert.match(output, new RegExp(`${file.replaceAll('.', '\\.')}:\\d+ lint/style/noRestrictedImports`), file);
    }
    assert.match(output, /core is pure: reading and writing files belongs in src\/adapters/);
    assert.match(output, /report errors with core's categories, not exit codes/);
    assert.match(output, /workflow gets terminal I\/O, prompts and signals as interfaces passed in/);
  });

  it('let the site reach only the git adapter, and only from its git history helper', () => {
    const dir = fixtureTree({
      'src/site/git-history.ts':
        "import { readFolderHistory } from '../adapters/git/folder-history.ts';\nimport { connect } from '../adapters/pg/client.ts';\nexport const x = [readFolderHistory, connect];\n",
      'src/site/tables.ts': "import { readFolderHistory } from '../adapters/git/folder-history.ts';\nexport const wrong = readFolderHistory;\n",
    });
    const output = (({ stdout, stderr }) => stdout + stderr)(lintLayers(dir));
    assert.match(output, /Found 2 errors/);
    assert.match(output, /src\/site\/git-history\.ts:2:\d+ lint\/style\/noRestrictedImports/);
    assert.doesNotMatch(output, /src\/site\/git-history\.ts:1:/);
    assert.match(output, /src\/site\/tables\.ts:1:\d+ lint\/style\/noRestrictedImports/);
  });
});
