// Windows event JSON (evtx_dump / XML-to-JSON renderings: `Event.System`, `Event.EventData`, `Event.UserData`) flattened
// to the field names detection rules use: EventID, Channel, Computer, Provider_Name, TimeCreated, and the EventData
// fields by their own names (Image, CommandLine, ...). One naming rule shared by the profiler (JS) and import.json (SQL).

/** Attribute bags are `#attributes` (evtx_dump) or `@`-prefixed keys (xml2js, winlogbeat's XML). */
export const ATTRIBUTES_KEY = '#attributes';
const TEXT_KEYS = ['#text', 'text', '_', 'Value', 'value'] as const;
const NAME_KEYS = ['Name', '@Name', 'name'] as const;

/** The column a System field becomes: TimeCreated's SystemTime is TimeCreated; other attributes are `<Field>_<Attribute>`. */
export function systemFieldName(field: string, attribute: string | null): string {
  if (attribute === null) return field;
  const name = attribute.replace(/^@/, '');
  if (field === 'TimeCreated' && name === 'SystemTime') return 'TimeCreated';
  return `${field}_${name}`;
}

/** Whether a parsed object is a Windows event: `{Event: {System: ...}}` or `{System: ..., EventData|UserData: ...}`. */
export function windowsEventRoot(value: unknown): Record<string, unknown> | null {
  if (!isRecord(value)) return null;
  const inner = isRecord(value['Event']) ? value['Event'] : value;
  return isRecord(inner['System']) && (Object.hasOwn(inner, 'EventData') || Object.hasOwn(inner, 'UserData') || isRecord(inner['System']['Provider'])) ? inner : null;
}

/** The flat fields of one event, in rule names; a Map so hostile keys stay data. */
export function flattenWindowsEvent(root: Record<string, unknown>): Map<string, unknown> {
  const out = new Map<string, unknown>();
  const put = (name: string, value: unknown, section: string): void => {
    const taken = [...out.keys()].some((k) => k.toLowerCase() === name.toLowerCase());
    out.set(taken ? `${section}_${name}` : name, value);
  };
  const system = root['System'];
  if (isRecord(system)) {
    for (const [field, value] of Object.entries(system)) {
      if (!isRecord(value)) {
        put(field, value, 'System');
        continue;
      }
      // `{#attributes: {Name}}` (evtx_dump), `{@Name}` (xml2js) and `{Name}` (hand-made) all mean the attribute Name.
      for (const [key, inner] of Object.entries(value)) {
        if (key === ATTRIBUTES_KEY && isRecord(inner)) {
          for (const [attribute, attributeValue] of Object.entries(inner)) put(systemFieldName(field, attribute), attributeValue, 'System');
        } else if ((TEXT_KEYS as readonly string[]).includes(key)) {
          put(field, inner, 'System');
        } else {
          put(systemFieldName(field, key), inner, 'System');
        }
      }
    }
  }
  for (const [name, value] of dataFields(root['EventData'])) put(name, value, 'EventData');
  const userData = root['UserData'];
  if (isRecord(userData)) {
    // UserData holds one element named after the event's template; its children are the fields.
    for (const inner of Object.values(userData)) {
      if (isRecord(inner)) for (const [name, value] of Object.entries(inner)) if (name !== ATTRIBUTES_KEY && !name.startsWith('@')) put(name, value, 'UserData');
    }
  }
  return out;
}

/** EventData as a plain object (`{Image: ...}`) or as `Data` items of `{Name, #text}` pairs; unnamed items are `Data`, `Data_2`, ... */
function dataFields(eventData: unknown): [string, unknown][] {
  if (!isRecord(eventData)) return [];
  const fields: [string, unknown][] = [];
  for (const [key, value] of Object.entries(eventData)) {
    if (key === ATTRIBUTES_KEY || key.startsWith('@')) continue;
    if (key !== 'Data' || (!Array.isArray(value) && !isRecord(value))) {
      fields.push([key, value]);
      continue;
    }
    const items: unknown[] = Array.isArray(value) ? value : [value];
    items.forEach((item, i) => {
      const name = isRecord(item) ? nameOf(item) : undefined;
      fields.push([name ?? (i === 0 ? 'Data' : `Data_${i + 1}`), isRecord(item) ? (textOf(item) ?? null) : item]);
    });
  }
  return fields;
}

export function nameOf(item: Record<string, unknown>): string | undefined {
  const named = NAME_KEYS.map((k) => item[k]).find((v) => typeof v === 'string');
  if (typeof named === 'string') return named;
  const attributes = item[ATTRIBUTES_KEY];
  return isRecord(attributes) && typeof attributes['Name'] === 'string' ? attributes['Name'] : undefined;
}

function textOf(item: Record<string, unknown>): unknown {
  for (const key of TEXT_KEYS) if (Object.hasOwn(item, key)) return item[key];
  return undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

export { TEXT_KEYS, NAME_KEYS };
