// Reads a user's schema or rules file (JSON or YAML) as plain data, defensively: a size bound, YAML 1.2 core types only
// (no custom or YAML 1.1 tags, no merge keys), aliases bounded (the "billion laughs" expansion), nesting bounded, and
// objects without a prototype, so keys such as `__proto__` are data. Positions are kept for line numbers in errors.
import { readFile, stat } from 'node:fs/promises';
import { extname } from 'node:path';
import { LineCounter, parseDocument, type Document } from 'yaml';
import { ValidationSpecError } from '../../model/errors/validation-spec-error.js';
import type { PlainValue } from '../../data/plain-value.js';
import { resolveInput } from '../../data/input-files.js';

export const MAX_SPEC_BYTES = 1024 * 1024;
export const MAX_SPEC_DEPTH = 64;
const MAX_ALIASES = 100;
const MAX_NODES = 200_000;

export interface SpecFile {
  /** The path as the user named it, for messages. */
  readonly name: string;
  readonly value: PlainValue;
  /** The line (from 1) of the value at a path of keys and indexes, when it can be found. */
  lineOf(path: readonly (string | number)[]): number | undefined;
}

export async function readSpecFile(baseDir: string, path: string): Promise<SpecFile> {
  const full = resolveInput(baseDir, path);
  let size: number;
  try {
    const info = await stat(full);
    if (!info.isFile()) throw new ValidationSpecError(path, 'not-found', 'is not a file');
    size = info.size;
  } catch (error) {
    if (error instanceof ValidationSpecError) throw error;
    throw new ValidationSpecError(path, 'not-found', 'no such file', { cause: error });
  }
  if (size > MAX_SPEC_BYTES) throw new ValidationSpecError(path, 'too-large', `${size.toLocaleString('en-US')} bytes is over the limit of ${MAX_SPEC_BYTES.toLocaleString('en-US')}`);
  const text = (await readFile(full, 'utf8')).replace(/^\uFEFF/, '');
  if (text.trim() === '') throw new ValidationSpecError(path, 'malformed', 'the file is empty');
  return parseSpecText(path, text);
}

/** Parses spec text: `.json` files with JSON.parse (exact JSON errors), anything else as YAML 1.2 (a superset of JSON). */
export function parseSpecText(name: string, text: string): SpecFile {
  const lines = new LineCounter();
  let document: Document.Parsed | undefined;
  const parsed = (): Document.Parsed => (document ??= yamlDocument(name, text, lines));
  const lineOf = (path: readonly (string | number)[]): number | undefined => {
    try {
      const node = parsed().getIn(path, true) as { range?: [number, number, number] } | undefined;
      const start = node?.range?.[0];
      return start === undefined ? undefined : lines.linePos(start).line;
    } catch {
      return undefined;
    }
  };
  if (extname(name).toLowerCase() === '.json') {
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch (error) {
      if (error instanceof RangeError) throw new ValidationSpecError(name, 'unsafe', 'refused: nested too deeply to read', { cause: error });
      // JSON.parse does not always say where; then the YAML parser (JSON is YAML) finds the line, if nesting allows.
      const position = /at position (\d+)/.exec(error instanceof Error ? error.message : '')?.[1];
      const line =
        position !== undefined ? text.slice(0, Number(position)).split('\n').length : tooDeep(text) === null ? parseDocument(text, { schema: 'json', lineCounter: lines, prettyErrors: true }).errors[0]?.linePos?.[0].line : undefined;
      const reason = (error instanceof Error ? error.message : String(error)).replace(/, ".*" is not valid JSON$/s, '');
      throw new ValidationSpecError(name, 'malformed', `not valid JSON (${reason})`, line === undefined ? { cause: error } : { line, cause: error });
    }
    return { name, value: plain(name, raw), lineOf };
  }
  const doc = parsed();
  let raw: unknown;
  try {
    raw = doc.toJS({ maxAliasCount: MAX_ALIASES, mapAsMap: true });
  } catch (error) {
    throw new ValidationSpecError(name, 'unsafe', `refused: ${error instanceof Error ? error.message : String(error)} (aliases expand to more than ${MAX_ALIASES} copies)`, { cause: error });
  }
  return { name, value: plain(name, raw), lineOf };
}

