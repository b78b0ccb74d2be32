// A hand scanner for `key=value`, `key: value` and `"key": "value"` pairs whose key starts with a secret
// keyword: the language of the catalogue's assignment patterns, read forward once, with no regex engine set
// up per match (pairs can sit on every line of a log).

/** Characters a key continues with after its keyword (PGPASSWORD_FILE, api_key.prod); keywords are made of them. */
const isKeyChar = (c: number) => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 46 || c === 45;
/** Characters that end an unquoted value: whitespace, quotes, & ; , } */
const isValueEnd = (c: number) => c <= 32 || c === 34 || c === 39 || c === 38 || c === 59 || c === 44 || c === 125;
const isBlank = (c: number) => c === 32 || c === 9 || c === 13;

export interface AssignmentMemo {
  runStart: number;
  runEnd: number;
  value: { start: number; end: number } | null;
}

export const newAssignmentMemo = (): AssignmentMemo => ({ runStart: -1, runEnd: -1, value: null });

/**
 * The value (quotes included) of the pair whose key starts at `at`, or null. Every keyword occurrence inside
 * one run of key characters has the same key end and so the same answer: it is remembered, so a long run
 * of keywords is read once, not once per keyword.
 */
export function scanAssignment(text: string, at: number, minValueLength: number, memo: AssignmentMemo): { start: number; end: number } | null {
  if (at >= memo.runStart && at < memo.runEnd) return memo.value;
  let i = at;
  while (i < text.length && isKeyChar(text.charCodeAt(i))) i++;
  memo.runStart = at;
  memo.runEnd = i;
  memo.value = valueAfterKey(text, i, minValueLength);
  return memo.value;
}

function valueAfterKey(text: string, keyEnd: number, minValueLength: number): { start: number; end: number } | null {
  const n = text.length;
  let i = keyEnd;
  if (i < n && (text.charCodeAt(i) === 34 || text.charCodeAt(i) === 39)) i++;
  while (i < n && isBlank(text.charCodeAt(i))) i++;
  if (i >= n || (text.charCodeAt(i) !== 61 && text.charCodeAt(i) !== 58)) return null;
  i++;
  while (i < n && isBlank(text.charCodeAt(i))) i++;
  if (i >= n) return null;
  const start = i;
  const open = text.charCodeAt(i);
  if (open === 34 || open === 39) {
    // A quoted value ends at its first unquoted closing quote, never past the line.
    let units = 0;
    for (i++; i < n; i++) {
      const c = text.charCodeAt(i);
      if (c === 10) return null;
      if (c === open) return units >= minValueLength ? { start, end: i + 1 } : null;
      if (c === 92 && open === 34) {
        i++;
        if (i >= n || text.charCodeAt(i) === 10) return null;
      }
      units++;
    }
    return null;
  }
  while (i < n && !isValueEnd(text.charCodeAt(i))) i++;
  return i - start >= Math.max(1, minValueLength) ? { start, end: i } : null;
}
