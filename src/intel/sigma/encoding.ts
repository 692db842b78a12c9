// The encoding modifiers: utf16 variants turn text into bytes, base64 and base64offset turn bytes into the text that
// appears in encoded command lines (the three shifted forms of base64offset as pySigma computes them).

export type TextEncoding = 'utf8' | 'utf16le' | 'utf16be' | 'utf16';

export function encodeText(text: string, encoding: TextEncoding): Buffer {
  switch (encoding) {
    case 'utf8':
      return Buffer.from(text, 'utf8');
    case 'utf16le':
      return Buffer.from(text, 'utf16le');
    case 'utf16be':
      return Buffer.from(text, 'utf16le').swap16();
    case 'utf16':
      return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
  }
}

export function base64(bytes: Buffer): string {
  return bytes.toString('base64');
}

/** The stable middle of the value's base64 form at each of the three byte offsets it can start at. */
export function base64Offsets(bytes: Buffer): string[] {
  const starts = [0, 2, 3];
  const ends = [0, 3, 2];
  const out: string[] = [];
  for (let shift = 0; shift < 3; shift += 1) {
    const encoded = Buffer.concat([Buffer.alloc(shift, 0x20), bytes]).toString('base64');
    const cut = ends[(bytes.length + shift) % 3] ?? 0;
    out.push(encoded.slice(starts[shift] ?? 0, cut === 0 ? undefined : encoded.length - cut));
  }
  return out;
}
