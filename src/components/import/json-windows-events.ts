// The select list that turns Windows event JSON, as the engine read it (`Event` struct with System / EventData /
// UserData), into the columns detection rules name: EventID, Channel, Computer, Provider_Name, TimeCreated, and every
// EventData and UserData field by its own name, `Data` arrays of {Name, #text} pairs pivoted into columns.
import type { SqlSession } from '../../data/sql-session.js';
import { quoteIdent, quoteLiteral } from '../../data/sql-text.js';
import { ATTRIBUTES_KEY, NAME_KEYS, TEXT_KEYS, systemFieldName } from '../../data/windows-event-fields.js';
import { plainText, toPlainValue } from '../../data/plain-value.js';

/** Distinct `Data` names pivoted into columns at most: beyond this, the rest stay in the Data list. */
const MAX_DATA_NAMES = 512;

interface Column {
  readonly name: string;
  readonly sqlType: string;
  readonly structEntries: readonly string[] | null;
}

/** The root expression of Windows events in a raw table (`"Event"` or the table itself), or null when it holds none. */
export function windowsRoot(columns: readonly Column[]): { expression: string; consumed: readonly string[] } | null {
  const event = columns.find((c) => c.name === 'Event');
  if (event?.structEntries?.includes('System') === true) return { expression: quoteIdent('Event'), consumed: ['Event'] };
  const system = columns.find((c) => c.name === 'System');
  if (system?.structEntries !== null && system !== undefined && columns.some((c) => c.name === 'EventData' || c.name === 'UserData')) {
    return { expression: '', consumed: columns.filter((c) => ['System', 'EventData', 'UserData'].includes(c.name)).map((c) => c.name) };
  }
  return null;
}

/** `expression AS "name"` items for the event columns; names are unique without regard to case, as the engine requires. */
export async function windowsEventSelect(sql: SqlSession, table: string, root: string, signal: AbortSignal): Promise<string[]> {
  const items = new Map<string, { name: string; expression: string; section: string }>();
  const put = (name: string, expression: string, section: string): void => {
    const key = name.toLowerCase();
    const existing = items.get(key);
    if (existing === undefined) items.set(key, { name, expression, section });
    // Two UserData templates with one field name (across rows) are one column; another section's twin gets a prefix.
    else if (existing.section === section) items.set(key, { ...existing, expression: `coalesce(CAST(${existing.expression} AS VARCHAR), CAST(${expression} AS VARCHAR))` });
    else put(`${section}_${name}`, expression, section);
  };
  const at = (path: string): string => (root === '' ? quoteIdent(path) : `${root}.${quoteIdent(path)}`);
  const fields = async (expression: string): Promise<Column[]> => sql.describe(`SELECT unnest(${expression}) FROM ${quoteIdent(table)}`, signal);
  const entries = await sql.describe(`SELECT ${root === '' ? '*' : `unnest(${root})`} FROM ${quoteIdent(table)}`, signal);
  const has = (name: string): Column | undefined => entries.find((c) => c.name === name);

  if (has('System')?.structEntries != null) {
    for (const field of await fields(at('System'))) {
      const expression = `${at('System')}.${quoteIdent(field.name)}`;
      if (field.structEntries === null) {
        put(field.name, expression, 'System');
        continue;
      }
      // `{#attributes: {Name}}` (evtx_dump), `{@Name}` (xml2js) and `{Name}` all mean the attribute Name.
      for (const key of field.structEntries) {
        const inner = `${expression}.${quoteIdent(key)}`;
        if (key === ATTRIBUTES_KEY) {
          for (const attribute of await fields(inner)) put(systemFieldName(field.name, attribute.name), `${inner}.${quoteIdent(attribute.name)}`, 'System');
        } else if ((TEXT_KEYS as readonly string[]).includes(key)) {
          put(field.name, inner, 'System');
        } else {
          put(systemFieldName(field.name, key), inner, 'System');
        }
      }
    }
  }
  const eventData = has('EventData');
  if (eventData?.structEntries != null) {
    for (const field of await fields(at('EventData'))) {
      const expression = `${at('EventData')}.${quoteIdent(field.name)}`;
      if (field.name === ATTRIBUTES_KEY || field.name.startsWith('@')) continue;
      if (field.name === 'Data' && field.sqlType.startsWith('STRUCT(')) {
        for (const item of await dataItems(sql, table, field.sqlType.endsWith('[]') ? expression : `[${expression}]`, signal)) put(item.name, item.expression, 'EventData');
      } else {
        put(field.name, expression, 'EventData');
      }
    }
  }
  const userData = has('UserData');
  if (userData?.structEntries != null) {
    // UserData holds one element named after the event's template; its children are the fields.
    for (const template of await fields(at('UserData'))) {
      if (template.structEntries === null) continue;
      for (const key of template.structEntries) {
        if (key === ATTRIBUTES_KEY || key.startsWith('@')) continue;
        put(key, `${at('UserData')}.${quoteIdent(template.name)}.${quoteIdent(key)}`, 'UserData');
      }
    }
  }
  return [...items.values()].map((i) => `${i.expression} AS ${quoteIdent(i.name)}`);
}

/** Pivots a list of `{Name, #text}` structs: one column per distinct name, the first item of that name per row. */
async function dataItems(sql: SqlSession, table: string, list: string, signal: AbortSignal): Promise<{ name: string; expression: string }[]> {
  const keys = (await sql.describe(`SELECT unnest((${list})[1]) FROM ${quoteIdent(table)}`, signal)).map((c) => c.name);
  const nameKey = NAME_KEYS.find((k) => keys.includes(k));
  const textKey = TEXT_KEYS.find((k) => keys.includes(k));
  if (nameKey === undefined || textKey === undefined) return [{ name: 'Data', expression: list }];
  // In order of first appearance (row, then position in the list), as the event's template lists them.
  const rows = await sql.all(
    `SELECT item.${quoteIdent(nameKey)} AS name FROM (SELECT unnest(${list}) AS item, unnest(range(len(${list}))) AS i, rowid AS r FROM ${quoteIdent(table)})
     WHERE item.${quoteIdent(nameKey)} IS NOT NULL GROUP BY 1 ORDER BY min(r * 1000000 + i) LIMIT ${MAX_DATA_NAMES}`,
    [],
    signal,
  );
  return rows.map((r) => plainText(toPlainValue(r['name']))).map((name) => ({
    name,
    expression: `list_filter(${list}, x -> x.${quoteIdent(nameKey)} = ${quoteLiteral(name)})[1].${quoteIdent(textKey)}`,
  }));
}
