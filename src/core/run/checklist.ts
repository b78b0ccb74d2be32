// Pure: which runbook steps a run ticked off — the ones the tool performed itself, plus what a person
// reported (the JSON the runbook page exports, or answers to prompts).
import { z } from 'zod';
import type { ChecklistEntry, TimelineEntry } from '../../schemas/record.ts';
import type { RunbookStep } from '../../schemas/runbook.ts';

/** The file the runbook page exports ("Export checklist"), read by `--checklist FILE`. */
export const checklistExportSchema = z
  .object({
    runbook: z.string().describe('Runbook slug.'),
    version: z.string().optional().describe('Runbook version the boxes were ticked against.'),
    steps: z.record(z.string(), z.object({ state: z.enum(['done', 'skipped', 'not-applicable']), reason: z.string().optional() }).strict()),
  })
  .strict();

export type ChecklistExport = z.infer<typeof checklistExportSchema>;

export function toolChecklist(steps: RunbookStep[], timeline: TimelineEntry[]): ChecklistEntry[] {
  const ran = new Set(timeline.filter((t) => t.status === 'ok').map((t) => t.phase));
  // The post-migration snapshot is logged as phase "post"; runbook steps say "snapshot" for both.
  if (ran.has('pre') || ran.has('post')) ran.add('snapshot');
  return steps.filter((s) => s.automated && ran.has(s.automated)).map((s) => ({ stepId: s.id, state: 'done', by: 'tool' }));
}

/** Person-reported entries override nothing the tool did; unknown step ids are reported, not dropped silently. */
export function mergeChecklist(
  tool: ChecklistEntry[],
  person: ChecklistExport | null,
  steps: RunbookStep[],
): { entries: ChecklistEntry[]; unknownSteps: string[] } {
  const known = new Set(steps.map((s) => s.id));
  const byTool = new Set(tool.map((e) => e.stepId));
  const entries = [...tool];
  const unknownSteps: string[] = [];
  for (const [stepId, value] of Object.entries(person?.steps ?? {})) {
    if (!known.has(stepId)) unknownSteps.push(stepId);
    else if (!byTool.has(stepId)) entries.push({ stepId, state: value.state, by: 'person', ...(value.reason ? { reason: value.reason } : {}) });
  }
  const order = new Map(steps.map((s, i) => [s.id, i]));
  entries.sort((a, b) => (order.get(a.stepId) ?? 0) - (order.get(b.stepId) ?? 0));
  return { entries, unknownSteps };
}
