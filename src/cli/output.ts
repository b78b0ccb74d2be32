// Terminal output: every line is redacted; progress goes to stderr so stdout stays parseable.
import { redactDeep, redactText } from '../core/redact.ts';

export interface Output {
  /** A result line on stdout. */
  line(text?: string): void;
  /** Progress or diagnostics on stderr. */
  info(text: string): void;
  warn(text: string): void;
  /** A JSON document on stdout. */
  json(value: unknown): void;
  /** Whether stderr is an interactive terminal (progress may redraw). */
  readonly interactive: boolean;
}

export function createOutput(
  stdout: NodeJS.WritableStream = process.stdout,
  stderr: NodeJS.WritableStream & { isTTY?: boolean } = process.stderr,
): Output {
  return {
    line: (text = '') => void stdout.write(`${redactText(text)}\n`),
    info: (text) => void stderr.write(`${redactText(text)}\n`),
    warn: (text) => void stderr.write(`warning: ${redactText(text)}\n`),
    json: (value) => void stdout.write(`${JSON.stringify(redactDeep(value), null, 2)}\n`),
    interactive: Boolean(stderr.isTTY) && !process.env.CI,
  };
}
