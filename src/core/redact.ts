// The one place secrets are removed from text: connection strings, passwords, URL credentials.
// Every line the tool prints, writes to a record or journal, or puts in an error goes through here.

const REDACTED = '***';
const knownSecrets = new Set<string>();

/** Remember a secret (e.g. the password of a resolved database URL) so it is scrubbed from any text. */
export function registerSecret(secret: string | undefined | null): void {
  // Very short secrets would scrub innocent substrings everywhere; they are caught by URL patterns instead.
  if (secret && secret.length >= 3) knownSecrets.add(secret);
}

/** A URL with its password (and any `password=` query parameter) replaced by ***. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = REDACTED;
    for (const key of [...parsed.searchParams.keys()]) {
      if (/pass|secret|token|key/i.test(key)) parsed.searchParams.set(key, REDACTED);
    }
    return parsed.toString().replace(/%2A%2A%2A/g, REDACTED);
  } catch {
    return redactText(url);
  }
}

/** Scrub every known secret and every credential-looking fragment from free text. */
export function redactText(text: string): string {
  let out = text;
  for (const secret of knownSecrets) out = out.split(secret).join(REDACTED);
  if (knownSecrets.size > 0) {
    // URL-encoded forms of known secrets appear inside connection strings.
    for (const secret of knownSecrets) {
      const encoded = encodeURIComponent(secret);
      if (encoded !== secret) out = out.split(encoded).join(REDACTED);
    }
  }
  return out
    .replace(/([a-z][a-z0-9+.-]*:\/\/[^:/?#\s@]*):([^@\s/]+)@/gi, `$1:${REDACTED}@`)
    .replace(/\b(password|passwd|pwd)\s*=\s*('[^']*'|"[^"]*"|[^\s&;]+)/gi, `$1=${REDACTED}`)
    .replace(/\bPGPASSWORD=\S+/g, `PGPASSWORD=${REDACTED}`);
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
