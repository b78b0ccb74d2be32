// Work that must finish even when a second Ctrl-C arrives: leaving maintenance mode, stopping the
// migration command. The CLI's signal handler asks here before it forces an exit.

let depth = 0;

export function inCriticalSection(): boolean {
  return depth > 0;
}

export async function critical<T>(fn: () => Promise<T>): Promise<T> {
  depth += 1;
  try {
    return await fn();
  } finally {
    depth -= 1;
  }
}
