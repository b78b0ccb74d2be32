// Finds many literal strings in one pass (Aho-Corasick): every registered secret in every encoded form,
// in time linear in the text however many secrets there are.

export interface Range {
  start: number;
  end: number;
}

export class LiteralMatcher {
  readonly #next: Map<number, number>[] = [new Map()];
  readonly #fail: number[] = [0];
  /** Length of the longest pattern that ends at this state (0 for none). */
  readonly #longest: number[] = [0];
  readonly size: number;

  constructor(patterns: Iterable<string>) {
    let size = 0;
    for (const pattern of patterns) {
      if (!pattern) continue;
      size++;
      let state = 0;
      for (let i = 0; i < pattern.length; i++) {
        const code = pattern.charCodeAt(i);
        let to = this.#next[state]!.get(code);
        if (to === undefined) {
          to = this.#next.length;
          this.#next.push(new Map());
          this.#fail.push(0);
          this.#longest.push(0);
          this.#next[state]!.set(code, to);
        }
        state = to;
      }
      this.#longest[state] = Math.max(this.#longest[state]!, pattern.length);
    }
    this.size = size;
    // Breadth-first, so a state's failure link is final before its children need it.
    const queue: number[] = [...this.#next[0]!.values()];
    for (let head = 0; head < queue.length; head++) {
      const state = queue[head]!;
      for (const [code, child] of this.#next[state]!) {
        let fail = this.#fail[state]!;
        while (fail !== 0 && !this.#next[fail]!.has(code)) fail = this.#fail[fail]!;
        const target = this.#next[fail]!.get(code);
        this.#fail[child] = target !== undefined && target !== child ? target : 0;
        this.#longest[child] = Math.max(this.#longest[child]!, this.#longest[this.#fail[child]!]!);
        queue.push(child);
      }
    }
  }

  /** Every place a pattern occurs (the longest one where several end at the same character). */
  find(text: string, into: Range[] = []): Range[] {
    if (this.size === 0) return into;
    const next = this.#next;
    const fail = this.#fail;
    const longest = this.#longest;
    const root = next[0]!;
    let state = 0;
    for (let i = 0; i < text.length; i++) {
      const code = text.charCodeAt(i);
      if (state === 0) {
        const to = root.get(code);
        if (to === undefined) continue;
        state = to;
      } else {
        let to = next[state]!.get(code);
        while (to === undefined && state !== 0) {
          state = fail[state]!;
          to = next[state]!.get(code);
        }
        state = to ?? 0;
      }
      const length = longest[state]!;
      if (length > 0) into.push({ start: i + 1 - length, end: i + 1 });
    }
    return into;
  }
}
