// Removes secrets before anything reaches the disk: by key name, and by value shape for secrets inside free text.
// Every rule that reads a key name takes it from the one list in secret-keys.ts.
import { FLAG_KEY_WORDS, FREE_TEXT_KEY, isSecretKey, suspiciousSource } from './secret-keys.js';

/** Exported here as before the list moved to secret-keys.ts. */
export { isSecretKey };

export const REDACTED = '[REDACTED]';

/**
 * A private key block: the header, the base64 body (with the `Proc-Type:` and `DEK-Info:` lines of an encrypted key, or
 * `\\n` escapes), and the END line when there is one: a key pasted without its END line is redacted up to the first
 * character no key body holds. The body cannot hold `-----`, so it stops at the END line, and every match is one pass
 * (a lazy search for the END line from each header was quadratic on text full of headers).
 */
const PRIVATE_KEY_BLOCK = /-----BEGIN [A-Z ]{0,40}PRIVATE KEY-----(?:[A-Za-z0-9+/=\s:,\\]|-(?!----))*(?:-----END [A-Z ]{0,40}PRIVATE KEY-----)?/g;
const VALUE_PATTERNS: readonly RegExp[] = [
  /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/g,
  /\b(AKIA|ASIA)[0-9A-Z]{16}\b/g,
  PRIVATE_KEY_BLOCK,
  /\bgh[pousr]_[A-Za-z0-9]{36,}\b/g,
  /\bxox[abprs]-[A-Za-z0-9-]{10,}\b/g,
  /\beyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\b/g,
];
const URL_CREDENTIALS = /\b([a-z][a-z0-9+.-]*:\/\/)([^\s:/@]*):([^\s@/]+)@/gi;
/**
 * `curl -u bob:pw`, `-ubob:pw`, `--user bob:pw`, `--proxy-user=bob:pw`, `-U "bob:p w"`: the user is kept, the password
 * redacted. A value without `:` is a user name alone (`mysql -u root`) and is left as it is.
 */
