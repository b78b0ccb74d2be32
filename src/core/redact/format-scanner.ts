// Finds secrets by format (the token catalogue) in linear time: a rule's RE2 pattern runs only on the
// lines that contain one of its keywords, and each such line is scanned once per rule.
import { RE2JS } from 're2js';
import type { Range } from './literal-matcher.ts';
import { PRIVATE_KEY_BEGIN, PRIVATE_KEY_END, TOKEN_FORMATS, type TokenFormat } from './token-formats.ts';

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
  // Keywords are lowercase ASCII; a text whose lowercase form changes length (rare Unicode) is searched whole.
  const lower = text.toLowerCase();
  const aligned = lower.length === text.length;
  for (const { format, regex } of formats()) {
    if (!aligned) {
      if (format.keywords.some((k) => lower.includes(k))) scan(regex, format.group ?? 0, text, 0, into);
      continue;
    }
    let from = 0;
    while (from < text.length) {
      const hit = firstKeyword(lower, format.keywords, from);
      if (hit < 0) break;
      const lineStart = text.lastIndexOf('\n', hit) + 1;
      let lineEnd = text.indexOf('\n', hit);
      if (lineEnd < 0) lineEnd = text.length;
      scan(regex, format.group ?? 0, text.slice(Math.max(lineStart, from), lineEnd), Math.max(lineStart, from), into);
      from = lineEnd + 1;
    }
  }
  findPrivateKeys(text, into);
  return into;
}

function firstKeyword(lower: string, keywords: string[], from: number): number {
  let first = -1;
  for (const keyword of keywords) {
    const at = lower.indexOf(keyword, from);
    if (at >= 0 && (first < 0 || at < first)) first = at;
  }
  return first;
}

function scan(regex: RE2JS, group: number, segment: string, offset: number, into: Range[]): void {
  // The DFA test is several times faster than finding match positions, and most lines have none.
  if (!regex.test(segment)) return;
  const matcher = regex.matcher(segment);
  while (matcher.find()) {
    const start = matcher.start(group);
    const end = matcher.end(group);
    if (start >= 0 && end > start) into.push({ start: offset + start, end: offset + end });
  }
}

/** A private key block is secret from its BEGIN line to its END line (or the end of the text, when cut). */
function findPrivateKeys(text: string, into: Range[]): void {
  let from = 0;
  for (;;) {
    const marker = text.indexOf('-----BEGIN', from);
    if (marker < 0) return;
    const lineEnd = text.indexOf('\n', marker);
    const header = text.slice(marker, lineEnd < 0 ? text.length : lineEnd);
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
