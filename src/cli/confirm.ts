// Asking before destroying anything: y/N on a terminal, --yes in scripts, refusal otherwise.
import { createInterface } from 'node:readline/promises';
import { EXIT, LogbookError } from './errors.ts';
import type { Output } from './output.ts';

export async function confirmDestructive(out: Output, options: { yes: boolean; question: string; what: string }): Promise<boolean> {
  if (options.yes) return true;
  if (!process.stdin.isTTY || !out.interactive) {
    throw new LogbookError(`refusing to ${options.what} without confirmation`, {
      code: 'E_NOT_CONFIRMED',
      exitCode: EXIT.usage,
      hint: `pass --yes to ${options.what} from a script`,
    });
  }
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await rl.question(`${options.question} [y/N] `)).trim());
  } finally {
    rl.close();
  }
}
