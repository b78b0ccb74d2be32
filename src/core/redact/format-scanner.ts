// Finds secrets by format (the token catalogue) in linear time: a rule's RE2 pattern runs only on the
// lines that contain one of its keywords, and each such line is scanned once per rule.
import { RE2JS, type Matcher } from 're2js';
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

function formats(): CompiledFormat[] {
  compiled ??= TOKEN_FORMATS.map((format) => ({ format, regex: RE2JS.compile(format.pattern) }));
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
    scanAtKeywords(regex, format.group ?? 0, text, at, into);
  });
  findPrivateKeys(text, into);
  return into;
}

/**
 * Tries the pattern anchored at each keyword occurrence, in regions the (fast, DFA) test says hold a match.
 * A region starts at a keyword and runs to the end of its line, at most REGION_LENGTH characters: the engine
 * slows down on multi-megabyte inputs, so it is never given one. A match starting in the first
 * REGION_LENGTH - MAX_TOKEN_LENGTH characters of a region lies wholly inside it.
 */
function scanAtKeywords(regex: RE2JS, group: number, text: string, starts: number[], into: Range[]): void {
  let regionEnd = -1;
  let decidedUntil = -1;
  let regionMatches = false;
  let covered = 0;
  let matcher: Matcher | null = null;
  for (const at of starts) {
    if (at >= decidedUntil) {
      const region = text.slice(at, at + REGION_LENGTH);
      const newline = region.indexOf('\n');
      regionEnd = at + (newline < 0 ? region.length : newline);
      const cut = newline < 0 && at + region.length < text.length;
      decidedUntil = cut ? regionEnd - MAX_TOKEN_LENGTH : regionEnd + 1;
      regionMatches = regex.test(text.slice(at, regionEnd));
    }
    // Nothing in this region, or inside a match already found.
    if (!regionMatches || at < covered) continue;
    const window = text.slice(at, Math.min(regionEnd, at + MAX_TOKEN_LENGTH));
    matcher = matcher ? matcher.resetMatcherInput(window) : regex.matcher(window);
    if (!matcher.lookingAt()) continue;
    const start = matcher.start(group);
    const end = matcher.end(group);
    if (start >= 0 && end > start) into.push({ start: at + start, end: at + end });
    covered = at + matcher.end(0);
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
