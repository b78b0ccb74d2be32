// A record's checklist in both stored forms: one tuple per step (records filed now) and one object per step (older
// records) read as the same entries, render one step to a line, verify, and a bad tuple is named by its path.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatProblem, problemsFromZod } from '../../../src/core/problems.ts';
import { checkRecordDigest } from '../../../src/core/record/digest.ts';
import { parseRecordFile } from '../../../src/core/record/parse-record.ts';
import { checklistEntries, compactChecklist } from '../../../src/core/record/record-checklist.ts';
import { renderRecordFile } from '../../../src/core/record/render-record.ts';
import { type ChecklistEntry, migrationRecordSchema } from '../../../src/schemas/record.ts';
import { compactRecordOf } from '../../helpers/compact-synthetic.ts';
import { makeRecord } from '../../helpers/synthetic.ts';

const entries: ChecklistEntry[] = [
  { stepId: 'environment.confirm-database-url', state: 'done', by: 'tool' },
  { stepId: 'testing.test-on-staging', state: 'not-applicable', by: 'person', reason: 'no data change, "quoted", with: a colon' },
  { stepId: 'testing.performance-test', state: 'skipped', by: 'person' },
];

describe('the record checklist', () => {
  it('reads the same entries from tuples and from objects', () => {
    const tuples = compactChecklist(entries);
    assert.deepEqual(tuples[0], ['environment.confirm-database-url', 'done', 'tool']);
    assert.equal(tuples[1]?.length, 4);
    assert.deepEqual(checklistEntries(tuples), entries);
    assert.deepEqual(checklistEntries(entries), entries);
  });

  it('writes one step to a line in a compact record, parses back and verifies; an older record with objects still does', () => {
    const { record: compact } = compactRecordOf(makeRecord({ checklist: compactChecklist(entries) }));
    const text = renderRecordFile(compact);
    assert.match(text, /\n- \[environment\.confirm-database-url, done, tool\]\n/);
    assert.match(text, /\n- \[testing\.performance-test, skipped, person\]\n/);
    const parsed = parseRecordFile(text, `${compact.id}.mdx`);
    assert.ok(parsed.ok, JSON.stringify(!parsed.ok && parsed.problems));
    assert.deepEqual(checklistEntries(parsed.value.record.checklist), entries);
    assert.equal(checkRecordDigest(parsed.value.record), null);
    const edited = parseRecordFile(
      text.replace('[testing.performance-test, skipped, person]', '[testing.performance-test, done, person]'),
      `${compact.id}.mdx`,
    );
    assert.ok(edited.ok);
    assert.deepEqual(checkRecordDigest(edited.value.record)?.editedSections, ['checklist']);

    const { record: older } = compactRecordOf(makeRecord({ checklist: entries }), { deltas: false });
    const olderText = renderRecordFile(older);
    assert.match(olderText, /\n- stepId: environment\.confirm-database-url\n {2}state: done\n/);
    const reread = parseRecordFile(olderText, `${older.id}.mdx`);
    assert.ok(reread.ok && checkRecordDigest(reread.value.record) === null);
    assert.deepEqual(checklistEntries(reread.value.record.checklist), entries);
  });

  it('names a bad state by its path in either form', () => {
    const { record } = compactRecordOf(makeRecord({ checklist: compactChecklist(entries) }));
    const broken = structuredClone(record) as unknown as { checklist: unknown[][] };
    broken.checklist[0]![1] = 'finished';
    const parsed = migrationRecordSchema.safeParse(broken);
    assert.ok(!parsed.success);
    assert.match(problemsFromZod(parsed.error, 'r.mdx').map(formatProblem).join('\n'), /^r\.mdx: checklist\.0\.1: Invalid option/m);
    const olderBroken = structuredClone(makeRecord({ checklist: entries })) as unknown as { checklist: Array<{ state: string }> };
    olderBroken.checklist[0]!.state = 'finished';
    const olderParsed = migrationRecordSchema.safeParse(olderBroken);
    assert.ok(!olderParsed.success);
    assert.match(problemsFromZod(olderParsed.error, 'r.mdx').map(formatProblem).join('\n'), /^r\.mdx: checklist\.0\.state: Invalid option/m);
  });
});
