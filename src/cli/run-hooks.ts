// The terminal's side of a run, handed to the workflow: the Ctrl-C critical section and the checklist prompt.
import type { RunHooks } from '../workflow/run-context.ts';
import { promptChecklist } from './checklist-prompt.ts';
import { critical } from './critical-section.ts';

export const terminalRunHooks: RunHooks = { critical, promptChecklist: (steps, runbook) => promptChecklist(steps, runbook) };
