// The one place secrets are removed from text: by value (registered secrets, secret-named env vars,
// in every encoded form) and by format (the token catalogue), in time linear in the text.
// Every line the tool prints, writes to a record or journal, or puts in an error goes through here.
import { findFormatSecrets, closesPrivateKey, opensPrivateKey } from './redact/format-scanner.ts';
import { LiteralMatcher, type Range } from './redact/literal-matcher.ts';
import { REDACTED, replaceRanges } from './redact/ranges.ts';
import { secretForms } from './redact/secret-forms.ts';
import { secretsInEnvironment } from './redact/secret-env.ts';

export { isSecretName } from './redact/secret-env.ts';

const knownSecrets = new Set<string>();
let literals: LiteralMatcher | null = null;

/** Remember a secret (e.g. the password of a resolved database URL) so it is scrubbed from any text. */
export function registerSecret(secret: string | undefined | null): void {
  // Very short secrets would scrub innocent substrings everywhere; they are caught by URL patterns instead.
  if (!secret || secret.length < 3 || knownSecrets.has(secret)) return;
  knownSecrets.add(secret);
  literals = null;
}

/** Remember every secret an environment holds: values of secret-named variables, passwords in URLs. */
export function registerSecretsFromEnvironment(env: Record<string, string | undefined>): void {
  for (const secret of secretsInEnvironment(env)) registerSecret(secret);
}

function literalMatcher(): LiteralMatcher {
  literals ??= new LiteralMatcher([...knownSecrets].flatMap(secretForms));
  return literals;
}

/** A URL with its password (and any secret-named query parameter) replaced by ***. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = REDACTED;
    for (const key of [...parsed.searchParams.keys()]) {
      if (/pass|secret|token|key/i.test(key)) parsed.searchParams.set(key, REDACTED);
    }
    return redactText(parsed.toString().replace(/%2A%2A%2A/g, REDACTED));
  } catch {
    return redactText(url);
  }
}

/** Scrub every known secret and every credential-looking fragment from free text. */
export function redactText(text: string): string {
  if (text.length === 0) return text;
  const ranges: Range[] = [];
  literalMatcher().find(text, ranges);
  findFormatSecrets(text, ranges);
  return replaceRanges(text, ranges);
}

/** Deep-redact strings inside plain data (records, journals, JSON output). */
export function redactDeep<T>(value: T): T {
  if (typeof value === 'string') return redactText(value) as T;
  if (Array.isArray(value)) return value.map((item) => redactDeep(item)) as T;
  if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[key] = redactDeep(item);
    return out as T;
  }
  return value;
}

/**
 * Redacts a stream one line at a time, as it arrives. A private key printed over several lines is
 * hidden from its BEGIN line to its END line, which no single line shows.
 */
export function createLineRedactor(): (line: string) => string {
  let insideKey = false;
  return (line) => {
    if (insideKey) {
      if (!closesPrivateKey(line)) return REDACTED;
      insideKey = false;
      return redactText(line);
    }
    if (opensPrivateKey(line)) {
      insideKey = true;
      return redactText(line);
    }
    return redactText(line);
  };
}
