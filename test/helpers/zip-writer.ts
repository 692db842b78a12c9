// Writes small zip archives by hand (local headers, central directory, end record), so tests can build the workbook
// packages no spreadsheet program would: parts that inflate far beyond their size, sizes that lie, encrypted entries.
import { constants, crc32, deflateRawSync } from 'node:zlib';

/** A part already deflated, with the CRC and size of what it inflates to (see repeatedPart). */
export interface Deflated {
  readonly deflated: Buffer;
  readonly crc: number;
  readonly size: number;
}

export interface ZipPart {
  readonly name: string;
  readonly data: Buffer | string | Deflated;
  /** What the central directory declares as the inflated size; the real size when absent (a lie when given). */
  readonly declaredSize?: number;
  /** Sets the "encrypted" flag without encrypting anything. */
  readonly encryptedFlag?: boolean;
  /** Sets the "name is UTF-8" flag (bit 11): readers then decode the name as UTF-8, not CP437. */
  readonly utf8Name?: boolean;
}

export function zipArchive(parts: readonly ZipPart[]): Buffer {
  const locals: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const part of parts) {
    const { deflated: compressed, crc, size: realSize } = deflatedPart(part.data);
    const name = Buffer.from(part.name, 'utf8');
    const size = part.declaredSize ?? realSize;
    const flags = (part.encryptedFlag === true ? 0x0001 : 0) | (part.utf8Name === true ? 0x0800 : 0);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(flags, 6);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(compressed.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    locals.push(local, name, compressed);
    const entry = Buffer.alloc(46);
    entry.writeUInt32LE(0x02014b50, 0);
    entry.writeUInt16LE(20, 4);
    entry.writeUInt16LE(20, 6);
    entry.writeUInt16LE(flags, 8);
    entry.writeUInt16LE(8, 10);
    entry.writeUInt32LE(crc, 16);
    entry.writeUInt32LE(compressed.length, 20);
    entry.writeUInt32LE(size, 24);
    entry.writeUInt16LE(name.length, 28);
    entry.writeUInt32LE(offset, 42);
    central.push(entry, name);
    offset += local.length + name.length + compressed.length;
  }
  const directory = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(parts.length, 8);
  end.writeUInt16LE(parts.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

function deflatedPart(data: ZipPart['data']): Deflated {
  if (typeof data !== 'string' && !Buffer.isBuffer(data)) return data;
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  return { deflated: deflateRawSync(bytes), crc: crc32(bytes), size: bytes.length };
}

/**
 * `head`, then `unit` `count` times, then `tail`, deflated without ever holding the inflated whole: each piece is
 * deflated on its own and ended with a full flush (byte-aligned, no back-reference outside itself), so the deflated
 * unit can be repeated as bytes; only the tail's block is final. The CRC is carried across the repeats.
 */
export function repeatedPart(head: string, unit: string, count: number, tail: string): Deflated {
  const flush = { finishFlush: constants.Z_FULL_FLUSH };
  const unitBytes = Buffer.from(unit, 'utf8');
  const headBytes = Buffer.from(head, 'utf8');
  const tailBytes = Buffer.from(tail, 'utf8');
  const deflatedUnit = deflateRawSync(unitBytes, flush);
  let crc = crc32(headBytes);
  for (let i = 0; i < count; i += 1) crc = crc32(unitBytes, crc);
  crc = crc32(tailBytes, crc);
  const pieces = [deflateRawSync(headBytes, flush), ...Array.from({ length: count }, () => deflatedUnit), deflateRawSync(tailBytes)];
  return { deflated: Buffer.concat(pieces), crc, size: headBytes.length + unitBytes.length * count + tailBytes.length };
}

const CONTENT_TYPES = '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>';
const ROOT_RELS = '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>';
const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';

/** A minimal workbook package with one sheet of the given kind whose part holds `sheetXml`. */
export function workbookParts(sheetXml: string | Buffer | Deflated, options: { kind?: 'worksheet' | 'macrosheet'; sheetPart?: Partial<ZipPart> } = {}): ZipPart[] {
  const kind = options.kind ?? 'worksheet';
  const folder = kind === 'worksheet' ? 'worksheets' : 'macrosheets';
  const workbook = `<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="${REL}"><sheets><sheet name="Data" sheetId="1" r:id="rId1"/></sheets></workbook>`;
  const rels = `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${REL}/${kind}" Target="${folder}/sheet1.xml"/></Relationships>`;
  return [
    { name: '[Content_Types].xml', data: CONTENT_TYPES },
    { name: '_rels/.rels', data: ROOT_RELS },
    { name: 'xl/workbook.xml', data: workbook },
    { name: 'xl/_rels/workbook.xml.rels', data: rels },
    { name: `xl/${folder}/sheet1.xml`, data: sheetXml, ...options.sheetPart },
  ];
}

/** Sheet XML around rows of `<c>` elements. */
export function sheetXml(rows: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>${rows}</sheetData></worksheet>`;
}
