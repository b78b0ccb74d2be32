// Keeps the last lines of a stream (a migration's output) within a line and byte budget, each line
// redacted as it arrives and cut to a bounded length, so a 5 MB line costs neither time nor memory.
import { createLineRedactor } from './redact.ts';

/** Characters of one line kept beyond the cut, so a secret straddling the cut is still recognised whole. */
const REDACTION_MARGIN = 1024;

export class OutputTail {
  #lines: string[] = [];
  #partial = '';
  /** Characters of the current line beyond what is kept. */
  #partialDropped = 0;
  #bytes = 0;
  #dropped = 0;
  readonly #redact = createLineRedactor();
  readonly maxLines: number;
  readonly maxBytes: number;
  readonly maxLineLength: number;

  constructor(maxLines = 60, maxBytes = 16_384, maxLineLength = 4_096) {
    this.maxLines = maxLines;
    this.maxBytes = maxBytes;
    this.maxLineLength = maxLineLength;
  }

  /** Feed a chunk; returns the complete lines it finished (redacted), for streaming to a terminal. */
  push(chunk: string): string[] {
    const finished: string[] = [];
    let from = 0;
    for (;;) {
      const newline = chunk.indexOf('\n', from);
      if (newline < 0) break;
      this.#append(chunk.slice(from, newline));
      finished.push(this.#finishLine());
      from = newline + 1;
    }
    this.#append(chunk.slice(from));
    return finished;
  }

  /** Flush a last unterminated line. */
  end(): string[] {
    if (!this.#partial && !this.#partialDropped) return [];
    return [this.#finishLine()];
  }

  #append(text: string): void {
    const room = this.maxLineLength + REDACTION_MARGIN - this.#partial.length;
    if (text.length <= room) this.#partial += text;
    else {
      this.#partial += text.slice(0, Math.max(0, room));
      this.#partialDropped += text.length - Math.max(0, room);
    }
  }

  #finishLine(): string {
    let raw = this.#partial;
    if (raw.endsWith('\r')) raw = raw.slice(0, -1);
    let line = this.#redact(raw);
    const cut = this.#partialDropped + Math.max(0, line.length - this.maxLineLength);
    if (cut > 0) line = `${line.slice(0, this.maxLineLength)}… [${cut} more characters]`;
    this.#partial = '';
    this.#partialDropped = 0;
    this.#add(line);
    return line;
  }

  #add(line: string): void {
    this.#lines.push(line);
    this.#bytes += line.length + 1;
    while (this.#lines.length > this.maxLines || (this.#bytes > this.maxBytes && this.#lines.length > 1)) {
      this.#bytes -= (this.#lines.shift()?.length ?? 0) + 1;
      this.#dropped += 1;
    }
  }

  toString(): string {
    const head = this.#dropped ? `… ${this.#dropped} earlier line(s) omitted\n` : '';
    return head + this.#lines.join('\n');
  }
}
