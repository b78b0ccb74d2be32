// The gate's pure parts: acceptance comments and flags, which findings block, and GitHub's escaping rules.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { escapeAnnotationData, escapeAnnotationProperty } from '../../../src/core/lint/render-ci.ts';
import { acceptanceComments, applyAcceptances, blockingFindings, gateRefusal, parseAcceptFlag, unusedAcceptances } from '../../../src/core/lint/gate.ts';
import type { LintFinding } from '../../../src/schemas/findings.ts';

const finding = (rule: string, severity: LintFinding['severity'], extra: Partial<LintFinding> = {}): LintFinding => ({
  migration: 'm1',
  file: 'm1/migration.sql',
  line: 3,
  rule,
  severity,
  message: 'x',
  statement: 'SELECT 1;',
  ...extra,
});

test('acceptance comments: `-- logbook:accept RULE: reason`, anywhere in the file, with their line', () => {
  const sql = [
    '-- logbook:accept ban-drop-column: unused since v2',
    'ALTER TABLE t DROP COLUMN c;',
    '  --   logbook:accept  renaming-table :  both names served ',
    '-- logbook:accept no-reason:',
    '-- logbook:accepted x: y',
  ].join('\n');
  assert.deepEqual(acceptanceComments('m1', sql), [
    { migration: 'm1', rule: 'ban-drop-column', reason: 'unused since v2', source: 'comment', line: 1 },
    { migration: 'm1', rule: 'renaming-table', reason: 'both names served', source: 'comment', line: 3 },
  ]);
});

test('--accept-lint MIGRATION:RULE=REASON; the reason may hold ":" and "="', () => {
  assert.deepEqual(parseAcceptFlag('m1:ban-drop-column=ok: a=b'), { migration: 'm1', rule: 'ban-drop-column', reason: 'ok: a=b', source: 'flag' });
  assert.match((parseAcceptFlag('m1:ban-drop-column') as { problem: string }).problem, /MIGRATION:RULE=REASON/);
  assert.match((parseAcceptFlag('m1:ban-drop-column=  ') as { problem: string }).problem, /say why/);
  assert.match((parseAcceptFlag('m1:Bad Rule=x') as { problem: string }).problem, /not a rule name/);
});

test('an acceptance covers its migration and rule (and merged rules) only; unaccepted findings at the level block', () => {
  const findings = [
    finding('ban-drop-column', 'error'),
    finding('adding-foreign-key-constraint', 'error', { alsoRules: ['constraint-missing-not-valid'] }),
    finding('ban-drop-column', 'error', { migration: 'm2' }),
    finding('renaming-column', 'warning'),
  ];
  const accepted = applyAcceptances(findings, [
    { migration: 'm1', rule: 'ban-drop-column', reason: 'r', source: 'flag' },
    { migration: 'm1', rule: 'constraint-missing-not-valid', reason: 'r2', source: 'comment', line: 1 },
  ]);
  assert.deepEqual(
    accepted.map((f) => f.accepted?.reason ?? null),
    ['r', 'r2', null, null],
  );
  assert.deepEqual(
    blockingFindings(accepted, 'error').map((f) => f.migration),
    ['m2'],
  );
  assert.equal(blockingFindings(accepted, 'warning').length, 2);
  assert.equal(blockingFindings(accepted, 'none').length, 0);
  assert.equal(gateRefusal(accepted.slice(0, 2), 'error'), null);
  assert.match(gateRefusal(accepted, 'error')!.hint, /--accept-lint m2:ban-drop-column=REASON/);
  const typo = { migration: 'm1', rule: 'ban-drop-colum', reason: 'r', source: 'flag' as const };
  assert.deepEqual(unusedAcceptances(findings, [typo, { migration: 'm2', rule: 'ban-drop-column', reason: 'r', source: 'flag' }]), [typo]);
});

test('GitHub workflow-command escaping: %, CR and LF in data; also : and , in properties', () => {
  assert.equal(escapeAnnotationData('100% done\r\nnext: a, b'), '100%25 done%0D%0Anext: a, b');
  assert.equal(escapeAnnotationProperty('dir/a,b:c%\n'), 'dir/a%2Cb%3Ac%25%0A');
});
