// Pure: a record's checklist in either stored form (one object per step in older records, one tuple per step in
// records filed now: a third of the bytes, one line per step) read as entries, and entries written as tuples.
import type { ChecklistEntry, ChecklistTuple, MigrationRecord } from '../../schemas/record.ts';

/** The checklist as records filed now store it: `[stepId, state, by]`, with the reason last when there is one. */
export function compactChecklist(entries: ChecklistEntry[]): ChecklistTuple[] {
  return entries.map((e) => (e.reason === undefined ? [e.stepId, e.state, e.by] : [e.stepId, e.state, e.by, e.reason]));
}

/** Every step the record ticked, as entries, from either form. */
export function checklistEntries(checklist: MigrationRecord['checklist']): ChecklistEntry[] {
  return checklist.map((item) => {
    if (!Array.isArray(item)) return item;
    const [stepId, state, by, reason] = item;
    return reason === undefined ? { stepId, state, by } : { stepId, state, by, reason };
  });
}
