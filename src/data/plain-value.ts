// Engine values made plain for JS logic and JSON: bigints become numbers when safe, dates ISO strings.

export type PlainValue = string | number | boolean | null | PlainValue[] | { [key: string]: PlainValue };

export function toPlainValue(value: unknown): PlainValue {
  if (value === null || value === undefined) return null;
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      return Number.isFinite(value) ? value : null;
    case 'bigint':
      return value <= BigInt(Number.MAX_SAFE_INTEGER) && value >= BigInt(Number.MIN_SAFE_INTEGER) ? Number(value) : value.toString();
    default:
      break;
  }
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (Array.isArray(value)) return value.map(toPlainValue);
  if (typeof value === 'object') {
    const out: Record<string, PlainValue> = Object.create(null) as Record<string, PlainValue>;
    for (const [key, inner] of Object.entries(value)) out[key] = toPlainValue(inner);
    return out;
  }
  return null;
}

/** A plain value as display text: strings as they are, null as '', structures as JSON. */
export function plainText(value: PlainValue | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}
