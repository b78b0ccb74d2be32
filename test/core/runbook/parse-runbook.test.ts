// The production runbook matches the hand-run seed checklist, and the parser reports what is wrong with a runbook.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import type { Code, Nodes } from 'mdast';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import { parseMdx } from '../../../src/core/runbook/mdx-tree.ts';
import { collectRunbookProblems, parseRunbook, RunbookError, type RunbookProblem } from '../../../src/core/runbook/parse-runbook.ts';

const runbookSource = readFileSync(new URL('../../../content/runbooks/production-migration.mdx', import.meta.url), 'utf8');
// A verbatim copy of the hand-run checklist the runbook was made from.
const seedSource = readFileSync(new URL('../../fixtures/production-migration-checklist.md', import.meta.url), 'utf8');

/** Code blocks of a Markdown tree, split into those inside list items (checklist steps) and the rest. */
function seedCodeBlocks(): { inSteps: Code[]; outside: Code[] } {
  const inSteps: Code[] = [];
  const outside: Code[] = [];
  const walk = (node: Nodes, inList: boolean): void => {
    if (node.type === 'code') (inList ? inSteps : outside).push(node);
    if ('children' in node) for (const child of node.children) walk(child as Nodes, inList || node.type === 'listItem');
  };
  walk(unified().use(remarkParse).use(remarkGfm).parse(seedSource), false);
  return { inSteps, outside };
}

function problemsOf(source: string): RunbookProblem[] {
  return collectRunbookProblems(source, 'edited.mdx');
}

function assertProblem(problems: RunbookProblem[], field: string, messagePart: string): void {
  assert.ok(
    problems.some((problem) => problem.field === field && problem.message.includes(messagePart) && problem.file === 'edited.mdx'),
    `expected a ${field} problem mentioning "${messagePart}", got ${JSON.stringify(problems, null, 2)}`,
  );
}

/** Replaces exactly one occurrence, so a test fails loudly if the runbook changes under it. */
function replaceOnce(source: string, search: string, replacement: string): string {
  assert.equal(source.split(search).length, 2, `expected exactly one "${search}" in the runbook`);
  return source.replace(search, () => replacement);
}

describe('the production migration runbook', () => {
  const runbook = parseRunbook(runbookSource, 'production-migration.mdx');

  it('has every checklist item of the seed as a step', () => {
    // The seed decorates one item with ✅; the runbook says the same in words (the site draws no emoji).
    const seedItems = [...seedSource.matchAll(/^- \[ \] (.+)$/gm)].map((match) =>
      match[1]
        ?.replaceAll('**', '')
        .replace(/\p{Extended_Pictographic}\uFE0F?/gu, '')
        .trim(),
    );
    assert.equal(seedItems.length, 90);
    assert.equal(runbook.steps.length, 90);
    assert.deepEqual(
      runbook.steps.map((step) => step.text),
      seedItems,
    );
  });

  it('has 90 steps', () => {
    assert.equal(runbook.steps.length, 90);
  });

  it('keeps 83 steps in 15 sections before the rollback and 7 rollback steps', () => {
    const rollback = runbook.phases.filter((phase) => phase.id === 'rollback');
    const others = runbook.phases.filter((phase) => phase.id !== 'rollback');
    assert.deepEqual(
      others.map((phase) => phase.id),
      ['pre-deployment', 'deployment', 'post-deployment'],
    );
    assert.equal(others.flatMap((phase) => phase.sections).length, 15);
    assert.equal(runbook.steps.filter((step) => step.phaseId !== 'rollback').length, 83);
    assert.equal(rollback.flatMap((phase) => phase.sections.flatMap((section) => section.steps)).length, 7);
    assert.equal(runbook.steps.filter((step) => step.phaseId === 'rollback').length, 7);
  });

  it('gives every step a unique id prefixed by its section', () => {
    const ids = runbook.steps.map((step) => step.id);
    assert.equal(new Set(ids).size, ids.length);
    for (const step of runbook.steps) assert.ok(step.id.startsWith(`${step.sectionId}.`), step.id);
  });

  it('keeps every code block of the seed checklist verbatim inside a step', () => {
    const commands = runbook.steps.flatMap((step) => step.commands);
    const { inSteps } = seedCodeBlocks();
    assert.equal(inSteps.length, commands.length);
    for (const block of inSteps) {
      assert.ok(
        commands.some((command) => command.code === block.value && command.lang === block.lang),
        `seed block missing from the runbook steps:\n${block.value}`,
      );
    }
  });

  it('keeps the record template and the quick commands reference verbatim outside the steps', () => {
    const { outside } = seedCodeBlocks();
    assert.equal(outside.length, 2);
    const stepCode = new Set(runbook.steps.flatMap((step) => step.commands.map((command) => command.code)));
    const topLevelCode = parseMdx(runbookSource).children.filter((node): node is Code => node.type === 'code');
    for (const block of outside) {
      assert.ok(!stepCode.has(block.value));
      assert.ok(
        // The seed's template ticks its verification lines with ✅; the runbook writes them as [x] (no emoji on the site).
        topLevelCode.some((code) => code.value === block.value.replaceAll('- ✅ ', '- [x] ') && code.lang === block.lang),
        `seed block missing from the runbook:\n${block.value}`,
      );
    }
  });

  it('reads the frontmatter', () => {
    assert.equal(runbook.frontmatter.title, 'Production migration');
    assert.equal(runbook.frontmatter.version, '1.0.0');
    assert.equal(runbook.frontmatter.updated.toISOString().slice(0, 10), '2025-12-06');
  });

  it('marks only steps the logbook performs as automated', () => {
    const automated = Object.fromEntries(runbook.steps.filter((step) => step.automated).map((step) => [step.id, step.automated]));
    assert.equal(automated['backup.create-full-backup'], 'backup');
    assert.equal(automated['execution.run-migrate-deploy'], 'migrate');
    assert.equal(automated['app-deploy.verify-health-check'], 'smoke');
    assert.equal(automated['communication.notify-team'], undefined);
  });
});

