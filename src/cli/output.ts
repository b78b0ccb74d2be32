// Terminal output: every line is redacted; progress goes to stderr so stdout stays parseable.
import type { Output } from '../core/output.ts';
import { redactDeep, redactText } from '../core/redact.ts';

export type { Output } from '../core/output.ts';

export function createOutput(stdout: NodeJS.WritableStream = process.stdout, stderr: NodeJS.WritableStream & { isTTY?: boolean } = process.stderr): Output {
  return {
    line: (text = '') => void stdout.write(`${redactText(text)}\n`),
    info: (text) => void stderr.write(`${redactText(text)}\n`),
    warn: (text) => void stderr.write(`warning: ${redactText(text)}\n`),
    json: (value) => void stdout.write(`${JSON.stringify(redactDeep(value), null, 2)}\n`),
    interactive: Boolean(stderr.isTTY) && !process.env.CI,
  };
}
