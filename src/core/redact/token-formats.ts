// The catalogue of secret formats redacted wherever they appear, as data: each entry is the format its
// issuer documents, with the id gitleaks (github.com/gitleaks/gitleaks, MIT) gives the same format, so
// the list can be compared with that scanner's published rules when either changes.
// Patterns use RE2 syntax (linear-time engine): no backreferences, no lookaround.

export interface TokenFormat {
  /** gitleaks' rule id for the same format, or a `logbook-` id for ones it does not cover. */
  id: string;
  /** Lowercase strings a match starts with (compared case-insensitively): text without them is never scanned. */
  keywords: string[];
  /** RE2 pattern, tried anchored at each keyword occurrence, so it must begin with one of the keywords. */
  pattern: string;
  /** Capture group holding the secret (the rest of the match, e.g. `password=`, is kept); 0 = the whole match. */
  group?: number;
  /** Where the format is documented. */
  source: string;
  /**
   * A key=value pair: found by the hand scanner in assignment-scanner.ts (same language as `pattern`, which
   * stays the reference), whose value must have at least this many characters.
   */
  assignment?: { minValueLength: number };
}

/** A value after `=` or `:`: quoted (JSON-escaped quotes allowed) or up to the next separator. */
const VALUE = String.raw`("(?:[^"\\\n]|\\.)*"|'[^'\n]*'|[^\s"'&;,}]+)`;
/** The same, when it must be long enough to be a secret (API_KEY_ID=prod is not one). */
const LONG_VALUE = String.raw`("(?:[^"\\\n]|\\.){8,}"|'[^'\n]{8,}'|[^\s"'&;,}]{8,})`;
/** The rest of a key name after its keyword, its closing quote and the separator. */
const KEY_REST = String.raw`[A-Za-z0-9_.-]*["']?\s*[=:]\s*`;

