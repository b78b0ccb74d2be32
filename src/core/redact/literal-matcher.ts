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
  /** Index of every pattern that ends at this state, for `findEach`. */
  readonly #ends: number[][] = [[]];
  readonly #lengths: number[] = [];
  /** Complete transitions for ASCII characters (state * 128 + code): one lookup per character, no failure walk. */
  readonly #ascii: Int32Array;
  readonly size: number;

  /** `caseInsensitive` folds ASCII letters (keywords); secrets are matched exactly. */
  constructor(patterns: Iterable<string>, options: { caseInsensitive?: boolean } = {}) {
    let size = 0;
    for (const original of patterns) {
      const pattern = options.caseInsensitive ? original.toLowerCase() : original;
      const index = this.#lengths.length;
      this.#lengths.push(pattern.length);
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
          this.#ends.push([]);
          this.#next[state]!.set(code, to);
        }
        state = to;
      }
      this.#longest[state] = Math.max(this.#longest[state]!, pattern.length);
      this.#ends[state]!.push(index);
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
        this.#ends[child] = [...this.#ends[child]!, ...this.#ends[this.#fail[child]!]!];
        queue.push(child);
      }
    }
    // Breadth-first again: a state's failure target (shallower) already has its complete row.
    this.#ascii = new Int32Array(this.#next.length * 128);
    for (const state of [0, ...queue]) {
      const row = state * 128;
      const failRow = this.#fail[state]! * 128;
      for (let code = 0; code < 128; code++) {
        const to = this.#next[state]!.get(code);
        this.#ascii[row + code] = to !== undefined ? to : state === 0 ? 0 : this.#ascii[failRow + code]!;
      }
      if (options.caseInsensitive) for (let code = 65; code <= 90; code++) this.#ascii[row + code] = this.#ascii[row + code + 32]!;
    }
  }

  /** Calls `onMatch(start, patternIndex)` for every occurrence of every pattern, overlapping ones included. */
  findEach(text: string, onMatch: (start: number, pattern: number) => void): void {
    if (this.size === 0) return;
    const ascii = this.#ascii;
    const ends = this.#ends;
    const lengths = this.#lengths;
    let state = 0;
    for (let i = 0; i < text.length; i++) {
      const code = text.charCodeAt(i);
      // Patterns given to findEach are ASCII: any other character ends every partial match.
      state = code < 128 ? ascii[state * 128 + code]! : 0;
      const here = ends[state]!;
      for (let k = 0; k < here.length; k++) onMatch(i + 1 - lengths[here[k]!]!, here[k]!);
    }
  }

  /** Every place a pattern occurs (the longest one where several end at the same character). */
  find(text: string, into: Range[] = []): Range[] {
    if (this.size === 0) return into;
    const next = this.#next;
    const fail = this.#fail;
    const longest = this.#longest;
    const ascii = this.#ascii;
    let state = 0;
    for (let i = 0; i < text.length; i++) {
      const code = text.charCodeAt(i);
      if (code < 128) state = ascii[state * 128 + code]!;
      else {
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
