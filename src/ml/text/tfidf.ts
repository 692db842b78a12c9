// TF-IDF vectors as scikit-learn's TfidfVectorizer makes them by default: smooth idf = ln((1 + n) / (1 + df)) + 1,
// raw term counts times idf, each row scaled to unit length; the vocabulary keeps the most frequent terms.
import { tokenize, type TokenizeOptions } from './tokenize.js';

export interface TfidfModel {
  readonly terms: readonly string[];
  readonly idf: Float64Array;
  readonly tokenize: TokenizeOptions;
}

export interface SparseRow {
  readonly indices: Int32Array;
  readonly values: Float64Array;
}

export function fitTfidf(texts: readonly string[], options: { readonly tokenize: TokenizeOptions; readonly maxTerms: number; readonly minDf: number }): TfidfModel {
  const df = new Map<string, number>();
  for (const text of texts) {
    for (const term of new Set(tokenize(text, options.tokenize))) df.set(term, (df.get(term) ?? 0) + 1);
  }
  const kept = [...df.entries()]
    .filter(([, count]) => count >= options.minDf)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, options.maxTerms);
  const n = texts.length;
  return { terms: kept.map(([term]) => term), idf: Float64Array.from(kept, ([, count]) => Math.log((1 + n) / (1 + count)) + 1), tokenize: options.tokenize };
}

/** A term -> column map for transforming many rows (a Map: terms are user text, never object keys). */
export function termIndex(model: TfidfModel): Map<string, number> {
  return new Map(model.terms.map((term, i) => [term, i]));
}

export function tfidfRow(model: TfidfModel, index: Map<string, number>, text: string): SparseRow {
  const counts = new Map<number, number>();
  for (const term of tokenize(text, model.tokenize)) {
    const column = index.get(term);
    if (column !== undefined) counts.set(column, (counts.get(column) ?? 0) + 1);
  }
  const indices = Int32Array.from([...counts.keys()].sort((a, b) => a - b));
  const values = Float64Array.from(indices, (i) => (counts.get(i) ?? 0) * (model.idf[i] ?? 0));
  let norm = 0;
  for (const v of values) norm += v * v;
  norm = Math.sqrt(norm);
  if (norm > 0) for (let i = 0; i < values.length; i += 1) values[i] = (values[i] ?? 0) / norm;
  return { indices, values };
}
