// The parser of the transform expression language: tokens to a syntax tree, by recursive descent with the usual
// precedence (or < and < not < comparison < + - < * / % < unary minus), bounded in nesting depth.
import { TransformError } from '../../../model/errors/transform-error.js';
import { tokenize, type Token } from './tokenize.js';

export const MAX_DEPTH = 32;

export type BinaryOperator = '+' | '-' | '*' | '/' | '%' | '=' | '<>' | '<' | '<=' | '>' | '>=' | 'and' | 'or';

export type Expr =
  | { readonly kind: 'literal'; readonly value: string | boolean | null; readonly type: 'number' | 'string' | 'boolean' | 'null' }
  | { readonly kind: 'column'; readonly name: string; readonly at: number }
  | { readonly kind: 'unary'; readonly op: '-' | 'not'; readonly operand: Expr }
  | { readonly kind: 'binary'; readonly op: BinaryOperator; readonly left: Expr; readonly right: Expr }
  | { readonly kind: 'call'; readonly name: string; readonly args: readonly Expr[]; readonly at: number }
  | { readonly kind: 'in'; readonly operand: Expr; readonly list: readonly Expr[]; readonly negated: boolean }
  | { readonly kind: 'is-null'; readonly operand: Expr; readonly negated: boolean }
  | { readonly kind: 'like'; readonly operand: Expr; readonly pattern: Expr; readonly negated: boolean }
  | { readonly kind: 'between'; readonly operand: Expr; readonly low: Expr; readonly high: Expr; readonly negated: boolean };

const COMPARISONS: Readonly<Record<string, BinaryOperator>> = { '==': '=', '=': '=', '!=': '<>', '<>': '<>', '<': '<', '<=': '<=', '>': '>', '>=': '>=' };
const KEYWORDS: ReadonlySet<string> = new Set(['and', 'or', 'not', 'in', 'is', 'null', 'true', 'false', 'like', 'between']);

export function parseExpression(source: string, parameter: string): Expr {
  const parser = new Parser(tokenize(source, parameter), parameter);
  const expr = parser.expression(0);
  parser.expectEnd();
  return expr;
}

class Parser {
  #position = 0;

  constructor(
    private readonly tokens: readonly Token[],
    private readonly parameter: string,
  ) {}

  expression(depth: number): Expr {
    if (depth > MAX_DEPTH) throw new TransformError(this.parameter, 'too-complex', `the expression nests deeper than ${MAX_DEPTH} levels`);
    // The caller counted this level (a parenthesis, an argument): counting it here again would halve MAX_DEPTH.
    return this.#or(depth);
  }

  expectEnd(): void {
    const token = this.#peek();
    if (token.kind !== 'end') throw this.#unexpected(token);
  }

  #or(depth: number): Expr {
    let left = this.#and(depth);
    while (this.#keyword('or')) left = { kind: 'binary', op: 'or', left, right: this.#and(depth) };
    return left;
  }

  #and(depth: number): Expr {
    let left = this.#not(depth);
    while (this.#keyword('and')) left = { kind: 'binary', op: 'and', left, right: this.#not(depth) };
    return left;
  }

  #not(depth: number): Expr {
    if (this.#keyword('not')) return { kind: 'unary', op: 'not', operand: this.#nested(depth, () => this.#not(depth + 1)) };
    return this.#comparison(depth);
  }