export const TOKEN_FORMATS: readonly TokenFormat[] = [
  { id: 'github-pat', keywords: ['ghp_'], pattern: String.raw`ghp_[0-9A-Za-z]{36}`, source: 'GitHub: "About authentication to GitHub", token prefixes' },
  {
    id: 'github-fine-grained-pat',
    keywords: ['github_pat_'],
    pattern: String.raw`github_pat_[0-9A-Za-z_]{82}`,
    source: 'GitHub: fine-grained personal access tokens',
  },
  { id: 'github-oauth', keywords: ['gho_'], pattern: String.raw`gho_[0-9A-Za-z]{36}`, source: 'GitHub: token prefixes' },
  { id: 'github-app-token', keywords: ['ghu_', 'ghs_'], pattern: String.raw`(?:ghu|ghs)_[0-9A-Za-z]{36}`, source: 'GitHub: token prefixes' },
  { id: 'github-refresh-token', keywords: ['ghr_'], pattern: String.raw`ghr_[0-9A-Za-z]{36}`, source: 'GitHub: token prefixes' },
  { id: 'gitlab-pat', keywords: ['glpat-'], pattern: String.raw`glpat-[0-9A-Za-z_.-]{20,}`, source: 'GitLab: personal access tokens, token prefixes' },
  { id: 'gitlab-ptt', keywords: ['glptt-'], pattern: String.raw`glptt-[0-9a-f]{40}`, source: 'GitLab: pipeline trigger tokens' },
  {
    id: 'aws-access-token',
    keywords: ['akia', 'asia', 'abia', 'acca', 'a3t'],
    pattern: String.raw`(?:A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16}\b`,
    source: 'AWS IAM: unique identifier prefixes',
  },
  {
    id: 'aws-secret-access-key',
    keywords: ['aws'],
    pattern: String.raw`(?i:aws)[A-Za-z0-9_.-]{0,30}(?i:secret|key)[A-Za-z0-9_."'-]{0,30}\s*[=:]\s*["']?([A-Za-z0-9/+]{40})\b`,
    group: 1,
    source: 'AWS: managing access keys (40-character secret access key)',
  },
  { id: 'gcp-api-key', keywords: ['aiza'], pattern: String.raw`AIza[0-9A-Za-z_-]{35}`, source: 'Google Cloud: API keys' },
  { id: 'slack-token', keywords: ['xox'], pattern: String.raw`xox[abeoprs]-[0-9A-Za-z-]{10,}`, source: 'Slack: token types' },
  { id: 'slack-app-token', keywords: ['xapp-'], pattern: String.raw`(?i:xapp)-\d-[A-Z0-9]+-\d+-[a-z0-9]+`, source: 'Slack: app-level tokens' },
  {
    id: 'slack-webhook-url',
    keywords: ['hooks.slack.com'],
    pattern: String.raw`hooks\.slack\.com/(?:services|workflows|triggers)/[A-Za-z0-9+/_-]{20,}`,
    source: 'Slack: incoming webhooks',
  },
  { id: 'stripe-access-token', keywords: ['sk_', 'rk_'], pattern: String.raw`(?:sk|rk)_(?:test|live|prod)_[0-9A-Za-z]{10,99}`, source: 'Stripe: API keys' },
  { id: 'npm-access-token', keywords: ['npm_'], pattern: String.raw`npm_[0-9A-Za-z]{36}`, source: 'npm: access tokens' },
  { id: 'anthropic-api-key', keywords: ['sk-ant-'], pattern: String.raw`sk-ant-[a-z0-9]+-[0-9A-Za-z_-]{20,}`, source: 'Anthropic: API keys' },
  {
    id: 'openai-api-key',
    keywords: ['sk-'],
    pattern: String.raw`sk-(?:proj-|svcacct-|admin-)?[0-9A-Za-z_-]{20,}T3BlbkFJ[0-9A-Za-z_-]{20,}`,
    source: 'OpenAI: API keys',
  },
  { id: 'sendgrid-api-token', keywords: ['sg.'], pattern: String.raw`SG\.[0-9A-Za-z_-]{22}\.[0-9A-Za-z_-]{43}`, source: 'SendGrid: API keys' },
  {
    id: 'jwt',
    keywords: ['eyj'],
    pattern: String.raw`eyJ[0-9A-Za-z_-]{8,}\.eyJ[0-9A-Za-z_-]{8,}\.[0-9A-Za-z_-]*`,
    source: 'RFC 7519 (JSON Web Token), base64url of a JSON header',
  },
  {
    id: 'logbook-bearer-token',
    keywords: ['bearer'],
    pattern: String.raw`(?i:bearer)\s+([0-9A-Za-z._~+/-]{8,}=*)`,
    group: 1,
    source: 'RFC 6750 (Bearer tokens)',
  },
  {
    id: 'logbook-authorization-header',
    keywords: ['authorization'],
    pattern: String.raw`(?i:authorization)["']?\s*[:=]\s*(?:(?i:basic|bearer|token|digest)\s+)?([0-9A-Za-z._~+/=-]{8,})`,
    group: 1,
    source: 'RFC 9110 Authorization header, RFC 7617 (Basic)',
  },
  {
    id: 'logbook-url-userinfo',
    keywords: ['://'],
    pattern: String.raw`://[^:/?#\s@]*:([^@\s/]+)@`,
    group: 1,
    source: 'RFC 3986 userinfo (user:password@host)',
  },
  {
    id: 'logbook-password-assignment',
    keywords: ['password', 'passwd'],
    pattern: String.raw`(?i:passw(?:or)?d)${KEY_REST}${VALUE}`,
    group: 1,
    assignment: { minValueLength: 0 },
    source: 'key=value, key: value and "key": "value" pairs whose key names a password',
  },
  {
    id: 'logbook-secret-assignment',
    // Not "auth": it would take `author: "Jane Developer"` for a secret.
    keywords: ['secret', 'token', 'api_key', 'apikey', 'api-key', 'access_key', 'access-key', 'private_key', 'private-key', 'credential'],
    pattern: String.raw`(?i:secret|token|api[_-]?key|access[_-]?key|private[_-]?key|credential)${KEY_REST}${LONG_VALUE}`,
    group: 1,
    assignment: { minValueLength: 8 },
    source: 'key=value pairs whose key names a secret, with a value long enough to be one',
  },
];

/** PEM armour of a private key (RFC 7468): everything between these lines is secret, across lines. */
export const PRIVATE_KEY_BEGIN = /-----BEGIN[ A-Z0-9_-]{0,100}PRIVATE KEY(?: BLOCK)?-----/;
export const PRIVATE_KEY_END = /-----END[ A-Z0-9_-]{0,100}PRIVATE KEY(?: BLOCK)?-----/;
