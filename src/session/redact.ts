// Removes secrets before anything reaches the disk: by key name, and by value shape for secrets inside free text.

const SECRET_KEY = /(pass(word|wd)?|secret|token|api[_-]?key|apikey|authorization|auth[_-]?header|cookie|private[_-]?key|credential|session[_-]?key)/i;
const REDACTED = '[REDACTED]';

const VALUE_PATTERNS: readonly RegExp[] = [
  /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/g,
  /\bAKIA[0-9A-Z]{16}\b/g,
  /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----/g,
];
const URL_CREDENTIALS = /\b([a-z][a-z0-9+.-]*:\/\/)([^\s:/@]+):([^\s@/]+)@/gi;
const PASSWORD_ARGUMENT = /(\s|^)(-p|--password|--pass|--token|--api-key)(\s+|=)("[^"]*"|'[^']*'|\S+)/g;

export function redactText(text: string): string {
  let out = text;
  for (const pattern of VALUE_PATTERNS) out = out.replace(pattern, REDACTED);
  out = out.replace(URL_CREDENTIALS, `$1$2:${REDACTED}@`);
  out = out.replace(PASSWORD_ARGUMENT, `$1$2$3${REDACTED}`);
  return out;
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
      Object.defineProperty(out, key, { value: SECRET_KEY.test(key) && inner !== null && inner !== undefined ? REDACTED : redact(inner, depth + 1), enumerable: true, writable: true, configurable: true });
    }
    return out;
  }
  return value;
}

const SECRET_FLAG = /^--?[\w-]*(pass(word|wd)?|secret|token|api[_-]?key|apikey|auth)[\w-]*$/i;

/** Command-line arguments with the value after a secret flag redacted (`--token abc`, `--password=x`, `-psecret`). */
export function redactArgv(argv: readonly string[]): string[] {
  const out: string[] = [];
  argv.forEach((arg, i) => {
    const previous = argv[i - 1];
    if (previous !== undefined && (SECRET_FLAG.test(previous) || previous === '-p')) out.push(REDACTED);
    else if (/^-p\S+$/.test(arg)) out.push(`-p${REDACTED}`);
    else {
      const eq = arg.indexOf('=');
      out.push(eq > 0 && SECRET_FLAG.test(arg.slice(0, eq)) ? `${arg.slice(0, eq + 1)}${REDACTED}` : redactText(arg));
    }
  });
  return out;
}
