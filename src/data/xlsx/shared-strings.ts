// The shared string table: most text cells of a workbook point into it, so it is held in memory while the sheets are
// read; its size is bounded in strings and in characters. Phonetic runs (`rPh`) are not part of the text.
import { InputFileError } from '../../model/errors/input-file-error.js';
import { xmlItems, type XmlHandlers } from './xml-events.js';
import type { ZipParts } from './zip-parts.js';

export interface SharedStringLimits {
  readonly maxStrings: number;
  readonly maxChars: number;
}

export async function readSharedStrings(zip: ZipParts, part: string | null, display: string, limits: SharedStringLimits, signal?: AbortSignal): Promise<readonly string[]> {
  if (part === null) return [];
  const strings: string[] = [];
  let chars = 0;
  let current: string[] | null = null;
  let inText = false;
  let phonetic = 0;
  const handlers: XmlHandlers = {
    open(name) {
      if (name === 'si') current = [];
      else if (name === 'rPh') phonetic += 1;
      else if (name === 't' && phonetic === 0) inText = true;
    },
    close(name) {
      if (name === 't') {
        inText = false;
      } else if (name === 'rPh') {
        phonetic -= 1;
      } else if (name === 'si' && current !== null) {
        const text = current.join('');
        chars += text.length;
        if (strings.length >= limits.maxStrings || chars > limits.maxChars) {
          throw new InputFileError(display, 'too-large', `the shared string table is over ${limits.maxStrings.toLocaleString('en-US')} strings or ${limits.maxChars.toLocaleString('en-US')} characters`, {
            hint: 'raise max_shared_string_chars if you trust the file',
          });
        }
        strings.push(text);
        current = null;
      }
    },
    text(text) {
      if (inText && current !== null) current.push(text);
    },
  };
  for await (const _ of xmlItems(zip.text(part, signal), handlers, [], { display, part })) {
    // Strings are collected by the handlers.
  }
  return strings;
}
