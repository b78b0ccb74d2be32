// Keeps the last lines of a stream (a migration's output) within a line and byte budget.

export class OutputTail {
  #lines: string[] = [];
  #partial = '';
  #bytes = 0;
  #dropped = 0;
  readonly maxLines: number;
  readonly maxBytes: number;

  constructor(maxLines = 60, maxBytes = 16_384) {
    this.maxLines = maxLines;
    this.maxBytes = maxBytes;
  }

  /** Feed a chunk; returns the complete lines it finished, for streaming to a terminal. */
  push(chunk: string): string[] {
    const parts = (this.#partial + chunk).split(/\r?\n/);
    this.#partial = parts.pop() ?? '';
    for (const line of parts) this.#add(line);
    return parts;
  }

  /** Flush a last unterminated line. */
  end(): string[] {
    if (!this.#partial) return [];
    const last = this.#partial;
    this.#partial = '';
    this.#add(last);
    return [last];
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
