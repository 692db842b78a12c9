// The header of a Zeek (Bro) TSV log: `#separator`, `#set_separator`, `#empty_field`, `#unset_field`, `#path`,
// `#fields`, `#types`; and what each Zeek type becomes in the engine.
import { InputFileError } from '../../model/errors/input-file-error.js';

export interface ZeekHeader {
  readonly separator: string;
  readonly setSeparator: string;
  readonly emptyField: string;
  readonly unsetField: string;
  /** The log's name (`conn`, `dns`, `http`); null when the header does not say. */
  readonly path: string | null;
  readonly fields: readonly string[];
  readonly types: readonly string[];
  /** Lines before the first data line. */
  readonly headerLines: number;
}

/** Zeek logs have a few dozen fields; a bound on what a hostile header may declare. */
const MAX_FIELDS = 1024;

/** True when the text starts like a Zeek TSV log: its first line is `#separator <char>`. */
export function isZeekLog(text: string): boolean {
  return /^#separator \S+\r?\n/.test(text.slice(0, 64));
}

/** Reads the header from the head of the file; null when the text is not a Zeek log; an error when the header is broken. */
export function parseZeekHeader(text: string, display: string): ZeekHeader | null {
  if (!isZeekLog(text)) return null;
  const lines = text.split('\n');
  const first = (lines[0] ?? '').replace(/\r$/, '');
  const separator = unescapeZeek(first.slice('#separator '.length));
  if (separator.length !== 1) throw broken(display, 1, `the separator '${first.slice(11)}' is not one character`);
  const values = new Map<string, string[]>();
  let headerLines = 1;
  for (const raw of lines.slice(1)) {
    const line = raw.replace(/\r$/, '');
    if (!line.startsWith('#')) break;
    headerLines += 1;
    const [key, ...rest] = line.split(separator);
    if (key !== undefined) values.set(key.slice(1), rest);
  }
  const fields = values.get('fields');
  const types = values.get('types');
  if (fields === undefined || types === undefined) throw broken(display, headerLines, 'the header has no #fields or no #types line');
  if (fields.length !== types.length) throw broken(display, headerLines, `#fields names ${fields.length} columns but #types gives ${types.length}`);
  if (fields.length === 0 || fields.length > MAX_FIELDS) throw broken(display, headerLines, `#fields names ${fields.length} columns`);
  const duplicate = fields.find((f, i) => fields.indexOf(f) !== i);
  if (duplicate !== undefined) throw broken(display, headerLines, `#fields names '${duplicate}' twice`);
  const single = (key: string, fallback: string): string => unescapeZeek(values.get(key)?.[0] ?? fallback);
  return {
    separator,
    setSeparator: single('set_separator', ','),
    emptyField: single('empty_field', '(empty)'),
    unsetField: single('unset_field', '-'),
    path: values.get('path')?.[0] ?? null,
    fields,
    types,
    headerLines,
  };
}

export type ZeekColumnKind = 'time' | 'integer' | 'port' | 'number' | 'bool' | 'list' | 'text';

/** What a Zeek type is read as: time (epoch seconds), counts, ports, intervals, booleans, sets/vectors, or text (addr, string, enum, subnet, ...). */
export function zeekColumnKind(type: string): ZeekColumnKind {
  if (type === 'time') return 'time';
  if (type === 'count' || type === 'int') return 'integer';
  if (type === 'port') return 'port';
  if (type === 'interval' || type === 'double') return 'number';
  if (type === 'bool') return 'bool';
  if (type.startsWith('set[') || type.startsWith('vector[')) return 'list';
  return 'text';
}

/** `\x09` -> a tab: Zeek writes the separators of its header with hex escapes. */
function unescapeZeek(value: string): string {
  return value.replace(/\\x([0-9a-fA-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

function broken(display: string, line: number, detail: string): InputFileError {
  return new InputFileError(display, 'malformed', `not a readable Zeek log header: ${detail}`, { line, hint: 'the #fields and #types lines must name the same number of columns, separated by the #separator character' });
}
