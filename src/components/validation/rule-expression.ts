// The condition language of validation.rules, parsed into a small AST (never evaluated as code): comparisons,
// and/or/not, arithmetic, `in [..]`, `is [not] null`, `matches '<RE2 pattern>'`, a few functions, and the statement
// form `<column> required if <condition>`. Bounded: text length, token count and nesting depth.

export type CompareOp = '=' | '!=' | '<' | '<=' | '>' | '>=';
export type ArithOp = '+' | '-' | '*' | '/' | '%';
export type LiteralValue = number | string | boolean | null;
export const RULE_FUNCTIONS = ['length', 'lower', 'upper', 'abs', 'trim'] as const;
export type RuleFunction = (typeof RULE_FUNCTIONS)[number];

export type RuleExpr =
  | { readonly kind: 'column'; readonly name: string }
  | { readonly kind: 'literal'; readonly value: LiteralValue }
  | { readonly kind: 'compare'; readonly op: CompareOp; readonly left: RuleExpr; readonly right: RuleExpr }
  | { readonly kind: 'logical'; readonly op: 'and' | 'or'; readonly left: RuleExpr; readonly right: RuleExpr }
  | { readonly kind: 'not'; readonly operand: RuleExpr }
  | { readonly kind: 'in'; readonly operand: RuleExpr; readonly values: readonly LiteralValue[]; readonly negated: boolean }
  | { readonly kind: 'is-null'; readonly operand: RuleExpr; readonly negated: boolean }
  | { readonly kind: 'matches'; readonly operand: RuleExpr; readonly pattern: string; readonly negated: boolean }
  | { readonly kind: 'arith'; readonly op: ArithOp; readonly left: RuleExpr; readonly right: RuleExpr }
  | { readonly kind: 'negate'; readonly operand: RuleExpr }
  | { readonly kind: 'call'; readonly fn: RuleFunction; readonly arg: RuleExpr };

export type RuleStatement = { readonly kind: 'condition'; readonly expr: RuleExpr } | { readonly kind: 'required'; readonly column: string; readonly when: RuleExpr | null };

export const MAX_EXPRESSION_CHARS = 2000;
const MAX_TOKENS = 500;
const MAX_DEPTH = 32;

type Token = { kind: 'number'; value: number; at: number } | { kind: 'string'; value: string; at: number } | { kind: 'ident'; value: string; quoted: boolean; at: number } | { kind: 'op'; value: string; at: number } | { kind: 'end'; at: number };

const OPERATORS = ['==', '!=', '<>', '<=', '>=', '&&', '||', '=', '<', '>', '!', '+', '-', '*', '/', '%', '(', ')', '[', ']', ','];
const NUMBER = /^(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?/;
const WORD = /^[A-Za-z_][A-Za-z0-9_.]*/;

/** `fail` turns a message (with the character position) into the caller's error, naming the file and the rule. */
export type Fail = (message: string) => never;

export function parseRuleStatement(text: string, fail: Fail): RuleStatement {
  if (text.length > MAX_EXPRESSION_CHARS) fail(`the condition is ${text.length} characters long; at most ${MAX_EXPRESSION_CHARS}`);
  const parser = new Parser(tokenize(text, fail), fail);
  return parser.statement();
}

export function parseRuleExpression(text: string, fail: Fail): RuleExpr {
  const statement = parseRuleStatement(text, fail);
  if (statement.kind !== 'condition') fail('"required" belongs in a rule of its own here, not inside a condition');
  return statement.expr;
}

function tokenize(text: string, fail: Fail): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i] ?? '';
    if (/\s/.test(c)) {
      i += 1;
      continue;
    }
    if (tokens.length >= MAX_TOKENS) fail(`the condition has more than ${MAX_TOKENS} parts`);
    const rest = text.slice(i, i + 64);
    const number = NUMBER.exec(rest);
    if (number !== null && !/[A-Za-z_]/.test(text[i + number[0].length] ?? '')) {
      tokens.push({ kind: 'number', value: Number(number[0]), at: i });
      i += number[0].length;
    } else if (c === "'" || c === '"' || c === '`') {
      const end = closing(text, i, c, fail);
      const value = text.slice(i + 1, end).replaceAll(c + c, c);
      tokens.push(c === '`' ? { kind: 'ident', value, quoted: true, at: i } : { kind: 'string', value, at: i });
      i = end + 1;
    } else {
      const word = WORD.exec(text.slice(i));
      if (word !== null) {
        tokens.push({ kind: 'ident', value: word[0], quoted: false, at: i });
        i += word[0].length;
        continue;
      }
      const op = OPERATORS.find((o) => text.startsWith(o, i));
      if (op === undefined) fail(`unexpected character '${c}' at position ${i + 1}`);
      tokens.push({ kind: 'op', value: op, at: i });
      i += op.length;
    }
  }
  tokens.push({ kind: 'end', at: text.length });
  return tokens;
}