describe('parseRunbook step ids', () => {
  it('stay the same when an unrelated step is inserted', () => {
    const before = parseRunbook(runbookSource).steps.map((step) => step.id);
    const edited = replaceOnce(
      runbookSource,
      '<Step id="backup.verify-backup" automated="backup">',
      '<Step id="backup.check-disk-space">\nCheck there is disk space for the backup\n</Step>\n\n<Step id="backup.verify-backup" automated="backup">',
    );
    const after = parseRunbook(edited).steps.map((step) => step.id);
    assert.equal(after.length, before.length + 1);
    assert.deepEqual(
      after.filter((id) => id !== 'backup.check-disk-space'),
      before,
    );
  });
});

describe('parseRunbook problems', () => {
  it('reports a duplicate step id', () => {
    const problems = problemsOf(replaceOnce(runbookSource, 'id="testing.test-on-staging"', 'id="testing.run-locally"'));
    assertProblem(problems, 'Step.id', 'testing.run-locally" is already used');
  });

  it('reports a missing version in the frontmatter', () => {
    const problems = problemsOf(replaceOnce(runbookSource, 'version: 1.0.0\n', ''));
    assertProblem(problems, 'frontmatter.version', 'add a version');
  });

  it('reports a version that is not semver', () => {
    assertProblem(problemsOf(replaceOnce(runbookSource, 'version: 1.0.0\n', 'version: 1.0\n')), 'frontmatter.version', 'semantic version');
  });

  it('reports an unknown frontmatter field with its line', () => {
    const problems = problemsOf(replaceOnce(runbookSource, 'version: 1.0.0\n', 'version: 1.0.0\nauthor: someone\n'));
    assertProblem(problems, 'frontmatter.author', 'unknown field');
    assert.equal(problems.find((problem) => problem.field === 'frontmatter.author')?.line, 5);
  });

  it('reports a step id whose prefix is not its section', () => {
    const problems = problemsOf(replaceOnce(runbookSource, 'id="backup.store-securely"', 'id="backups.store-securely"'));
    assertProblem(problems, 'Step.id', 'must start with its section id');
  });

  it('reports an unknown automated value', () => {
    const problems = problemsOf(replaceOnce(runbookSource, 'automated="record"', 'automated="deploy"'));
    assertProblem(problems, 'Step.automated', 'automated must be one of');
  });

  it('reports a step outside a section', () => {
    const problems = problemsOf(`${runbookSource}\n<Step id="notes.extra">\nA stray step\n</Step>\n`);
    assertProblem(problems, 'Step', 'outside a Section');
  });

  it('reports an attribute that is not a plain string', () => {
    assertProblem(problemsOf(replaceOnce(runbookSource, 'id="cleanup.clear-old-logs"', 'id={"cleanup.clear-old-logs"}')), 'Step.id', 'plain string');
  });

  it('reports an MDX syntax error with its line', () => {
    const problems = problemsOf(replaceOnce(runbookSource, 'Validate season data', 'Validate {season data'));
    assert.equal(problems.length, 1);
    assert.equal(problems[0]?.field, 'mdx');
    assert.equal(problems[0]?.line, runbookSource.split('\n').indexOf('Validate season data') + 1);
  });

  it('throws all problems at once as one RunbookError', () => {
    let edited = replaceOnce(runbookSource, 'version: 1.0.0\n', '');
    edited = replaceOnce(edited, 'id="testing.test-on-staging"', 'id="testing.run-locally"');
    edited = replaceOnce(edited, 'id="backup.store-securely"', 'id="backups.store-securely"');
    edited = replaceOnce(edited, 'automated="record"', 'automated="deploy"');
    assert.throws(
      () => parseRunbook(edited, 'edited.mdx'),
      (error: unknown) => {
        assert.ok(error instanceof RunbookError);
        assert.deepEqual(error.problems.map((problem) => problem.field).sort(), ['Step.automated', 'Step.id', 'Step.id', 'frontmatter.version']);
        assert.match(error.message, /4 problems in runbook edited\.mdx/);
        return true;
      },
    );
  });

  it('finds no problem in the real runbook', () => {
    assert.deepEqual(collectRunbookProblems(runbookSource, 'production-migration.mdx'), []);
  });
});