const USER_OPTION = /(^|\s)(-[uU][ \t]*|--(?:proxy-)?user(?:[ \t]+|=))("[^"\s:]*:[^"]*"|'[^'\s:]*:[^']*'|[^\s"':]*:\S+)/g;
/**
 * `--password x`, `--token=x`, `--api-key x`, `--cookie x` in free text such as command lines: a flag whose name holds
 * a secret key name. The parts around the name are bounded, so a long hostile word costs a bounded number of steps.
 */
const SECRET_ARGUMENT = new RegExp(String.raw`(\s|^)(--?[\w-]{0,40}(?:${FLAG_KEY_WORDS})[\w-]{0,40})(\s+|=)("[^"]*"|'[^']*'|\S+)`, 'gi');
/** `-p x`, `-pSECRET` (mysql). */
const SHORT_PASSWORD_FLAG = /(\s|^)-p(\s+|(?=[^\s-]))("[^"]*"|'[^']*'|\S+)/g;
/**
 * A `Cookie:` or `Set-Cookie:` header of several pairs (`a=1; sid=x`): every pair is the secret, not only the first
 * (SECRET_ASSIGNMENT's value stops at `;`, as `Token=abc; path=/` needs). Each repetition starts with a `;` the pair
 * cannot hold, so matching never backtracks between them.
 */
const COOKIE_HEADER = /(?<![\w/\\-])((?:set-)?cookie["']?[ \t]*:[ \t]*)[^\s;,"]+(?:;[ \t]*[^\s;,"]+)+/gi;
/**
 * `password=x`, `api_key: x`, `"password": "x"` (JSON, quotes escaped or not), `Cookie: sid=x` in free text, for every
 * key name of secret-keys.ts. A key word inside a path is not a key: `/etc/passwd: is outside ...` names a file. So the
 * key may not follow `/`, `\\`, a word character or `-` (it would be the tail of a path segment such as `my-passwd`),
 * and a `:` straight before `/` or `\\` joins path parts (`host-token:/srv`), not a key and its value (a `\\"` there
 * is an escaped quote: `{\\"password\\":\\"x\\"}`). `.` may come before it: `spring.datasource.password=x` is a key.
 * The name's prefix is bounded (64 characters). An unquoted value ends before a quote or bracket that closes the text
 * around it (`-H "X-Api-Key: abc"`, `{api_key: abc}`); one inside it (`ab"cd`) belongs to it. A value already
 * `[REDACTED]` is left as it is, so that redacting twice (argv, then the event) changes nothing.
 */
const ASSIGNED_VALUE = String.raw`(\\?"[^"]*"|'[^']*'|\[REDACTED\]|(?:[^\s&;,"'})\]]|["'})\]](?=[^\s&;,]))+)`;

const SECRET_ASSIGNMENT = new RegExp(String.raw`(?<![\w/\\-])((?:[\w-]{0,64}(?:${FREE_TEXT_KEY.suffixes})|(?:${FREE_TEXT_KEY.exact})))(?!\\?["']?:(?:\/|\\(?!")))(\\?["']?\s*[=:]\s*)${ASSIGNED_VALUE}`, 'gi');

/** The words that are secret keys only where the text is plainly an assignment or JSON (secret-keys.ts, KEYS_ONLY). */
const WORD_KEY_ASSIGNMENT = new RegExp(String.raw`(?<![\w/\\-])(${FREE_TEXT_KEY.keysOnly})((?:\\?["']\s*:|\s*=)\s*)${ASSIGNED_VALUE}`, 'gi');

/**
 * Whether a text, or a serialised event, could hold anything `redact` would change: a cheap test on the line lets the
 * logger skip the deep copy for the ordinary event, and redactText skip its rules for the ordinary string. A superset
 * of every rule above, on the lower-cased text: every key name of secret-keys.ts (any separator), then the shapes of
 * secret values, the `user:pass@` of URLs (as URL_CREDENTIALS reads them: a `"` may stand in them, a `:` not in the user,
 * which also keeps the search linear: with `:` in both runs, `x://` and 20,000 colons took a second) and the flags.
 */
const SUSPICIOUS = new RegExp(suspiciousSource(['akia', 'asia', 'basic', 'eyj', 'gh[pousr]_', 'xox[abprs]-', String.raw`:\/\/[^\s/@:]*:[^\s/@]*@`, String.raw`(?:^|[\s"])-[pu]`, '--(?:proxy-)?user']));

/**
 * Case is folded once and the pattern run without the `i` flag, its words grouped by first letter: measured 0.66 us on a
 * typical 250-character event against 0.82 us for the plain alternation and 1.4 us with the `i` flag.
 */
export function mayHoldSecret(serialised: string): boolean {
  return SUSPICIOUS.test(serialised.toLowerCase());
}

/**
 * The same words, or a character JSON escapes (control characters, quote, backslash, surrogates): one search tells
 * whether free text can be written into a JSON line between quotes as it is, with nothing to redact. Case folding keeps
 * those characters (they are not letters, and no astral character lower-cases into the BMP: a test checks every code
 * point), so the search runs on the lower-cased text like mayHoldSecret's.
 */
// eslint-disable-next-line no-control-regex -- control characters are exactly what JSON escapes
const JSON_ESCAPED = /[\u0000-\u001f"\\\ud800-\udfff]/;
const SUSPICIOUS_OR_ESCAPED = new RegExp(`${SUSPICIOUS.source}|${JSON_ESCAPED.source}`);

/** Whether `text` may hold a secret or needs escaping in JSON; false means it can be quoted as it is. */
export function mayHoldSecretOrEscape(text: string): boolean {
  return SUSPICIOUS_OR_ESCAPED.test(text.toLowerCase());
}

export function redactText(text: string): string {
  // Most strings of a flagged event (file names, counts, descriptions) hold nothing: one search instead of ten.
  if (!SUSPICIOUS.test(text.toLowerCase())) return text;
  let out = text;
  for (const pattern of VALUE_PATTERNS) out = out.replace(pattern, REDACTED);
  out = out.replace(URL_CREDENTIALS, `$1$2:${REDACTED}@`);
  out = out.replace(USER_OPTION, (_match, lead: string, flag: string, credentials: string) => `${lead}${flag}${withoutPassword(credentials)}`);
  out = out.replace(SECRET_ARGUMENT, `$1$2$3${REDACTED}`);
  out = out.replace(SHORT_PASSWORD_FLAG, `$1-p$2${REDACTED}`);
  out = out.replace(COOKIE_HEADER, `$1${REDACTED}`);
  out = out.replace(SECRET_ASSIGNMENT, `$1$2${REDACTED}`);
  out = out.replace(WORD_KEY_ASSIGNMENT, `$1$2${REDACTED}`);
  return out;
}

/** `bob:pw` as `bob:[REDACTED]`, keeping the quotes around `"bob:p w"`. */
function withoutPassword(credentials: string): string {
  const quote = credentials.startsWith('"') || credentials.startsWith("'") ? credentials[0] : '';
  return `${credentials.slice(0, credentials.indexOf(':') + 1)}${REDACTED}${quote}`;
}

/** A deep copy with secret-named keys replaced and secret-shaped text redacted; bounded depth so a hostile object cannot recurse forever. */
export function redact(value: unknown, depth = 0): unknown {
  if (depth > 12) return '[TRUNCATED]';
  if (typeof value === 'string') return redactText(value);
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  if (value instanceof Error) return { name: value.name, message: redactText(value.message) };
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value)) {
      // defineProperty: a key such as `__proto__` stays a plain data property of the copy.
      Object.defineProperty(out, key, { value: isSecretKey(key) && inner !== null && inner !== undefined ? REDACTED : redact(inner, depth + 1), enumerable: true, writable: true, configurable: true });
    }
    return out;
  }
  return value;
}

/** A flag whose value is a secret: its name holds a secret key name (the words of SECRET_ARGUMENT), bounded as there. */
const SECRET_FLAG = new RegExp(String.raw`^--?[\w-]{0,40}(?:${FLAG_KEY_WORDS})[\w-]{0,40}$`, 'i');
/** A flag whose value may be `user:password` (curl). */
const USER_FLAG = /^(?:-[uU]|--(?:proxy-)?user)$/;

/**
 * Command-line arguments with the value after a secret flag redacted (`--token abc`, `--password=x`, `-p x`,
 * `-psecret`, the password of `-u bob:pw`), and secrets in any other argument redacted as free text.
 */
export function redactArgv(argv: readonly string[]): string[] {
  const out: string[] = [];
  argv.forEach((arg, i) => {
    const previous = argv[i - 1];
    if (previous !== undefined && (SECRET_FLAG.test(previous) || previous === '-p')) out.push(REDACTED);
    // Read as the command line's text, `-u bob:pw`, so that the rule is USER_OPTION's.
    else if (previous !== undefined && USER_FLAG.test(previous)) out.push(redactText(`${previous} ${arg}`).slice(previous.length + 1));
    else if (/^-p[^\s-]\S*$/.test(arg)) out.push(`-p${REDACTED}`);
    else {
      const eq = arg.indexOf('=');
      out.push(eq > 0 && SECRET_FLAG.test(arg.slice(0, eq)) ? `${arg.slice(0, eq + 1)}${REDACTED}` : redactText(arg));
    }
  });
  return out;
}
