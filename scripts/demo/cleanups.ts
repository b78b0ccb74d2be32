// What the demo has started, undone in reverse order: created before anything starts, so Ctrl-C at any
// moment removes whatever exists by then.
export interface Cleanups {
  /** Registers an undo step; returns a function that drops it (when the thing ended by itself). After run(), the step runs at once. */
  add(fn: () => Promise<void> | void): () => void;
  /** Runs every registered step once, newest first; failures are ignored so the rest still run. */
  run(): Promise<void>;
  readonly ran: boolean;
}

export function createCleanups(): Cleanups {
  const steps: Array<() => Promise<void> | void> = [];
  let ran = false;
  let running: Promise<void> | null = null;
  const safely = async (fn: () => Promise<void> | void) => {
    try {
      await fn();
    } catch {
      // One failed undo step must not keep the others from running.
    }
  };
  return {
    add(fn) {
      if (ran) {
        void safely(fn);
        return () => {};
      }
      steps.push(fn);
      return () => {
        const at = steps.indexOf(fn);
        if (at !== -1) steps.splice(at, 1);
      };
    },
    run() {
      ran = true;
      running ??= (async () => {
        while (steps.length > 0) await safely(steps.pop()!);
      })();
      return running;
    },
    get ran() {
      return ran;
    },
  };
}
