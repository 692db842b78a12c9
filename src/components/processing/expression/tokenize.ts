// The tokenizer of the transform expression language: numbers, 'text', column names (bare, dotted like `id.orig_h`, or
// "quoted"), operators, parentheses and commas, and nothing else: a semicolon, a comment or any other character is an
// error at its position. Bounded: at most MAX_EXPRESSION_LENGTH characters and MAX_TOKENS tokens.
import { TransformError } from '../../../model/errors/transform-error.js';

export const MAX_EXPRESSION_LENGTH = 2000;
export const MAX_TOKENS = 400;
/** Longest number literal: more digits than a DOUBLE holds only hide a typo or an attempt to exhaust the parser. */
export const MAX_NUMBER_LENGTH = 40;

export type TokenKind = 'number' | 'string' | 'name' | 'quoted-name' | 'operator' | 'lparen' | 'rparen' | 'comma' | 'end';

export interface Token {
  readonly kind: TokenKind;
  readonly text: string;
  /** Position of the first character, from 0. */
  readonly at: number;
}

const OPERATORS = ['==', '!=', '<>', '<=', '>=', '<', '>', '=', '+', '-', '*', '/', '%'];
const NAME_START = /[A-Za-z_]/;
const NAME_PART = /[A-Za-z0-9_]/;
const DIGIT = /[0-9]/;

export function tokenize(source: string, parameter: string): Token[] {
  if (source.length > MAX_EXPRESSION_LENGTH) throw new TransformError(parameter, 'too-complex', `the expression has ${source.length} characters; at most ${MAX_EXPRESSION_LENGTH}`);
  const tokens: Token[] = [];
  let i = 0;
  const push = (kind: TokenKind, text: string, at: number): void => {
    tokens.push({ kind, text, at });
    if (tokens.length > MAX_TOKENS) throw new TransformError(parameter, 'too-complex', `the expression has more than ${MAX_TOKENS} tokens`);
  };
  while (i < source.length) {
    const ch = source.charAt(i);
    if (ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r') {
      i += 1;
    } else if (ch === '-' && source.charAt(i + 1) === '-') {
      throw new TransformError(parameter, 'not-allowed', `a comment (--) at character ${i + 1}`);
    } else if (ch === '/' && source.charAt(i + 1) === '*') {
      throw new TransformError(parameter, 'not-allowed', `a comment (/*) at character ${i + 1}`);
    } else if (ch === ';') {
      throw new TransformError(parameter, 'not-allowed', `a semicolon at character ${i + 1}`);
    } else if (DIGIT.test(ch) || (ch === '.' && DIGIT.test(source.charAt(i + 1)))) {
      const start = i;
      while (i < source.length && DIGIT.test(source.charAt(i))) i += 1;
      if (source.charAt(i) === '.') {
        i += 1;
        while (i < source.length && DIGIT.test(source.charAt(i))) i += 1;
      }
      if (/[eE]/.test(source.charAt(i)) && /[0-9+-]/.test(source.charAt(i + 1))) {
        i += 2;
        while (i < source.length && DIGIT.test(source.charAt(i))) i += 1;
      }
      if (NAME_START.test(source.charAt(i))) throw new TransformError(parameter, 'syntax', `a number runs into a name at character ${i + 1}`);
      if (i - start > MAX_NUMBER_LENGTH) throw new TransformError(parameter, 'too-complex', `the number at character ${start + 1} has ${i - start} characters; at most ${MAX_NUMBER_LENGTH}`);
      if (!Number.isFinite(Number(source.slice(start, i)))) throw new TransformError(parameter, 'too-complex', `the number at character ${start + 1} is too large`);
      push('number', source.slice(start, i), start);
    } else if (ch === "'" || ch === '"') {
      const start = i;
      const text = readQuoted(source, i, ch, parameter);
      i += text.consumed;
      push(ch === "'" ? 'string' : 'quoted-name', text.value, start);
    } else if (NAME_START.test(ch)) {
      const start = i;
      // Dotted names (`id.orig_h`, Zeek's) are one name: the language has no member access to confuse them with.
      while (i < source.length && (NAME_PART.test(source.charAt(i)) || (source.charAt(i) === '.' && NAME_START.test(source.charAt(i + 1))))) i += 1;
      push('name', source.slice(start, i), start);
    } else if (ch === '(') {
      push('lparen', ch, i++);
    } else if (ch === ')') {
      push('rparen', ch, i++);
    } else if (ch === ',') {
      push('comma', ch, i++);
    } else {
      const op = OPERATORS.find((o) => source.startsWith(o, i));
      if (op === undefined) throw new TransformError(parameter, 'syntax', `unexpected character ${JSON.stringify(ch)} at character ${i + 1}`);
      push('operator', op, i);
      i += op.length;
    }
  }
  tokens.push({ kind: 'end', text: '', at: source.length });
  return tokens;
}

/** A quoted string or name; the quote is escaped by doubling it, as in SQL. */
function readQuoted(source: string, start: number, quote: string, parameter: string): { value: string; consumed: number } {
  let value = '';
  let i = start + 1;
  for (;;) {
    if (i >= source.length) throw new TransformError(parameter, 'syntax', `the ${quote === "'" ? 'text' : 'name'} opened at character ${start + 1} is not closed`);
    const ch = source.charAt(i);
    if (ch === quote) {
      if (source.charAt(i + 1) === quote) {
        value += quote;
        i += 2;
        continue;
      }
      return { value, consumed: i + 1 - start };
    }
    if (ch === '\u0000') throw new TransformError(parameter, 'not-allowed', `a NUL character at character ${i + 1}`);
    value += ch;
    i += 1;
  }
}
