// One `field|modifier|...: value(s)` entry of a detection, compiled into a field predicate with every modifier of the
// Sigma specification (appendix "Sigma Modifiers" 2.1.0). A modifier the engine cannot honour throws, naming it.
import { RE2 } from 're2-wasm';
import { cidrTest } from './cidr.js';
import type { CompareOp, FieldPredicate, TimePart, ValueTest } from './detection-ir.js';
import { base64, base64Offsets, encodeText, type TextEncoding } from './encoding.js';
import { SigmaRuleError } from './sigma-rule-error.js';
import { literal, parseSigmaString, plainText, surround, windashVariants, type SigmaString } from './sigma-string.js';

/** Values in one entry at most, and characters in one regular expression. */
const MAX_VALUES = 4_096;
const MAX_REGEX_CHARS = 4_096;
/** Windash permutations of one value at most (5 per dash: four dashes are 625). */
const MAX_WINDASH_VARIANTS = 625;

const KNOWN = new Set([
  'contains', 'startswith', 'endswith', 'all', 'cased', 'exists', 'neq', 'windash', 're', 'i', 'm', 's', 'base64', 'base64offset',
  'utf16', 'utf16le', 'utf16be', 'wide', 'lt', 'lte', 'gt', 'gte', 'minute', 'hour', 'day', 'week', 'month', 'year', 'cidr', 'expand', 'fieldref',
]);
const COMPARE: Readonly<Record<string, CompareOp>> = { lt: '<', lte: '<=', gt: '>', gte: '>=' };
const TIME_PARTS: readonly TimePart[] = ['minute', 'hour', 'day', 'week', 'month', 'year'];

export type RawValue = string | number | boolean | null;

export function compileFieldPredicate(key: string, raw: unknown): FieldPredicate {
  const [name = '', ...modifiers] = key.split('|');
  for (const m of modifiers) if (!KNOWN.has(m)) throw new SigmaRuleError('unsupported', `modifier '${m}' in '${key}'`);
  const has = (m: string): boolean => modifiers.includes(m);
  const values = Array.isArray(raw) ? (raw as unknown[]) : [raw];
  if (values.length === 0) throw new SigmaRuleError('invalid', `'${key}' has an empty list of values`);
  if (values.length > MAX_VALUES) throw new SigmaRuleError('too-large', `'${key}' has ${values.length} values (at most ${MAX_VALUES})`);
  const scalars = values.map((v) => {
    if (v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
    throw new SigmaRuleError('invalid', `'${key}' has a value that is neither text, a number, a boolean nor null`);
  });
  const compiled = scalars.map((v) => compileValue(key, v, has));
  return { field: name === '' ? null : name, values: compiled, combine: has('all') ? 'all' : 'any', negate: has('neq') };
}

function compileValue(key: string, value: RawValue, has: (m: string) => boolean): ValueTest[] {
  if (has('exists')) {
    if (typeof value !== 'boolean') throw new SigmaRuleError('invalid', `'${key}': exists takes true or false`);
    return [{ kind: 'exists', exists: value }];
  }
  const part = TIME_PARTS.find((p) => has(p)) ?? null;
  const op = Object.keys(COMPARE).find((m) => has(m));
  if (op !== undefined || part !== null) {
    const number = typeof value === 'number' ? value : Number(value);
    if (value === null || typeof value === 'boolean' || value === '' || !Number.isFinite(number)) throw new SigmaRuleError('invalid', `'${key}': '${String(value)}' is not a number`);
    return [{ kind: 'compare', op: op === undefined ? '=' : (COMPARE[op] ?? '='), value: number, part }];
  }
  if (value === null) return [{ kind: 'null' }];
  const text = String(value);
  if (has('fieldref')) {
    const position = has('contains') ? 'contains' : has('startswith') ? 'startswith' : has('endswith') ? 'endswith' : 'equals';
    return [{ kind: 'fieldref', field: text, position, cased: has('cased') }];
  }
  if (has('re')) return [{ kind: 'regex', pattern: checkedRegex(key, text, has) }];
  if (has('cidr')) return [cidrTest(text)];
  if (typeof value === 'number' && !stringModifiers(has)) return [{ kind: 'number', value }];

  if (has('expand') && /(?<!\\)%[^%\s]+%/.test(text)) throw new SigmaRuleError('unsupported', `'${key}': placeholder in '${text}' (expand needs placeholder values, none are configured)`);
  let forms: SigmaString[] = [parseSigmaString(text)];
  const encoding = textEncoding(has);
  if (has('base64') || has('base64offset')) {
    const plain = plainText(forms[0] ?? []);
    if (plain === null) throw new SigmaRuleError('unsupported', `'${key}': wildcards in a value to be base64-encoded`);
    const bytes = encodeText(plain, encoding ?? 'utf8');
    forms = has('base64offset') ? base64Offsets(bytes).map(literal) : [literal(base64(bytes))];
  } else if (encoding !== null) {
    throw new SigmaRuleError('unsupported', `'${key}': ${encoding} without base64 or base64offset (raw UTF-16 bytes cannot be matched as text)`);
  }
  if (has('windash')) {
    forms = forms.flatMap((f) => {
      const variants = windashVariants(f, MAX_WINDASH_VARIANTS);
      if (variants === null) throw new SigmaRuleError('too-large', `'${key}': windash on '${text}' makes more than ${MAX_WINDASH_VARIANTS} variants`);
      return variants;
    });
  }
  const start = has('contains') || has('endswith');
  const end = has('contains') || has('startswith');
  const cased = has('cased');
  return forms.map((f) => ({ kind: 'string', value: surround(f, start, end), cased }));
}

function stringModifiers(has: (m: string) => boolean): boolean {
  return ['contains', 'startswith', 'endswith', 'windash', 'base64', 'base64offset', 'cased', 'expand'].some(has);
}

function textEncoding(has: (m: string) => boolean): TextEncoding | null {
  if (has('utf16le') || has('wide')) return 'utf16le';
  if (has('utf16be')) return 'utf16be';
  if (has('utf16')) return 'utf16';
  return null;
}

/** Checks the expression with RE2 (linear time, no backtracking): what RE2 refuses is reported, never run. */
function checkedRegex(key: string, pattern: string, has: (m: string) => boolean): string {
  if (pattern.length > MAX_REGEX_CHARS) throw new SigmaRuleError('too-large', `'${key}': regular expression of ${pattern.length} characters (at most ${MAX_REGEX_CHARS})`);
  const flags = ['i', 'm', 's'].filter((f) => has(f)).join('');
  const full = flags === '' ? pattern : `(?${flags})${pattern}`;
  try {
    new RE2(full, 'u');
  } catch (error) {
    throw new SigmaRuleError('unsupported', `'${key}': regular expression '${pattern.slice(0, 80)}' is not RE2 syntax (${error instanceof Error ? error.message : String(error)})`);
  }
  return full;
}
