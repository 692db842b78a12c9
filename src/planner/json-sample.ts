// Pulls the first complete top-level objects out of the head of a JSON file (array, JSON Lines or concatenated objects) without parsing the rest.

/** Nesting past this is hostile or broken: the profiler refuses it with the line where it happens. */
export const MAX_SAMPLED_DEPTH = 256;

export class JsonTooDeepError extends Error {
  override readonly name = 'JsonTooDeepError';
  constructor(readonly line: number) {
    super(`JSON nested deeper than ${MAX_SAMPLED_DEPTH} levels`);
  }
}

/**
 * Returns up to `max` objects; stops at the end of the text, so a truncated last object is simply not returned.
 * Throws JsonTooDeepError when objects or arrays nest deeper than MAX_SAMPLED_DEPTH.
 */
export function firstJsonObjects(text: string, max: number): unknown[] {
  const objects: unknown[] = [];
  let depth = 0;
  let arrays = 0;
  let start = -1;
  let inString = false;
  let escaped = false;
  for (let i = 0; i < text.length && objects.length < max; i += 1) {
    const ch = text[i];
    if (inString) {
      if (escaped) escaped = false;
      else if (ch === '\\') escaped = true;
      else if (ch === '"') inString = false;
      continue;
    }
    if (ch === '"') inString = true;
    else if (ch === '[' || ch === ']') {
      arrays += ch === '[' ? 1 : -1;
      if (depth + arrays > MAX_SAMPLED_DEPTH) throw new JsonTooDeepError(lineAt(text, i));
    } else if (ch === '{') {
      if (depth === 0) start = i;
      depth += 1;
      if (depth + arrays > MAX_SAMPLED_DEPTH) throw new JsonTooDeepError(lineAt(text, i));
    } else if (ch === '}') {
      depth -= 1;
      if (depth === 0 && start >= 0) {
        try {
          objects.push(JSON.parse(text.slice(start, i + 1)));
        } catch {
          return objects;
        }
        start = -1;
      }
      if (depth < 0) return objects;
    }
  }
  return objects;
}

/** Flattens nested objects to dotted keys, as import.json does; a Map, so keys such as __proto__ stay plain data. */
export function flattenObject(value: unknown, maxDepth: number, prefix = '', out: Map<string, unknown> = new Map(), depth = 0): Map<string, unknown> {
  if (value !== null && typeof value === 'object' && !Array.isArray(value) && depth < maxDepth) {
    for (const [key, inner] of Object.entries(value)) flattenObject(inner, maxDepth, prefix === '' ? key : `${prefix}.${key}`, out, depth + 1);
  } else if (prefix !== '') {
    out.set(prefix, value);
  }
  return out;
}

function lineAt(text: string, index: number): number {
  let line = 1;
  for (let at = text.indexOf('\n'); at >= 0 && at < index; at = text.indexOf('\n', at + 1)) line += 1;
  return line;
}
