// Finds secrets by format (the token catalogue) in linear time: a rule's RE2 pattern runs only on the
// lines that contain one of its keywords, and each such line is scanned once per rule.
import { createRequire } from 'node:module';
import type { RE2JS } from 're2js';
import { newAssignmentMemo, scanAssignment } from './assignment-scanner.ts';
import { LiteralMatcher, type Range } from './literal-matcher.ts';
import { PRIVATE_KEY_BEGIN, PRIVATE_KEY_END, TOKEN_FORMATS, type TokenFormat } from './token-formats.ts';

/** Longest secret a format match may span (a JWT with many claims runs to a few kB). */
const MAX_TOKEN_LENGTH = 16_384;
/** Most text the engine is given at once. */
const REGION_LENGTH = 4 * MAX_TOKEN_LENGTH;

interface CompiledFormat {
  format: TokenFormat;
  regex: RE2JS;
}

let compiled: CompiledFormat[] | null = null;

/**
 * The regex engine is loaded on the first text that holds a keyword, not when the CLI starts: every command
 * imports redaction, and `--help` or a clean line of output should not pay for compiling RE2.
 */
function formats(): CompiledFormat[] {
  if (!compiled) {
    const { RE2JS: engine } = createRequire(import.meta.url)('re2js') as typeof import('re2js');
    compiled = TOKEN_FORMATS.map((format) => ({ format, regex: engine.compile(format.pattern) }));
  }
  return compiled;
}

let keywordIndex: { matcher: LiteralMatcher; rules: number[] } | null = null;

/** One automaton over every rule's keywords, case-insensitive: the text is read once to find them all. */
function keywords(): { matcher: LiteralMatcher; rules: number[] } {
  if (!keywordIndex) {
    const rules: number[] = [];
    const words: string[] = [];
    formats().forEach(({ format }, rule) => {
      for (const keyword of format.keywords) {
        words.push(keyword);
        rules.push(rule);
      }
    });
    keywordIndex = { matcher: new LiteralMatcher(words, { caseInsensitive: true }), rules };
  }
  return keywordIndex;
}

/** Ranges of `text` that match a known secret format. */
export function findFormatSecrets(text: string, into: Range[] = []): Range[] {
  const compiledFormats = formats();
  const { matcher, rules } = keywords();
  const hits: number[][] = compiledFormats.map(() => []);
  matcher.findEach(text, (start, keyword) => hits[rules[keyword]!]!.push(start));
  compiledFormats.forEach(({ format, regex }, rule) => {
    const at = hits[rule]!;
    if (at.length === 0) return;
    // Keywords of one rule ending at the same place are reported longest-last: put starts in order.
    if (format.keywords.length > 1) at.sort((a, b) => a - b);
    if (format.assignment) scanAssignments(text, at, format.assignment.minValueLength, into);
    else scanAtKeywords(regex, format.group ?? 0, text, at, into);
  });
  findPrivateKeys(text, into);
  return into;
}

/**
 * Runs the pattern over regions that start at a keyword occurrence (patterns begin with their keyword) and
 * end at the line's end, at most REGION_LENGTH characters on: the engine slows down on multi-megabyte
 * inputs, so it never gets one. A region is first checked by the DFA (fast, no positions); only one that
 * holds a match is searched for positions, in one forward pass, so every character is read a bounded
 * number of times whatever the input (anchored tries at each keyword could each read a whole window).
 * A match starting in the first REGION_LENGTH - MAX_TOKEN_LENGTH characters of a cut region lies wholly
 * inside it; later ones are found again by the next region.
 */
function scanAtKeywords(regex: RE2JS, group: number, text: string, starts: number[], into: Range[]): void {
  let decidedUntil = -1;
  for (const at of starts) {
    if (at < decidedUntil) continue;
    const region = text.slice(at, at + REGION_LENGTH);
    const newline = region.indexOf('\n');
    const regionText = newline < 0 ? region : region.slice(0, newline);
    const cut = newline < 0 && at + region.length < text.length;
    const keepBelow = cut ? regionText.length - MAX_TOKEN_LENGTH : regionText.length + 1;
    decidedUntil = at + keepBelow;
    if (!regex.test(regionText)) continue;
    const matcher = regex.matcher(regionText);
    while (matcher.find()) {
      if (matcher.start(0) >= keepBelow) break;
      const start = matcher.start(group);
      const end = matcher.end(group);
      if (start >= 0 && end > start) into.push({ start: at + start, end: at + end });
      // A match may run past the decided part: the next region starts after it.
      decidedUntil = Math.max(decidedUntil, at + matcher.end(0));
    }
  }
}

function scanAssignments(text: string, starts: number[], minValueLength: number, into: Range[]): void {
  const memo = newAssignmentMemo();
  let coveredUntil = -1;
  for (const at of starts) {
    // A keyword inside a value already found is part of that value (and re-reading it could be quadratic).
    if (at < coveredUntil) continue;
    const value = scanAssignment(text, at, minValueLength, memo);
    // Keywords in one key share its value: report it once.
    if (!value || value.end <= coveredUntil) continue;
    coveredUntil = value.end;
    into.push({ start: value.start, end: value.end });
  }
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
    if (begin?.index !== 0) {
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
