// The condition language: or < and < not < `1 of` / `all of` < parentheses, as the specification orders them.
// Parsed by recursive descent into a tree over search identifier names; aggregations (`| count()`) are refused.
import { SigmaRuleError } from './sigma-rule-error.js';

export type ConditionNode =
  | { readonly kind: 'and' | 'or'; readonly items: readonly ConditionNode[] }
  | { readonly kind: 'not'; readonly item: ConditionNode }
  | { readonly kind: 'ref'; readonly name: string }
  | { readonly kind: 'of'; readonly quantifier: 'one' | 'all'; readonly pattern: string | null };

const MAX_CONDITION_CHARS = 4_096;
const MAX_DEPTH = 64;

type Token = { kind: 'word'; text: string } | { kind: 'open' } | { kind: 'close' };

function tokenize(text: string): Token[] {
  if (text.length > MAX_CONDITION_CHARS) throw new SigmaRuleError('too-large', `condition of ${text.length} characters (at most ${MAX_CONDITION_CHARS})`);
  if (text.includes('|')) throw new SigmaRuleError('unsupported', `aggregation in condition '${text}' (use correlation rules)`);
  const tokens: Token[] = [];
  for (const match of text.matchAll(/\(|\)|[^\s()]+/g)) {
    const word = match[0];
    if (word === '(') tokens.push({ kind: 'open' });
    else if (word === ')') tokens.push({ kind: 'close' });
    else tokens.push({ kind: 'word', text: word });
  }
  return tokens;
}

export function parseCondition(text: string): ConditionNode {
  const tokens = tokenize(text);
  let position = 0;
  const peekWord = (): string | null => {
    const t = tokens[position];
    return t?.kind === 'word' ? t.text.toLowerCase() : null;
  };
  const fail = (what: string): never => {
    throw new SigmaRuleError('invalid', `condition '${text}': ${what}`);
  };

  const parseOr = (depth: number): ConditionNode => {
    const items = [parseAnd(depth)];
    while (peekWord() === 'or') {
      position += 1;
      items.push(parseAnd(depth));
    }
    return items.length === 1 ? (items[0] as ConditionNode) : { kind: 'or', items };
  };
  const parseAnd = (depth: number): ConditionNode => {
    const items = [parseNot(depth)];
    while (peekWord() === 'and') {
      position += 1;
      items.push(parseNot(depth));
    }
    return items.length === 1 ? (items[0] as ConditionNode) : { kind: 'and', items };
  };
  const parseNot = (depth: number): ConditionNode => {
    if (peekWord() === 'not') {
      position += 1;
      return { kind: 'not', item: parseNot(depth + 1) };
    }
    return parseAtom(depth);
  };
  const parseAtom = (depth: number): ConditionNode => {
    if (depth > MAX_DEPTH) fail(`nested more than ${MAX_DEPTH} levels`);
    const token = tokens[position];
    if (token === undefined) return fail('ends too early');
    if (token.kind === 'open') {
      position += 1;
      const inner = parseOr(depth + 1);
      if (tokens[position]?.kind !== 'close') fail('a parenthesis is not closed');
      position += 1;
      return inner;
    }
    if (token.kind === 'close') return fail('unexpected )');
    const word = token.text.toLowerCase();
    if (word === '1' || word === 'all' || word === 'any') {
      const of = tokens[position + 1];
      const target = tokens[position + 2];
      if (of?.kind !== 'word' || of.text.toLowerCase() !== 'of' || target?.kind !== 'word') return fail(`'${token.text}' must be followed by 'of' and a name pattern`);
      position += 3;
      return { kind: 'of', quantifier: word === 'all' ? 'all' : 'one', pattern: target.text.toLowerCase() === 'them' ? null : target.text };
    }
    if (['and', 'or', 'not', 'of'].includes(word)) return fail(`unexpected '${token.text}'`);
    if (/^\d+$/.test(word)) throw new SigmaRuleError('unsupported', `condition '${text}': '${word} of' (only 1 of / all of)`);
    position += 1;
    return { kind: 'ref', name: token.text };
  };

  const tree = parseOr(0);
  if (position !== tokens.length) fail(`unexpected '${JSON.stringify(tokens[position])}'`);
  return tree;
}

/** Whether a search identifier name matches an `x of` pattern (`*` is any run of characters); no regex, no backtracking blow-up. */
export function matchesNamePattern(name: string, pattern: string): boolean {
  const parts = pattern.split('*');
  if (parts.length === 1) return name === pattern;
  const first = parts[0] ?? '';
  const last = parts[parts.length - 1] ?? '';
  if (!name.startsWith(first) || name.length < first.length + last.length || !name.endsWith(last)) return false;
  let at = first.length;
  const end = name.length - last.length;
  for (const middle of parts.slice(1, -1)) {
    const found = name.indexOf(middle, at);
    if (found < 0 || found + middle.length > end) return false;
    at = found + middle.length;
  }
  return true;
}
