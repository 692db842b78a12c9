// The one list of key names that hold secrets, and what every redaction rule derives from it: the test on an object's
// key, the key words of free text (`password=x`, `"api_key": "x"`, `Cookie: x`), the secret command-line flags
// (`--api-key x`) and the cheap pre-check that lets most events skip redaction. A name added here is redacted
// everywhere at once.

/**
 * Key names, lower-case. A key is secret when, lower-cased and without `-`, `_`, `.` and spaces, it is one of `exact`
 * or ends with one of `suffixes`. A space inside a name marks where free text may put a separator: `api key` is
 * `api_key`, `api-key`, `api.key` or `apikey` (and `apiKey`, case being folded).
 */
export const SECRET_KEY_NAMES = {
  exact: ['pass', 'pwd', 'auth', 'authorization', 'bearer', 'proxy authorization'],
  suffixes: ['password', 'passwd', 'pass phrase', 'secret', 'token', 'api key', 'private key', 'credential', 'credentials', 'cookie', 'session key', 'access key', 'secret key', 'signature'],
} as const;

const compact = (name: string): string => name.replaceAll(' ', '');
const EXACT = new Set<string>(SECRET_KEY_NAMES.exact.map(compact));
const SUFFIXES: readonly string[] = SECRET_KEY_NAMES.suffixes.map(compact);

export function isSecretKey(key: string): boolean {
  const k = key.toLowerCase().replace(/[-_.\s]/g, '');
  return EXACT.has(k) || SUFFIXES.some((suffix) => k.endsWith(suffix));
}

/**
 * Names that are secret as an object's key but ordinary words in an analyst's sentence: `first pass: the proxy logs`,
 * `signature: ET SCAN Nmap`, `auth: failed` name no secret, and redacting the word after them would garble the problem
 * text the log keeps. In free text they count only where the text is plainly an assignment (`pass=x`) or JSON
 * (`{"auth": "x"}`); the longer forms (`passwd`, `password`, `auth_token`, `authorization`) count after a colon too.
 */
const KEYS_ONLY: ReadonlySet<string> = new Set(['pass', 'auth', 'signature']);

/** A name as a regex source, its word parts joined by an optional separator (`separator` is a regex source). */
function nameSource(name: string, separator: string): string {
  return name.split(' ').join(separator);
}

/**
 * Regex sources for a key word in free text, its parts joined by an optional `-`, `_` or `.`: the suffixes, which may
 * follow a prefix (`db_password`, `aws_secret_access_key`), and the exact names, which may not (`pwd`, not `oldpwd`).
 */
export const FREE_TEXT_KEY = {
  suffixes: SECRET_KEY_NAMES.suffixes.filter((n) => !KEYS_ONLY.has(n)).map((n) => nameSource(n, '[-_.]?')).join('|'),
  exact: SECRET_KEY_NAMES.exact.filter((n) => !KEYS_ONLY.has(n)).map((n) => nameSource(n, '[-_.]?')).join('|'),
  /** The names of KEYS_ONLY: redacted in free text only after `=` or as a quoted JSON key, never after a bare `word:`. */
  keysOnly: [...KEYS_ONLY].map((n) => nameSource(n, '[-_.]?')).join('|'),
} as const;

/**
 * The fewest names whose presence is implied by every secret name: a name that contains a one-word name inside one of
 * its parts (`password` holds `pass`, `proxy authorization` holds `auth`) adds nothing to a search for either.
 */
function coveringNames(): string[] {
  const all = [...SECRET_KEY_NAMES.exact, ...SECRET_KEY_NAMES.suffixes];
  const words = all.filter((n) => !n.includes(' '));
  return all.filter((name) => !words.some((word) => word !== name && name.split(' ').some((part) => part.includes(word))));
}

/** Regex source: a flag's name holds a secret name anywhere (`--password`, `--db-pass`, `--x-api-key`), as the covering names. */
export const FLAG_KEY_WORDS = coveringNames().map((n) => nameSource(n, '[-_]?')).join('|');

/**
 * Regex source for the pre-check on lower-cased text: the covering names, any separator (JSON keys may hold spaces:
 * `"private key"`), plus `extra` (value shapes, lower-case sources), grouped by first letter: one branch per letter
 * rather than one per word was measured faster (see redact.ts).
 */
export function suspiciousSource(extra: readonly string[]): string {
  const fragments = [...coveringNames().map((n) => nameSource(n, '[-_. ]?')), ...extra];
  const byLetter = new Map<string, string[]>();
  const other: string[] = [];
  for (const fragment of fragments) {
    const first = fragment[0] ?? '';
    if (/^[a-z]$/.test(first)) byLetter.set(first, [...(byLetter.get(first) ?? []), fragment.slice(1)]);
    else other.push(fragment);
  }
  const grouped = [...byLetter.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([letter, rests]) => (rests.length === 1 ? `${letter}${rests[0] ?? ''}` : `${letter}(?:${rests.join('|')})`));
  return [...grouped, ...other].join('|');
}
