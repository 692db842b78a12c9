// Quantile binning, built once per training set: each feature's values become bin numbers 0..255 (a Uint8Array per
// feature), so a tree tries at most 255 thresholds per feature and sums gradients into small histograms, the approach
// of LightGBM and scikit-learn's HistGradientBoosting. Bin 0 holds missing values (NaN); value bins start at 1.

/** At most 255 bins: bin 0 for missing values and up to 254 for values. */
export const MAX_BINS = 255;
/** Quantiles come from a sample this large; more rows change the edges very little and cost a sort. */
const BIN_SAMPLE = 200_000;

export interface BinEdges {
  /**
   * Per feature, ascending upper edges: a value v falls in bin 1 + (number of edges < v), so "bin <= t" means
   * "v <= edges[t - 1]", which is how trees store a split as a plain number threshold for prediction.
   */
  readonly edges: readonly Float64Array[];
}

export interface BinnedMatrix {
  readonly rows: number;
  readonly columns: readonly Uint8Array[];
  /** Bins in use per feature, including the missing bin. */
  readonly binCounts: Uint16Array;
}

/** Edges from the feature's non-missing values: every distinct value when there are few, else quantiles. */
export function fitBinEdges(columns: readonly Float32Array[], maxBins: number = MAX_BINS): BinEdges {
  const valueBins = Math.max(2, Math.min(MAX_BINS, maxBins) - 1);
  return { edges: columns.map((column) => featureEdges(column, valueBins)) };
}

function featureEdges(column: Float32Array, valueBins: number): Float64Array {
  const taken = Math.min(column.length, BIN_SAMPLE);
  const step = column.length / Math.max(1, taken);
  const values: number[] = [];
  for (let k = 0; k < taken; k += 1) {
    const v = column[Math.floor(k * step)] ?? Number.NaN;
    if (!Number.isNaN(v)) values.push(v);
  }
  if (values.length === 0) return new Float64Array(0);
  const sorted = Float64Array.from(values).sort();
  const distinct: number[] = [];
  for (const v of sorted) if (distinct.length === 0 || distinct[distinct.length - 1] !== v) distinct.push(v);
  // The last distinct value needs no edge: everything above the last edge falls in the last bin.
  if (distinct.length <= valueBins) return Float64Array.from(distinct.slice(0, -1));
  const edges: number[] = [];
  for (let q = 1; q < valueBins; q += 1) {
    const v = sorted[Math.min(sorted.length - 1, Math.floor((q * sorted.length) / valueBins))] ?? 0;
    if (edges.length === 0 || (edges[edges.length - 1] ?? 0) < v) edges.push(v);
  }
  // An edge equal to the maximum would leave an empty last bin.
  const max = sorted[sorted.length - 1] ?? 0;
  while (edges.length > 0 && (edges[edges.length - 1] ?? 0) >= max) edges.pop();
  return Float64Array.from(edges);
}

/** The bin of one value: 0 for missing, else 1 + the number of edges below it (binary search). */
export function binOf(edges: Float64Array, value: number): number {
  if (Number.isNaN(value)) return 0;
  let lo = 0;
  let hi = edges.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((edges[mid] ?? 0) < value) lo = mid + 1;
    else hi = mid;
  }
  return lo + 1;
}

export function applyBins(bins: BinEdges, columns: readonly Float32Array[]): BinnedMatrix {
  const rows = columns[0]?.length ?? 0;
  const binCounts = new Uint16Array(columns.length);
  const binned = columns.map((column, f) => {
    const edges = bins.edges[f] ?? new Float64Array(0);
    binCounts[f] = edges.length + 2;
    const out = new Uint8Array(rows);
    for (let r = 0; r < rows; r += 1) out[r] = binOf(edges, column[r] ?? Number.NaN);
    return out;
  });
  return { rows, columns: binned, binCounts };
}
