// STIX 2.1 bundles: indicators whose pattern is a comparison (or an OR of comparisons) on an IP, domain, URL or file
// hash become indicator rows; other pattern forms are counted as unsupported; the other objects are kept as context.
import { IndicatorCollector, type CollectedFeed, type FeedIndicatorType, type IndicatorFields } from './feed-indicator.js';

type Json = Readonly<Record<string, unknown>>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const text = (value: unknown): string | null => (typeof value === 'string' && value.trim() !== '' ? value : null);

const MAX_OBJECTS = 2_000_000;
const MAX_PATTERN_CHARS = 64 * 1024;

/** Object path (lower-case, quotes removed) to indicator type. */
const PATHS: Readonly<Record<string, FeedIndicatorType>> = {
  'ipv4-addr:value': 'ip',
  'ipv6-addr:value': 'ip',
  'domain-name:value': 'domain',
  'url:value': 'url',
  'file:hashes.md5': 'md5',
  'file:hashes.sha-1': 'sha1',
  'file:hashes.sha1': 'sha1',
  'file:hashes.sha-256': 'sha256',
  'file:hashes.sha256': 'sha256',
  'x509-certificate:hashes.sha-1': 'sha1',
};

// One comparison: `object:path = 'value'` or `ISSUBSET` for ranges. The path has no spaces; the string allows \' escapes.
const COMPARISON = /^([a-z0-9-]{1,64}:[a-z0-9_.'-]{1,128})\s*(=|ISSUBSET)\s*'((?:[^'\\]|\\.){0,4096})'$/i;

export function isStixBundle(document: unknown): document is Json {
  return isObject(document) && document['type'] === 'bundle' && Array.isArray(document['objects']);
}

export function readStixBundle(bundle: Json, source: string): CollectedFeed {
  const collector = new IndicatorCollector(source);
  const objects = (bundle['objects'] as unknown[]).slice(0, MAX_OBJECTS);
  const names = familyNames(objects);
  for (const object of objects) {
    if (!isObject(object)) continue;
    const type = text(object['type']) ?? 'unknown';
    if (type !== 'indicator') {
      collector.count(collector.context, type.slice(0, 40));
      continue;
    }
    if (object['pattern_type'] !== undefined && object['pattern_type'] !== 'stix') {
      collector.count(collector.unsupported, `pattern_type ${(text(object['pattern_type']) ?? 'unknown').slice(0, 20)}`);
      continue;
    }
    const comparisons = parsePattern(text(object['pattern']) ?? '');
    if (comparisons === null) {
      collector.count(collector.unsupported, 'pattern form');
      continue;
    }
    const confidence = typeof object['confidence'] === 'number' ? object['confidence'] / 100 : null;
    const labels = [...stringList(object['indicator_types']), ...stringList(object['labels'])];
    const fields: IndicatorFields = {
      confidence,
      firstSeen: text(object['valid_from']) ?? text(object['created']),
      lastSeen: text(object['valid_until']),
      tags: labels,
      threatType: labels[0] ?? null,
      malwareFamily: names.get(text(object['id']) ?? '') ?? null,
    };
    for (const { path, value } of comparisons) {
      const indicatorType = PATHS[path];
      if (indicatorType === undefined) collector.count(collector.unsupported, `pattern on ${path.slice(0, 60)}`);
      else collector.add(value, { ...fields, type: value.includes('/') && indicatorType === 'ip' ? 'cidr' : indicatorType });
    }
  }
  if ((bundle['objects'] as unknown[]).length > MAX_OBJECTS) collector.unsupported['objects over the limit'] = (bundle['objects'] as unknown[]).length - MAX_OBJECTS;
  return collector.finish('stix-bundle');
}

/**
 * The comparisons of a pattern made only of comparisons joined by OR, inside one or several `[...]` observations
 * joined by OR; null for anything else (AND, FOLLOWEDBY, qualifiers, MATCHES, LIKE, negation), which no single
 * value can stand for.
 */
export function parsePattern(pattern: string): { path: string; value: string }[] | null {
  if (pattern.length > MAX_PATTERN_CHARS) return null;
  const comparisons: { path: string; value: string }[] = [];
  // Split outside quotes on brackets and ORs; any other token outside quotes makes the pattern unsupported.
  let current = '';
  let quoted = false;
  const parts: string[] = [];
  for (let i = 0; i < pattern.length; i += 1) {
    const ch = pattern[i] ?? '';
    if (quoted) {
      current += ch;
      if (ch === '\\') {
        current += pattern[i + 1] ?? '';
        i += 1;
      } else if (ch === "'") quoted = false;
      continue;
    }
    if (ch === "'") {
      // A quote opens a string value unless it is part of a path (`hashes.'SHA-1'`).
      const inPath = /[.]$/.test(current);
      current += ch;
      if (inPath) {
        const close = pattern.indexOf("'", i + 1);
        if (close < 0) return null;
        current += pattern.slice(i + 1, close + 1);
        i = close;
      } else quoted = true;
      continue;
    }
    if (ch === '[' || ch === ']') {
      parts.push(current);
      current = '';
      continue;
    }
    current += ch;
  }
  if (quoted) return null;
  parts.push(current);
  for (const part of parts.flatMap((p) => p.split(/\s+OR\s+/))) {
    const piece = part.trim();
    if (piece === '' || piece === 'OR') continue;
    const match = COMPARISON.exec(piece);
    if (match === null) return null;
    comparisons.push({ path: (match[1] ?? '').toLowerCase().replace(/'/g, ''), value: (match[3] ?? '').replace(/\\(.)/g, '$1') });
  }
  return comparisons.length > 0 ? comparisons : null;
}

/** Indicator id to malware name, through `indicates` relationships to malware objects. */
function familyNames(objects: readonly unknown[]): Map<string, string> {
  const malware = new Map<string, string>();
  for (const object of objects) {
    if (isObject(object) && object['type'] === 'malware' && text(object['id']) !== null && text(object['name']) !== null) malware.set(object['id'] as string, object['name'] as string);
  }
  const names = new Map<string, string>();
  for (const object of objects) {
    if (!isObject(object) || object['type'] !== 'relationship' || object['relationship_type'] !== 'indicates') continue;
    const name = malware.get(text(object['target_ref']) ?? '');
    const from = text(object['source_ref']);
    if (name !== undefined && from !== null) names.set(from, name);
  }
  return names;
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string').slice(0, 16) : [];
}
