// ATT&CK technique ids as users and rules write them (`t1059.001`, `attack.t1059.001`), normalised to `T1059.001`.

/** A technique or sub-technique id, upper case: T1059 or T1059.001. */
export type TechniqueId = string & { readonly __brand: 'TechniqueId' };

const EXACT = /^T\d{4}(?:\.\d{3})?$/;
/** Word-bounded so `T1059001` or `XT1059` are not read as ids; bounded length by construction (no nested quantifiers). */
const IN_TEXT = /(?<![A-Za-z0-9])[Tt]\d{4}(?:\.\d{3})?(?![0-9.]*\d)/g;
/** Longest text searched for ids in one cell: ids sit in titles and command lines, not in megabyte blobs. */
export const MAX_TEXT_SCANNED = 65_536;

/** The canonical form of an id, or null when the text is not shaped like one. Accepts Sigma's `attack.` tag prefix. */
export function normaliseTechniqueId(text: string): TechniqueId | null {
  const trimmed = text.trim();
  const bare = trimmed.toLowerCase().startsWith('attack.') ? trimmed.slice('attack.'.length) : trimmed;
  const upper = bare.toUpperCase();
  return EXACT.test(upper) ? (upper as TechniqueId) : null;
}

/** Every id-shaped token in a text, upper case, in order of first appearance, without repeats; not checked against the catalogue. */
export function techniqueIdsInText(text: string): TechniqueId[] {
  const found = new Set<string>();
  for (const match of text.slice(0, MAX_TEXT_SCANNED).matchAll(IN_TEXT)) found.add(match[0].toUpperCase());
  return [...found] as TechniqueId[];
}

/** `T1059.001` -> `T1059`; a parent id is its own parent. */
export function parentTechniqueId(id: TechniqueId): TechniqueId {
  const dot = id.indexOf('.');
  return (dot === -1 ? id : id.slice(0, dot)) as TechniqueId;
}