function yamlDocument(name: string, text: string, lines: LineCounter): Document.Parsed {
  const deep = tooDeep(text);
  if (deep !== null) throw new ValidationSpecError(name, 'unsafe', `refused: ${deep}`);
  let doc: Document.Parsed;
  try {
    doc = parseDocument(text, { version: '1.2', schema: 'core', merge: false, resolveKnownTags: false, customTags: [], uniqueKeys: true, strict: true, stringKeys: true, lineCounter: lines, prettyErrors: true });
  } catch (error) {
    if (error instanceof RangeError) throw new ValidationSpecError(name, 'unsafe', 'refused: nested too deeply to read', { cause: error });
    throw error;
  }
  // An unknown tag (`!!python/object`, `!js/function`) is only a warning to the parser; here it is a refusal.
  const problem = doc.errors[0] ?? doc.warnings[0];
  if (problem !== undefined) {
    const line = problem.linePos?.[0].line;
    const message = (problem.message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, '');
    if (/Maximum call stack/i.test(message)) throw new ValidationSpecError(name, 'unsafe', 'refused: nested too deeply to read');
    const tag = problem.code === 'TAG_RESOLVE_FAILED' || /\btag\b/i.test(message);
    throw new ValidationSpecError(name, tag ? 'unsafe' : 'malformed', `${tag ? 'refused: ' : 'not valid YAML: '}${message}`, line === undefined ? {} : { line });
  }
  return doc;
}

/** Maps to prototype-less objects, with the depth and the number of nodes bounded. */
function plain(name: string, raw: unknown): PlainValue {
  let nodes = 0;
  const visit = (value: unknown, depth: number): PlainValue => {
    nodes += 1;
    if (nodes > MAX_NODES) throw new ValidationSpecError(name, 'unsafe', `refused: more than ${MAX_NODES.toLocaleString('en-US')} values`);
    if (depth > MAX_SPEC_DEPTH) throw new ValidationSpecError(name, 'unsafe', `refused: nested more than ${MAX_SPEC_DEPTH} levels deep`);
    if (value === null || value === undefined) return null;
    if (typeof value === 'string' || typeof value === 'boolean') return value;
    if (typeof value === 'number') return Number.isFinite(value) ? value : null;
    if (typeof value === 'bigint') return Number(value);
    if (Array.isArray(value)) return value.map((v) => visit(v, depth + 1));
    const out = Object.create(null) as Record<string, PlainValue>;
    const entries = value instanceof Map ? [...(value as Map<unknown, unknown>).entries()] : Object.entries(value as Record<string, unknown>);
    for (const [key, inner] of entries) {
      if (typeof key !== 'string') throw new ValidationSpecError(name, 'malformed', `a key is not text: ${String(key)}`);
      Object.defineProperty(out, key, { value: visit(inner, depth + 1), enumerable: true, writable: true, configurable: true });
    }
    return out;
  };
  try {
    return visit(raw, 0);
  } catch (error) {
    if (error instanceof RangeError) throw new ValidationSpecError(name, 'unsafe', 'refused: nested too deeply to read');
    throw error;
  }
}

/**
 * Nesting the YAML parser must not see: it recurses per level, and ~200k nested brackets exhaust the process's memory
 * (measured), which no try/catch survives. One linear pass over the text: bracket depth outside quotes and comments,
 * and per line the indentation and the run of `- ` / `? ` indicators that open nested block collections.
 */
export function tooDeep(text: string): string | null {
  let depth = 0;
  let quote: string | null = null;
  let lineStart = true;
  let indent = 0;
  let indicators = 0;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i] ?? '';
    if (c === '\n') {
      lineStart = true;
      indent = 0;
      indicators = 0;
      continue;
    }
    if (quote !== null) {
      if (c === '\\' && quote === '"') i += 1;
      else if (c === quote) quote = null;
      continue;
    }
    if (lineStart) {
      if (c === ' ' || c === '\t') {
        indent += 1;
        if (indent > MAX_SPEC_DEPTH * 4) return `indented more than ${MAX_SPEC_DEPTH * 4} columns`;
        continue;
      }
      if ((c === '-' || c === '?') && (text[i + 1] === ' ' || text[i + 1] === '\t')) {
        indicators += 1;
        if (indicators > MAX_SPEC_DEPTH) return `nested more than ${MAX_SPEC_DEPTH} levels deep`;
        continue;
      }
      lineStart = false;
    }
    if (c === '#' && (i === 0 || /\s/.test(text[i - 1] ?? ''))) {
      const end = text.indexOf('\n', i);
      i = end < 0 ? text.length : end - 1;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '[' || c === '{') {
      depth += 1;
      if (depth > MAX_SPEC_DEPTH) return `nested more than ${MAX_SPEC_DEPTH} levels deep`;
    } else if ((c === ']' || c === '}') && depth > 0) depth -= 1;
  }
  return null;
}
