// Which environment variables hold secrets, judged by name (as CI systems and secret scanners do).

/** Name words that mark a secret wherever they sit in the name (GITHUB_TOKEN, PGPASSWORD, CLIENT_SECRET). */
const SECRET_WORDS = ['TOKEN', 'SECRET', 'PASSWORD', 'PASSWD', 'CREDENTIAL', 'PRIVATE', 'APIKEY', 'AUTHORIZATION', 'SIGNATURE', 'COOKIE', 'SESSION'];
/** Short words that mark a secret only as a whole word or a word's end (AWS_ACCESS_KEY, OAUTH, DB_PASS — not KEYBOARD, AUTHOR). */
const SECRET_WORD_ENDS = ['KEY', 'AUTH', 'PASS', 'PWD', 'DSN'];
/** Variables whose values are locations, not secrets, whatever their names say. */
const NOT_SECRET = new Set(['PWD', 'OLDPWD']);
const LOCATION_ENDS = ['FILE', 'PATH', 'DIR', 'SOCK', 'HOST', 'PORT', 'URL_ENV', 'ENV'];

/** Values shorter than this are not treated as secrets: "prod" must not be scrubbed from every record. */
export const MIN_ENV_SECRET_LENGTH = 8;

export function isSecretName(name: string): boolean {
  if (NOT_SECRET.has(name)) return false;
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toUpperCase()
    .split(/[^A-Z0-9]+/)
    .filter(Boolean);
  if (words.length > 1 && LOCATION_ENDS.includes(words.at(-1)!)) return false;
  return words.some((word) => SECRET_WORDS.some((w) => word.includes(w)) || SECRET_WORD_ENDS.some((w) => word === w || word.endsWith(w)));
}

/** The secret values of an environment: secret-named variables, and passwords inside URL-valued ones. */
export function secretsInEnvironment(env: Record<string, string | undefined>): string[] {
  const secrets: string[] = [];
  for (const [name, value] of Object.entries(env)) {
    if (!value) continue;
    if (isSecretName(name) && value.length >= MIN_ENV_SECRET_LENGTH) secrets.push(value);
    const password = urlPassword(value);
    if (password) secrets.push(password);
  }
  return secrets;
}

function urlPassword(value: string): string | null {
  if (!/^[a-z][a-z0-9+.-]*:\/\/[^/?#]*@/i.test(value)) return null;
  try {
    const password = new URL(value).password;
    return password ? decodeURIComponent(password) : null;
  } catch {
    return null;
  }
}
