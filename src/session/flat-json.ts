// JSON of the flat records and lists events carry (parameters, metadata, detail, column names), written by hand with
// the texts they hold: the logger then searches those texts with the event's own in one search, rather than
// stringifying the record and searching its JSON apart (measured: 0.87x for a tool call's members and checks).
// The text is exactly JSON.stringify's for what is written here (a test compares both); anything else, such as a
// nested object, a class instance or a toJSON, is left to JSON.stringify.
import { num } from './json-number.js';

/** A member's JSON, and its keys and strings, each after a space, for the secret and escape search. */
export interface FlatJson {
  readonly json: string;
  readonly texts: string;
}

/**
 * A plain object whose members are strings, numbers, booleans, null, undefined (left out, as JSON does) or flat lists
 * of those, as JSON; null for any other object. Strings are written between quotes as they are: the caller's search
 * for characters JSON escapes, over `texts`, decides whether they may be.
 */
export function flatRecordJson(value: object): FlatJson | null {
  if (Object.getPrototypeOf(value) !== Object.prototype || 'toJSON' in value) return null;
  const record = value as Record<string, unknown>;
  let json = '';
  let texts = '';
  for (const key of Object.keys(record)) {
    const member = record[key];
    let text: string;
    if (typeof member === 'string') {
      text = `"${member}"`;
      texts += ` ${member}`;
    } else if (member === undefined) {
      continue;
    } else if (typeof member === 'object' && member !== null) {
      if (!Array.isArray(member)) return null;
      const list = flatListJson(member);
      if (list === null) return null;
      text = list.json;
      texts += list.texts;
    } else {
      const scalar = scalarJson(member);
      if (scalar === null) return null;
      text = scalar;
    }
    json += json === '' ? `"${key}":${text}` : `,"${key}":${text}`;
    texts += ` ${key}`;
  }
  return { json: `{${json}}`, texts };
}

/** A plain list of strings, numbers, booleans and nulls, as JSON; null for any other list. */
export function flatListJson(list: readonly unknown[]): FlatJson | null {
  if (Object.getPrototypeOf(list) !== Array.prototype || 'toJSON' in list) return null;
  let json = '';
  let texts = '';
  for (let i = 0; i < list.length; i += 1) {
    // A hole reads as undefined, which JSON writes as null in a list: left to JSON.stringify, like undefined itself.
    const item = list[i];
    let text: string | null;
    if (typeof item === 'string') {
      text = `"${item}"`;
      texts += ` ${item}`;
    } else {
      text = scalarJson(item);
      if (text === null) return null;
    }
    json += i === 0 ? text : `,${text}`;
  }
  return { json: `[${json}]`, texts };
}

/** A number, boolean or null as JSON; null for anything else (undefined, a function, a symbol, a bigint, an object). */
function scalarJson(value: unknown): string | null {
  if (typeof value === 'number') return num(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return value === null ? 'null' : null;
}
