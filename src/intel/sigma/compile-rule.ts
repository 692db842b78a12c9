// From a checked rule document to a compiled rule: search identifiers become detection expressions, the condition
// tree picks and joins them. Everything the engine cannot do throws a SigmaRuleError naming the construct.
import { matchesNamePattern, parseCondition, type ConditionNode } from './condition.js';
import type { DetectionExpr } from './detection-ir.js';
import { compileFieldPredicate } from './field-predicate.js';
import { SigmaRuleError } from './sigma-rule-error.js';
import { attackTechniques, type SigmaLevel, type SigmaRuleDocument } from './sigma-rule.js';

/** Field entries in one rule at most: beyond this a rule is refused (the SQL would be unreasonably large). */
const MAX_ENTRIES = 2_048;

export interface SigmaLogsource {
  readonly product: string | null;
  readonly category: string | null;
  readonly service: string | null;
}

/** What a rule says of itself, detection and correlation rules alike: what the rules table and the reports show. */
export interface RuleHeader {
  readonly id: string;
  /** The rule's `name`, by which correlation rules may refer to it. */
  readonly name: string | null;
  readonly title: string;
  readonly level: SigmaLevel;
  readonly status: string | null;
  readonly tags: readonly string[];
  readonly attackTechniques: readonly string[];
  /** The file the rule came from, as the user named it. */
  readonly source: string;
}

export interface CompiledRule extends RuleHeader {
  readonly logsource: SigmaLogsource;
  readonly detection: DetectionExpr;
}

export function compileRule(document: SigmaRuleDocument, source: string): CompiledRule {
  const tags = document.tags ?? [];
  return {
    id: document.id ?? '',
    name: typeof document['name'] === 'string' ? document['name'] : null,
    title: document.title,
    level: document.level ?? 'medium',
    status: document.status ?? null,
    tags,
    attackTechniques: attackTechniques(tags),
    logsource: { product: document.logsource.product ?? null, category: document.logsource.category ?? null, service: document.logsource.service ?? null },
    detection: compileDetection(document.detection),
    source,
  };
}

/**
 * A detection section (search identifiers and a condition, or a list of conditions) as one expression; also a filter
 * rule's `filter` section, whose other keys are its search identifiers.
 */
export function compileDetection(detection: Readonly<Record<string, unknown>>): DetectionExpr {
  const { condition, ...identifiers } = detection;
  if ('timeframe' in identifiers) throw new SigmaRuleError('unsupported', 'detection timeframe (aggregations over time)');
  const names = Object.keys(identifiers);
  const compiled = new Map<string, DetectionExpr>();
  let entries = 0;
  for (const name of names) {
    compiled.set(name, compileSearch(name, identifiers[name], () => {
      entries += 1;
      if (entries > MAX_ENTRIES) throw new SigmaRuleError('too-large', `more than ${MAX_ENTRIES} field entries`);
    }));
  }
  const conditions = Array.isArray(condition) ? (condition as unknown[]) : [condition];
  const trees = conditions.map((c) => {
    if (typeof c !== 'string') throw new SigmaRuleError('invalid', 'condition is not text');
    return toExpr(parseCondition(c), compiled);
  });
  return trees.length === 1 ? (trees[0] as DetectionExpr) : { kind: 'or', items: trees };
}

function compileSearch(name: string, value: unknown, count: () => void): DetectionExpr {
  const map = (object: object): DetectionExpr => {
    const items = Object.entries(object).map(([key, v]): DetectionExpr => {
      count();
      return { kind: 'field', predicate: compileFieldPredicate(key, v) };
    });
    if (items.length === 0) throw new SigmaRuleError('invalid', `search identifier '${name}' is an empty map`);
    return items.length === 1 ? (items[0] as DetectionExpr) : { kind: 'and', items };
  };
  const isMap = (v: unknown): v is object => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (isMap(value)) return map(value);
  if (Array.isArray(value)) {
    if (value.length === 0) throw new SigmaRuleError('invalid', `search identifier '${name}' is an empty list`);
    const maps = value.filter(isMap);
    const keywords = value.filter((v) => !isMap(v));
    const items: DetectionExpr[] = maps.map(map);
    if (keywords.length > 0) {
      count();
      // Keywords are searched anywhere in the event: a contains match on every text field.
      items.push({ kind: 'field', predicate: compileFieldPredicate('|contains', keywords) });
    }
    return items.length === 1 ? (items[0] as DetectionExpr) : { kind: 'or', items };
  }
  if (typeof value === 'string' || typeof value === 'number') {
    count();
    return { kind: 'field', predicate: compileFieldPredicate('|contains', value) };
  }
  throw new SigmaRuleError('invalid', `search identifier '${name}' is neither a map, a list nor a keyword`);
}

function toExpr(node: ConditionNode, identifiers: ReadonlyMap<string, DetectionExpr>): DetectionExpr {
  switch (node.kind) {
    case 'and':
    case 'or':
      return { kind: node.kind, items: node.items.map((i) => toExpr(i, identifiers)) };
    case 'not':
      return { kind: 'not', item: toExpr(node.item, identifiers) };
    case 'ref': {
      const found = identifiers.get(node.name);
      if (found === undefined) throw new SigmaRuleError('invalid', `condition names '${node.name}', which the detection does not define`);
      return found;
    }
    case 'of': {
      const pattern = node.pattern;
      const chosen = [...identifiers.entries()].filter(([name]) => (pattern === null ? !name.startsWith('_') : matchesNamePattern(name, pattern))).map(([, e]) => e);
      if (chosen.length === 0) throw new SigmaRuleError('invalid', `'${node.quantifier === 'all' ? 'all' : '1'} of ${pattern ?? 'them'}' matches no search identifier`);
      return chosen.length === 1 ? (chosen[0] as DetectionExpr) : { kind: node.quantifier === 'all' ? 'and' : 'or', items: chosen };
    }
  }
}