  #comparison(depth: number): Expr {
    const left = this.#additive(depth);
    const token = this.#peek();
    const op = token.kind === 'operator' ? COMPARISONS[token.text] : undefined;
    if (op !== undefined) {
      this.#position += 1;
      return { kind: 'binary', op, left, right: this.#additive(depth) };
    }
    if (this.#keyword('is')) {
      const negated = this.#keyword('not');
      if (!this.#keyword('null')) throw this.#unexpected(this.#peek(), 'null after is');
      return { kind: 'is-null', operand: left, negated };
    }
    const negated = this.#keyword('not');
    if (this.#keyword('in')) {
      this.#expect('lparen', '( after in');
      const list = [this.expression(depth + 1)];
      while (this.#take('comma')) list.push(this.expression(depth + 1));
      this.#expect('rparen', ') closing the in list');
      return { kind: 'in', operand: left, list, negated };
    }
    if (this.#keyword('like')) return { kind: 'like', operand: left, pattern: this.#additive(depth), negated };
    if (this.#keyword('between')) {
      const low = this.#additive(depth);
      if (!this.#keyword('and')) throw this.#unexpected(this.#peek(), 'and in between ... and ...');
      return { kind: 'between', operand: left, low, high: this.#additive(depth), negated };
    }
    if (negated) throw this.#unexpected(this.#peek(), 'in, like or between after not');
    return left;
  }

  #additive(depth: number): Expr {
    let left = this.#multiplicative(depth);
    for (let token = this.#peek(); token.kind === 'operator' && (token.text === '+' || token.text === '-'); token = this.#peek()) {
      this.#position += 1;
      left = { kind: 'binary', op: token.text, left, right: this.#multiplicative(depth) };
    }
    return left;
  }

  #multiplicative(depth: number): Expr {
    let left = this.#unary(depth);
    for (let token = this.#peek(); token.kind === 'operator' && (token.text === '*' || token.text === '/' || token.text === '%'); token = this.#peek()) {
      this.#position += 1;
      left = { kind: 'binary', op: token.text, left, right: this.#unary(depth) };
    }
    return left;
  }

  #unary(depth: number): Expr {
    const token = this.#peek();
    if (token.kind === 'operator' && token.text === '-') {
      this.#position += 1;
      return { kind: 'unary', op: '-', operand: this.#nested(depth, () => this.#unary(depth + 1)) };
    }
    return this.#primary(depth);
  }

  #primary(depth: number): Expr {
    const token = this.#peek();
    this.#position += 1;
    switch (token.kind) {
      case 'number':
        return { kind: 'literal', value: token.text, type: 'number' };
      case 'string':
        return { kind: 'literal', value: token.text, type: 'string' };
      case 'quoted-name':
        return { kind: 'column', name: token.text, at: token.at };
      case 'lparen': {
        const inner = this.expression(depth + 1);
        this.#expect('rparen', ')');
        return inner;
      }
      case 'name': {
        const word = token.text.toLowerCase();
        if (word === 'true' || word === 'false') return { kind: 'literal', value: word === 'true', type: 'boolean' };
        if (word === 'null') return { kind: 'literal', value: null, type: 'null' };
        if (KEYWORDS.has(word)) throw this.#unexpected(token);
        if (this.#take('lparen')) {
          const args: Expr[] = [];
          if (!this.#take('rparen')) {
            args.push(this.expression(depth + 1));
            while (this.#take('comma')) args.push(this.expression(depth + 1));
            this.#expect('rparen', `) closing ${token.text}(`);
          }
          return { kind: 'call', name: word, args, at: token.at };
        }
        return { kind: 'column', name: token.text, at: token.at };
      }
      default:
        this.#position -= 1;
        throw this.#unexpected(token);
    }
  }

  #nested(depth: number, parse: () => Expr): Expr {
    if (depth > MAX_DEPTH) throw new TransformError(this.parameter, 'too-complex', `the expression nests deeper than ${MAX_DEPTH} levels`);
    return parse();
  }

  #peek(): Token {
    return this.tokens[this.#position] ?? { kind: 'end', text: '', at: 0 };
  }

  #take(kind: Token['kind']): boolean {
    if (this.#peek().kind !== kind) return false;
    this.#position += 1;
    return true;
  }

  #keyword(word: string): boolean {
    const token = this.#peek();
    if (token.kind !== 'name' || token.text.toLowerCase() !== word) return false;
    this.#position += 1;
    return true;
  }

  #expect(kind: Token['kind'], what: string): void {
    if (!this.#take(kind)) throw this.#unexpected(this.#peek(), what);
  }

  #unexpected(token: Token, expected?: string): TransformError {
    const found = token.kind === 'end' ? 'the end of the expression' : `${JSON.stringify(token.text)} at character ${token.at + 1}`;
    return new TransformError(this.parameter, 'syntax', `${expected === undefined ? 'unexpected' : `expected ${expected}, found`} ${found}`);
  }
}
