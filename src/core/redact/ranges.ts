// Replaces found secret ranges with the redaction mark, once, however the ranges overlap.
import type { Range } from './literal-matcher.ts';

export const REDACTED = '***';

export function replaceRanges(text: string, ranges: Range[]): string {
  if (ranges.length === 0) return text;
  ranges.sort((a, b) => a.start - b.start || b.end - a.end);
  let out = '';
  let cursor = 0;
  let open: Range | null = null;
  for (const range of ranges) {
    if (open && range.start <= open.end) {
      if (range.end > open.end) open.end = range.end;
      continue;
    }
    if (open) {
      out += REDACTED;
      cursor = open.end;
    }
    out += text.slice(cursor, range.start);
    open = { start: range.start, end: range.end };
  }
  if (open) {
    out += REDACTED;
    cursor = open.end;
  }
  return out + text.slice(cursor);
}