/** The index of the quote closing the one at `start` (a doubled quote is an escaped one). */
function closing(text: string, start: number, quote: string, fail: Fail): number {
  let i = start + 1;
  for (;;) {
    const next = text.indexOf(quote, i);
    if (next < 0) fail(`the quote at position ${start + 1} is not closed`);
    if (text[next + 1] === quote) i = next + 2;
    else return next;
  }
}

class Parser {
  #at = 0;
  #depth = 0;

  constructor(
    private readonly tokens: readonly Token[],
    private readonly fail: Fail,
  ) {}

  statement(): RuleStatement {
    const first = this.#peek();
    const second = this.tokens[1];
    if (first.kind === 'ident' && second?.kind === 'ident' && !second.quoted && second.value.toLowerCase() === 'required') {
      this.#at = 2;
      let when: RuleExpr | null = null;
      if (this.#keyword('if') || this.#keyword('when')) when = this.#or();
      this.#expectEnd();
      return { kind: 'required', column: first.value, when };
    }
    const expr = this.#or();
    this.#expectEnd();
    return { kind: 'condition', expr };
  }

  #or(): RuleExpr {
    let left = this.#and();
    while (this.#keyword('or') || this.#op('||')) left = { kind: 'logical', op: 'or', left, right: this.#and() };
    return left;
  }

  #and(): RuleExpr {
    let left = this.#not();
    while (this.#keyword('and') || this.#op('&&')) left = { kind: 'logical', op: 'and', left, right: this.#not() };
    return left;
  }

  #not(): RuleExpr {
    if (this.#keyword('not') || this.#op('!')) return this.#nested(() => ({ kind: 'not', operand: this.#not() }));
    return this.#comparison();
  }

  #comparison(): RuleExpr {
    const left = this.#sum();
    const token = this.#peek();
    if (token.kind === 'op' && ['==', '=', '!=', '<>', '<', '<=', '>', '>='].includes(token.value)) {
      this.#at += 1;
      const op: CompareOp = token.value === '==' ? '=' : token.value === '<>' ? '!=' : (token.value as CompareOp);
      return { kind: 'compare', op, left, right: this.#sum() };
    }
    if (this.#keyword('is')) {
      const negated = this.#keyword('not');
      if (!this.#keyword('null')) this.fail(`expected "null" after "is${negated ? ' not' : ''}" at position ${this.#peek().at + 1}`);
      return { kind: 'is-null', operand: left, negated };
    }
    const negated = this.#keyword('not');
    if (this.#keyword('in')) return { kind: 'in', operand: left, values: this.#list(), negated };
    if (this.#keyword('matches')) {
      const pattern = this.#peek();
      if (pattern.kind !== 'string') this.fail(`expected a quoted pattern after "matches" at position ${pattern.at + 1}`);
      this.#at += 1;
      return { kind: 'matches', operand: left, pattern: pattern.value, negated };
    }
    if (negated) this.fail(`expected "in" or "matches" after "not" at position ${this.#peek().at + 1}`);
    return left;
  }

  #sum(): RuleExpr {
    let left = this.#product();
    for (let t = this.#peek(); t.kind === 'op' && (t.value === '+' || t.value === '-'); t = this.#peek()) {
      this.#at += 1;
      left = { kind: 'arith', op: t.value, left, right: this.#product() };
    }
    return left;
  }

  #product(): RuleExpr {
    let left = this.#unary();
    for (let t = this.#peek(); t.kind === 'op' && (t.value === '*' || t.value === '/' || t.value === '%'); t = this.#peek()) {
      this.#at += 1;
      left = { kind: 'arith', op: t.value, left, right: this.#unary() };
    }
    return left;
  }

  #unary(): RuleExpr {
    if (this.#op('-')) return this.#nested(() => ({ kind: 'negate', operand: this.#unary() }));
    return this.#primary();
  }

  #primary(): RuleExpr {
    const token = this.#peek();
    this.#at += 1;
    switch (token.kind) {
      case 'number':
        return { kind: 'literal', value: token.value };
      case 'string':
        return { kind: 'literal', value: token.value };
      case 'ident': {
        const word = token.value.toLowerCase();
        if (!token.quoted && (word === 'true' || word === 'false')) return { kind: 'literal', value: word === 'true' };
        if (!token.quoted && word === 'null') return { kind: 'literal', value: null };
        if (!token.quoted && this.#op('(')) {
          const fn = RULE_FUNCTIONS.find((f) => f === word);
          if (fn === undefined) this.fail(`unknown function '${token.value}' (functions: ${RULE_FUNCTIONS.join(', ')})`);
          const arg = this.#nested(() => this.#or());
          this.#expectOp(')');
          return { kind: 'call', fn, arg };
        }
        return { kind: 'column', name: token.value };
      }
      case 'op':
        if (token.value === '(') {
          const inner = this.#nested(() => this.#or());
          this.#expectOp(')');
          return inner;
        }
        return this.fail(`unexpected '${token.value}' at position ${token.at + 1}`);
      case 'end':
        return this.fail('the condition ends too early');
    }
  }

  #list(): LiteralValue[] {
    const open = this.#peek();
    if (!(open.kind === 'op' && (open.value === '[' || open.value === '('))) this.fail(`expected a list such as ['a', 'b'] after "in" at position ${open.at + 1}`);
    this.#at += 1;
    const values: LiteralValue[] = [];
    for (;;) {
      const item = this.#primary();
      if (item.kind !== 'literal') this.fail('a list after "in" holds values (numbers, quoted text, true, false, null), not columns');
      values.push(item.value);
      if (this.#op(',')) continue;
      this.#expectOp(open.value === '[' ? ']' : ')');
      return values;
    }
  }

  #nested<T>(inner: () => T): T {
    this.#depth += 1;
    if (this.#depth > MAX_DEPTH) this.fail(`the condition is nested more than ${MAX_DEPTH} levels deep`);
    try {
      return inner();
    } finally {
      this.#depth -= 1;
    }
  }

  #peek(): Token {
    return this.tokens[this.#at] ?? { kind: 'end', at: 0 };
  }

  #keyword(word: string): boolean {
    const t = this.#peek();
    if (t.kind === 'ident' && !t.quoted && t.value.toLowerCase() === word) {
      this.#at += 1;
      return true;
    }
    return false;
  }

  #op(value: string): boolean {
    const t = this.#peek();
    if (t.kind === 'op' && t.value === value) {
      this.#at += 1;
      return true;
    }
    return false;
  }

  #expectOp(value: string): void {
    if (!this.#op(value)) this.fail(`expected '${value}' at position ${this.#peek().at + 1}`);
  }

  #expectEnd(): void {
    const t = this.#peek();
    if (t.kind !== 'end') this.fail(`unexpected ${t.kind === 'op' || t.kind === 'ident' ? `'${t.value}'` : 'text'} at position ${t.at + 1}`);
  }
}
