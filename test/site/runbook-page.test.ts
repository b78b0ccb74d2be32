// The built runbook page holds every one of the seed's 90 steps and every command block, verbatim.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, it } from 'node:test';
import { buildSite } from '../../scripts/support/build-site.ts';
import { parseRunbook } from '../../src/core/runbook/parse-runbook.ts';

const source = readFileSync(new URL('../../content/runbooks/production-migration.mdx', import.meta.url), 'utf8');
const runbook = parseRunbook(source, 'production-migration.mdx');
let work: string;
let html: string;

before(async () => {
  work = mkdtempSync(join(tmpdir(), 'logbook-runbook-page-'));
  mkdirSync(join(work, 'records'));
  const { outDir } = await buildSite({ recordsDir: join(work, 'records'), search: false });
  html = readFileSync(join(outDir, 'runbooks', 'production-migration', 'index.html'), 'utf8');
  rmSync(join(outDir, '..'), { recursive: true, force: true });
});
after(() => rmSync(work, { recursive: true, force: true }));

/** The text a reader sees: tags dropped (highlighting splits code into spans), entities decoded. */
function visibleText(markup: string): string {
  return markup
    .replace(/<[^>]+>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&#x27;/g, "'")
    .replace(/&amp;/g, '&');
}

it('renders all 90 steps, each with its stable id and a tick box', () => {
  assert.equal(runbook.steps.length, 90);
  for (const step of runbook.steps) {
    assert.ok(html.includes(`data-step-id="${step.id}"`), `step ${step.id}`);
    assert.ok(html.includes(`name="${step.id}"`), `tick box of ${step.id}`);
  }
});

it('renders every command block verbatim', () => {
  const commands = runbook.steps.flatMap((s) => s.commands);
  assert.ok(commands.length >= 20, `${commands.length} command blocks`);
  const blocks = [...html.matchAll(/<pre[^>]*>([\s\S]*?)<\/pre>/g)].map((m) => visibleText(m[1]!).replace(/\s+$/gm, ''));
  for (const command of commands) {
    const expected = command.code.replace(/\s+$/gm, '');
    assert.ok(
      blocks.some((block) => block.includes(expected)),
      `command block:\n${command.code}`,
    );
  }
});
