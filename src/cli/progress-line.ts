// Progress for long steps: one status line redrawn in place on a terminal, plain lines every few seconds otherwise (CI, logs).
import { redactText } from '../core/redact.ts';
import type { Output } from './output.ts';

export interface ProgressLine {
  /** `transient` lines are status updates: redrawn on a TTY, throttled in logs. Others are always printed. */
  update(line: string, options?: { transient: boolean }): void;
  /** Clears a pending redrawn line before the result is printed. */
  done(): void;
}

export function createProgressLine(out: Output, options: { plainIntervalMs?: number; stream?: NodeJS.WriteStream } = {}): ProgressLine {
  const stream = options.stream ?? process.stderr;
  const interval = options.plainIntervalMs ?? 10_000;
  let lastPlain = 0;
  let drawn = false;
  const clear = () => {
    if (drawn) stream.write('\r\x1b[2K');
    drawn = false;
  };
  return {
    update(line, { transient } = { transient: false }) {
      if (!transient) {
        clear();
        out.info(line);
      } else if (out.interactive) {
        const width = (stream.columns ?? 100) - 1;
        // Redaction happens here because this write bypasses `out`.
        const text = redactText(line);
        stream.write(`\r\x1b[2K${text.length > width ? `${text.slice(0, width - 1)}…` : text}`);
        drawn = true;
      } else if (Date.now() - lastPlain >= interval) {
        lastPlain = Date.now();
        out.info(line);
      }
    },
    done: clear,
  };
}
