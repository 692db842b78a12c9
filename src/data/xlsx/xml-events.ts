// Drives saxes over a part's text chunks and hands the caller what its handlers collected after each chunk, so a sheet
// is read row by row with a bounded amount in memory. saxes expands no entity but XML's five and character references
// and never reads an external DTD: no billion laughs, no XXE.
import { SaxesParser } from 'saxes';
import { InputFileError } from '../../model/errors/input-file-error.js';

export interface XmlHandlers {
  /** An element opens; `name` is its local name (`x:c` -> `c`: strict OOXML and prefixed writers alike). */
  open(name: string, attributes: Readonly<Record<string, string>>): void;
  close(name: string): void;
  text(text: string): void;
}

/** Longest run of characters between two tags: a text node or an attribute, far beyond Excel's 32,767 characters a cell. */
const MAX_TEXT_RUN = 4 * 1024 * 1024;

/**
 * Feeds every chunk to the parser and, after each, yields the items the handlers pushed to `out` (then empties it).
 * Errors name the file and the part; a run of text longer than MAX_TEXT_RUN is refused before it is held whole.
 */
export async function* xmlItems<T>(chunks: AsyncIterable<string>, handlers: XmlHandlers, out: T[], where: { display: string; part: string }): AsyncGenerator<T[]> {
  const parser = new SaxesParser({ xmlns: false, position: false });
  // A holder, not a variable: the handler assigns it, and the checks below must not be narrowed to null.
  const reported: { error: Error | null } = { error: null };
  parser.on('error', (error) => {
    reported.error ??= error;
  });
  parser.on('opentag', (tag) => {
    handlers.open(localName(tag.name), tag.attributes);
  });
  parser.on('closetag', (tag) => {
    handlers.close(localName(tag.name));
  });
  parser.on('text', (text) => {
    handlers.text(text);
  });
  parser.on('cdata', (text) => {
    handlers.text(text);
  });
  let sinceTag = 0;
  try {
    for await (const chunk of chunks) {
      const lastTag = chunk.lastIndexOf('<');
      sinceTag = lastTag < 0 ? sinceTag + chunk.length : chunk.length - lastTag;
      if (sinceTag > MAX_TEXT_RUN) throw malformed(where, `a text or attribute of more than ${MAX_TEXT_RUN} characters`);
      parser.write(chunk);
      if (reported.error !== null) throw malformed(where, `not well-formed XML (${reported.error.message})`);
      if (out.length > 0) yield out.splice(0, out.length);
    }
    parser.close();
  } catch (error) {
    if (error instanceof InputFileError) throw error;
    // saxes throws the error it reported; anything else escaping the handlers is ours and goes up unchanged.
    if (reported.error !== null) throw malformed(where, `not well-formed XML (${reported.error.message})`);
    throw error;
  }
  if (reported.error !== null) throw malformed(where, `not well-formed XML (${reported.error.message})`);
  if (out.length > 0) yield out.splice(0, out.length);
}

function localName(name: string): string {
  const colon = name.indexOf(':');
  return colon < 0 ? name : name.slice(colon + 1);
}

function malformed(where: { display: string; part: string }, detail: string): InputFileError {
  return new InputFileError(where.display, 'malformed', `${where.part}: ${detail}`, { hint: 'the workbook is damaged or not written by a spreadsheet program; save it again from Excel or LibreOffice' });
}

/** The value of an attribute whatever its prefix (`r:id`, `ns0:id`), for relationship ids. */
export function prefixedAttribute(attributes: Readonly<Record<string, string>>, local: string): string | undefined {
  for (const [name, value] of Object.entries(attributes)) {
    if (name.endsWith(`:${local}`)) return value;
  }
  return undefined;
}
