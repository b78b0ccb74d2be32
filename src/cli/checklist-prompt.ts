// `--interactive`: asks about each runbook step the run did not perform itself. Reads answers line by
// line from stdin (a terminal, or a file piped in), so it works in scripts and tests too.
import { createInterface } from 'node:readline';
import type { ChecklistExport } from '../core/run/checklist.ts';
import { EXIT, LogbookError } from './errors.ts';
import type { RunbookStep } from '../schemas/runbook.ts';

const CHOICES: Record<string, 'done' | 'skipped' | 'not-applicable'> = { d: 'done', s: 'skipped', n: 'not-applicable' };

export async function promptChecklist(
  steps: RunbookStep[],
  runbook: { slug: string; version: string },
  output: NodeJS.WritableStream = process.stderr,
  terminal: boolean = Boolean(process.stdin.isTTY),
): Promise<ChecklistExport> {
  const manual = steps;
  const answers: ChecklistExport = { runbook: runbook.slug, version: runbook.version, steps: {} };
  const rl = createInterface({ input: process.stdin, terminal: false });
  const lines = rl[Symbol.asyncIterator]();
  const ask = async (question: string): Promise<string | null> => {
    output.write(question);
    const next = await lines.next();
    return next.done ? null : next.value.trim();
  };
  output.write(
    `${manual.length} steps are yours to report: d = done, s = skipped (a reason follows), n = not applicable, Enter = leave unrecorded, q = stop asking\n`,
  );
  try {
    for (const step of manual) {
      const answer = await ask(`  ${step.id} — ${step.text} [d/s/n/Enter/q] `);
      // Unattended (CI, a pipe): answers that stop short are a mistake in the script, never a silent partial checklist.
      if (answer === null && !terminal) throw inputEnded(step.id, manual.length);
      if (answer === null || answer.toLowerCase() === 'q') break;
      const state = CHOICES[answer.toLowerCase()];
      if (!state) continue;
      const reason = state === 'done' ? null : await ask('    why? ');
      if (reason === null && state !== 'done' && !terminal) throw inputEnded(step.id, manual.length);
      answers.steps[step.id] = reason ? { state, reason } : { state };
    }
  } finally {
    rl.close();
  }
  return answers;
}

function inputEnded(stepId: string, total: number): LogbookError {
  return new LogbookError(`--interactive: standard input ended at step ${stepId} (of ${total} to report), and there is no terminal to ask`, {
    code: 'E_USAGE',
    exitCode: EXIT.usage,
    hint: 'pipe one answer per step (d, s + a reason line, n, an empty line, or q to stop), or use --checklist FILE',
  });
}
