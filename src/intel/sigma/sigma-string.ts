// A Sigma string value as literal text and wildcards, parsed with the spec's escaping rules: `\*` and `\?` are
// literal wildcards, `\\` is one backslash, and a backslash before any other character stays a backslash.

export type Piece = { readonly kind: 'text'; readonly text: string } | { readonly kind: 'any' } | { readonly kind: 'one' };

export type SigmaString = readonly Piece[];

const ESCAPE = '\\';

export function parseSigmaString(value: string): SigmaString {
  const pieces: Piece[] = [];
  let text = '';
  const flush = (): void => {
    if (text !== '') pieces.push({ kind: 'text', text });
    text = '';
  };
  for (let i = 0; i < value.length; i += 1) {
    const char = value.charAt(i);
    if (char === ESCAPE) {
      const next = value.charAt(i + 1);
      // Only the wildcards and the backslash itself can be escaped; otherwise the backslash is plain text.
      if (next === '*' || next === '?' || next === ESCAPE) {
        text += next;
        i += 1;
      } else {
        text += char;
      }
    } else if (char === '*') {
      flush();
      pieces.push({ kind: 'any' });
    } else if (char === '?') {
      flush();
      pieces.push({ kind: 'one' });
    } else {
      text += char;
    }
  }
  flush();
  return pieces;
}

/** A plain literal (no wildcards), e.g. an encoded value or a field value read without wildcard handling. */
export function literal(text: string): SigmaString {
  return text === '' ? [] : [{ kind: 'text', text }];
}

export function hasWildcards(value: SigmaString): boolean {
  return value.some((p) => p.kind !== 'text');
}

/** The text of a value without wildcards, or null when it has some. */
export function plainText(value: SigmaString): string | null {
  if (hasWildcards(value)) return null;
  return value.map((p) => (p.kind === 'text' ? p.text : '')).join('');
}

/** `contains`: wildcards around the value unless already there. */
export function surround(value: SigmaString, start: boolean, end: boolean): SigmaString {
  const out = [...value];
  if (start && out[0]?.kind !== 'any') out.unshift({ kind: 'any' });
  if (end && out[out.length - 1]?.kind !== 'any') out.push({ kind: 'any' });
  return out;
}

/** The characters `windash` treats as one: hyphen, slash, en dash, em dash, horizontal bar. */
export const WINDASH_CHARS = ['-', '/', '\u2013', '\u2014', '\u2015'] as const;

/**
 * Every variant of the value with each dash character replaced by each of the others (the spec's permutations).
 * Null when that would be more than `limit` variants.
 */
export function windashVariants(value: SigmaString, limit: number): SigmaString[] | null {
  let variants: Piece[][] = [[]];
  for (const piece of value) {
    if (piece.kind !== 'text') {
      variants = variants.map((v) => [...v, piece]);
      continue;
    }
    let texts = [''];
    for (const char of piece.text) {
      const options: readonly string[] = (WINDASH_CHARS as readonly string[]).includes(char) ? WINDASH_CHARS : [char];
      if (texts.length * options.length * variants.length > limit) return null;
      texts = texts.flatMap((t) => options.map((o) => t + o));
    }
    variants = variants.flatMap((v) => texts.map((t) => [...v, { kind: 'text', text: t } as const]));
  }
  return variants;
}
