// Labels as class numbers: classes sorted by name (stable across runs), -1 for rows without a label (those are the
// rows a supervised model predicts).

export interface EncodedLabels {
  readonly classes: readonly string[];
  /** Class index per row, -1 when the row has no label. */
  readonly codes: Int32Array;
}

/** A label is empty when missing or blank. */
export function isEmptyLabel(value: string | null): boolean {
  return value === null || value.trim() === '';
}

export function encodeLabels(values: readonly (string | null)[], classes?: readonly string[]): EncodedLabels {
  const known = classes ?? [...new Set(values.filter((v): v is string => !isEmptyLabel(v)).map((v) => v.trim()))].sort();
  const index = new Map(known.map((c, i) => [c, i]));
  const codes = Int32Array.from(values, (v) => (v === null ? -1 : (index.get(v.trim()) ?? -1)));
  return { classes: known, codes };
}
