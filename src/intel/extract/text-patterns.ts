// The patterns indicators are found in free text with, shared by the engine (DuckDB's RE2, ioc-match on text
// columns) and JS (extractIndicators, JS regular expressions on tokens of at most 2,048 characters): RE2 syntax only,
// so the engine runs them in linear time on hostile text, and JS backtracks over one short token at most.

/** Defanging conventions undone before scanning; applied in this order, on lower-cased text. */
export const REFANGS: readonly (readonly [from: string, to: string])[] = [
  ['[.]', '.'],
  ['(.)', '.'],
  ['{.}', '.'],
  ['[dot]', '.'],
  ['(dot)', '.'],
  ['[:]', ':'],
  ['[://]', '://'],
  ['[@]', '@'],
  ['(at)', '@'],
  ['[at]', '@'],
  ['hxxp', 'http'],
  ['fxp://', 'ftp://'],
];

/** Longest text scanned per value: a pathological cell costs at most this much. */
export const MAX_TEXT_CHARS = 65_536;

export type TextPatternKind = 'url' | 'email' | 'host' | 'ipv4' | 'ipv6' | 'hash' | 'cve' | 'attack';

/** Kind and RE2 pattern (on lower-cased, refanged text; `cve` and `attack` are matched case-insensitively by lower-casing). */
export const TEXT_PATTERNS: readonly (readonly [kind: TextPatternKind, pattern: string])[] = [
  ['url', `(?:https?|ftp)://[^\\s"'<>()\\[\\]{}|\\\\^\`]+`],
  ['email', `\\b[a-z0-9._%+-]{1,64}@(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z][a-z0-9-]{1,62}\\b`],
  ['host', `\\b(?:[a-z0-9_](?:[a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z][a-z0-9-]{1,62}\\b`],
  ['ipv4', `\\b(?:[0-9]{1,3}\\.){3}[0-9]{1,3}\\b`],
  ['ipv6', `(?:[0-9a-f]{1,4}:){7}[0-9a-f]{1,4}|(?:[0-9a-f]{1,4}:){1,7}:(?:[0-9a-f]{1,4}(?::[0-9a-f]{1,4}){0,6})?|::(?:[0-9a-f]{1,4}(?::[0-9a-f]{1,4}){0,6})`],
  ['hash', `\\b(?:[0-9a-f]{64}|[0-9a-f]{40}|[0-9a-f]{32})\\b`],
  ['cve', `\\bcve-[0-9]{4}-[0-9]{4,7}\\b`],
  ['attack', `\\bt[0-9]{4}(?:\\.[0-9]{3})?\\b`],
];

/**
 * Text that every match of a pattern holds, so the engine can skip the RE2 scan of text without it (a byte search
 * costs far less). Kept beside the patterns: a pattern changed must keep its entry true (asserted in
 * test/intel/text-patterns.test.ts).
 */
export const PATTERN_NEEDS: Readonly<Partial<Record<TextPatternKind, string>>> = { url: '://', email: '@', host: '.', ipv4: '.', ipv6: ':', cve: 'cve-' };
