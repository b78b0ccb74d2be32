// Which tables get an exact count(*): the count policy of a capture (pure).

export type CountMode = 'auto' | 'exact' | 'estimate';

/** auto: exact when the planner's estimate is at or below the threshold; exact/estimate force one way. */
export function wantsExactCount(estimatedRows: number, mode: CountMode, exactCountThreshold: number): boolean {
  if (mode === 'exact') return true;
  if (mode === 'estimate') return false;
  return estimatedRows <= exactCountThreshold;
}

/** countNote for a table whose exact count failed and fell back to the estimate. */
export function fallbackNote(reason: string): string {
  return `exact count failed (${reason}); planner estimate used`;
}
