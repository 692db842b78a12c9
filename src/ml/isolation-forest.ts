// Isolation forest (Liu, Ting and Zhou, ICDM 2008): random trees on small subsamples isolate rare rows in few splits.
// A row's score is 2^(-E[h(x)] / c(psi)), in (0, 1): near 1 for anomalies, about 0.5 or less for ordinary rows.
// Values enter through a signed log, so a byte count of 10^9 does not crowd the random split points of a
// feature whose ordinary values are in the hundreds (splits are drawn uniformly between min and max).
import { CancelledError } from '../model/errors/cancelled-error.js';
import { Prng } from './prng.js';

export interface IsolationForestParams {
  readonly trees: number;
  readonly subsample: number;
  readonly seed: number;
}

export const DEFAULT_ISOLATION: IsolationForestParams = { trees: 100, subsample: 256, seed: 42 };

export interface IsolationTree {
  /** -1 for a leaf. */
  readonly feature: Int32Array;
  readonly threshold: Float64Array;
  readonly left: Int32Array;
  readonly right: Int32Array;
  /** At a leaf: the depth plus c(size), the expected remaining path of the rows it holds. */
  readonly pathLength: Float64Array;
}

export interface IsolationForest {
  readonly featureCount: number;
  readonly subsample: number;
  readonly trees: readonly IsolationTree[];
}

const EULER = 0.5772156649;

/** c(n): the average path length of an unsuccessful search in a binary search tree of n nodes. */
export function averagePathLength(n: number): number {
  if (n <= 1) return 0;
  if (n === 2) return 1;
  return 2 * (Math.log(n - 1) + EULER) - (2 * (n - 1)) / n;
}

/** The value a tree sees: missing becomes a value below every real one, the rest goes through a signed log. */
function scaled(v: number): number {
  if (Number.isNaN(v)) return -1e9;
  return v >= 0 ? Math.log1p(v) : -Math.log1p(-v);
}

export function trainIsolationForest(columns: readonly Float32Array[], params: IsolationForestParams = DEFAULT_ISOLATION, signal?: AbortSignal): IsolationForest {
  const n = columns[0]?.length ?? 0;
  const rng = new Prng(params.seed);
  const psi = Math.min(params.subsample, n);
  const maxDepth = Math.ceil(Math.log2(Math.max(2, psi)));
  // Scaled once for all trees (a plain loop: TypedArray.from with a map function takes V8's slow iterator path).
  const values = columns.map((c) => {
    const out = new Float64Array(n);
    for (let i = 0; i < n; i += 1) out[i] = scaled(c[i] ?? Number.NaN);
    return out;
  });
  const trees: IsolationTree[] = [];
  for (let t = 0; t < params.trees; t += 1) {
    if (signal?.aborted === true) throw new CancelledError();
    trees.push(buildTree(values, rng.sample(n, psi), maxDepth, rng));
  }
  return { featureCount: columns.length, subsample: psi, trees };
}

/** One tree over the sampled rows (`index` holds row numbers and is partitioned in place). */
function buildTree(values: readonly Float64Array[], index: Uint32Array, maxDepth: number, rng: Prng): IsolationTree {
  const nodes = { feature: [] as number[], threshold: [] as number[], left: [] as number[], right: [] as number[], path: [] as number[] };
  const grow = (start: number, end: number, depth: number): number => {
    const node = nodes.feature.length;
    nodes.feature.push(-1);
    nodes.threshold.push(0);
    nodes.left.push(-1);
    nodes.right.push(-1);
    nodes.path.push(depth + averagePathLength(end - start));
    if (end - start <= 1 || depth >= maxDepth) return node;
    // Features in random order until one varies among the node's rows (as scikit-learn's extra-tree splitter does):
    // the first varying one is a uniform pick among all varying features, found without scanning every feature.
    let chosen: { f: number; min: number; max: number } | null = null;
    for (const f of rng.sample(values.length, values.length)) {
      const column = values[f] ?? new Float64Array(0);
      let min = Number.POSITIVE_INFINITY;
      let max = Number.NEGATIVE_INFINITY;
      for (let i = start; i < end; i += 1) {
        const v = column[index[i] ?? 0] ?? 0;
        if (v < min) min = v;
        if (v > max) max = v;
      }
      if (max > min) {
        chosen = { f, min, max };
        break;
      }
    }
    if (chosen === null) return node;
    const threshold = chosen.min + rng.next() * (chosen.max - chosen.min);
    const column = values[chosen.f] ?? new Float64Array(0);
    let lo = start;
    let hi = end - 1;
    while (lo <= hi) {
      const r = index[lo] ?? 0;
      if ((column[r] ?? 0) < threshold) lo += 1;
      else {
        index[lo] = index[hi] ?? 0;
        index[hi] = r;
        hi -= 1;
      }
    }
    nodes.feature[node] = chosen.f;
    nodes.threshold[node] = threshold;
    nodes.left[node] = grow(start, lo, depth + 1);
    nodes.right[node] = grow(lo, end, depth + 1);
    return node;
  };
  grow(0, index.length, 0);
  return {
    feature: Int32Array.from(nodes.feature),
    threshold: Float64Array.from(nodes.threshold),
    left: Int32Array.from(nodes.left),
    right: Int32Array.from(nodes.right),
    pathLength: Float64Array.from(nodes.path),
  };
}

/** Anomaly score per row, in (0, 1]. */
export function isolationScores(forest: IsolationForest, columns: readonly Float32Array[]): Float64Array {
  const n = columns[0]?.length ?? 0;
  const scores = new Float64Array(n);
  const norm = averagePathLength(forest.subsample);
  const row = new Float64Array(columns.length);
  for (let r = 0; r < n; r += 1) {
    for (let f = 0; f < columns.length; f += 1) row[f] = scaled(columns[f]?.[r] ?? Number.NaN);
    let total = 0;
    for (const tree of forest.trees) {
      let node = 0;
      for (;;) {
        const f = tree.feature[node] ?? -1;
        if (f < 0) break;
        node = (row[f] ?? 0) < (tree.threshold[node] ?? 0) ? (tree.left[node] ?? 0) : (tree.right[node] ?? 0);
      }
      total += tree.pathLength[node] ?? 0;
    }
    const mean = total / Math.max(1, forest.trees.length);
    scores[r] = norm === 0 ? 0.5 : 2 ** (-mean / norm);
  }
  return scores;
}
