// Finds secrets by format (the token catalogue) in linear time: a rule's RE2 pattern runs only on the
// lines that contain one of its keywords, and each such line is scanned once per rule.
import { RE2JS } from 're2js';
import type { Range } from './literal-matcher.ts';
import { PRIVATE_KEY_BEGIN, PRIVATE_KEY_END, TOKEN_FORMATS, type TokenFormat } from './token-formats.ts';

/** Longest secret a format match may span (a JWT with many claims runs to a few kB). */
const MAX_TOKEN_LENGTH = 16_384;

interface CompiledFormat {
  format: TokenFormat;
  regex: RE2JS;
}

let compiled: CompiledFormat[] | null = null;

function formats(): CompiledFormat[] {
  compiled ??= TOKEN_FORMATS.map((format) => ({ format, regex: RE2JS.compile(format.pattern) }));
  return compiled;
}

/** Ranges of `text` that match a known secret format. */
export function findFormatSecrets(text: string, into: Range[] = []): Range[] {
  // Keywords are lowercase ASCII; when lowercasing changes the length (rare Unicode), positions would not line up.
  const lower = text.toLowerCase();
  for (const { format, regex } of formats()) {
    if (lower.length !== text.length) scanWhole(regex, format.group ?? 0, text, into);
    else scanAtKeywords(regex, format, text, lower, into);
  }
  findPrivateKeys(text, into);
  return into;
}

/**
 * Tries the pattern anchored at each keyword occurrence, on lines where the (fast, DFA) test says a match
 * exists. An anchored match reads only as far as the token goes, so the cost is the keyword search plus
 * one DFA pass over the lines that hold keywords.
 */
function scanAtKeywords(regex: RE2JS, format: TokenFormat, text: string, lower: string, into: Range[]): void {
  const group = format.group ?? 0;
  const next = format.keywords.map((keyword) => ({ keyword, at: lower.indexOf(keyword) }));
  let lineStart = -1;
  let lineEnd = -1;
  let lineMatches = false;
  let covered = 0;
  for (let at = firstKeyword(lower, next, 0); at >= 0; at = firstKeyword(lower, next, at + 1)) {
    if (at >= lineEnd) {
      lineStart = text.lastIndexOf('\n', at) + 1;
      lineEnd = text.indexOf('\n', at);
      if (lineEnd < 0) lineEnd = text.length;
      lineMatches = regex.test(text.slice(lineStart, lineEnd));
    }
    if (!lineMatches) {
      // Nothing on this line: skip straight to the next one.
      at = lineEnd;
      continue;
    }
    if (at < covered) continue;
    // The engine reads its whole input up front, so the window is bounded: no token is longer.
    const matcher = regex.matcher(text.slice(at, Math.min(lineEnd, at + MAX_TOKEN_LENGTH)));
    if (!matcher.lookingAt()) continue;
    const start = matcher.start(group);
    const end = matcher.end(group);
    if (start >= 0 && end > start) into.push({ start: at + start, end: at + end });
    covered = at + matcher.end(0);
  }
}

function scanWhole(regex: RE2JS, group: number, text: string, into: Range[]): void {
  if (!regex.test(text)) return;
  const matcher = regex.matcher(text);
  while (matcher.find()) {
    const start = matcher.start(group);
    const end = matcher.end(group);
    if (start >= 0 && end > start) into.push({ start: start, end: end });
  }
}

/**
 * The first keyword occurrence at or after `from`. Each keyword's next occurrence is remembered, so a
 * keyword that never occurs again is not searched for again: the whole text is read once per keyword.
 */
function firstKeyword(lower: string, next: { keyword: string; at: number }[], from: number): number {
  let first = -1;
  for (const entry of next) {
    if (entry.at >= 0 && entry.at < from) entry.at = lower.indexOf(entry.keyword, from);
    if (entry.at >= 0 && (first < 0 || entry.at < first)) first = entry.at;
  }
  return first;
}

/** A private key block is secret from its BEGIN line to its END line (or the end of the text, when cut). */
function findPrivateKeys(text: string, into: Range[]): void {
  let from = 0;
  for (;;) {
    const marker = text.indexOf('-----BEGIN', from);
    if (marker < 0) return;
    // The armour line is at most ~140 characters: never read further for it.
    const header = text.slice(marker, marker + 140);
    const begin = PRIVATE_KEY_BEGIN.exec(header);
    if (!begin || begin.index !== 0) {
      from = marker + 10;
      continue;
    }
    const bodyStart = marker + begin[0].length;
    const endMarker = text.indexOf('-----END', bodyStart);
    let bodyEnd = text.length;
    if (endMarker >= 0) {
      const end = PRIVATE_KEY_END.exec(text.slice(endMarker, endMarker + 140));
      bodyEnd = end && end.index === 0 ? endMarker + end[0].length : endMarker;
    }
    into.push({ start: marker, end: bodyEnd });
    from = bodyEnd;
  }
}

/** Whether a line opens a private key block (streaming redaction keeps hiding lines until it closes). */
export function opensPrivateKey(line: string): boolean {
  return line.includes('-----BEGIN') && PRIVATE_KEY_BEGIN.test(line) && !PRIVATE_KEY_END.test(line);
}

export function closesPrivateKey(line: string): boolean {
  return line.includes('-----END') && PRIVATE_KEY_END.test(line);
}
