// Grows one regression tree on gradients over binned features, leaf-wise (best gain first, as LightGBM does) with
// limits on leaves, depth and leaf size, L2 regularisation of leaf values, and histogram subtraction: only the
// smaller child's histogram is summed from rows, the larger one's is the parent's minus it.
import type { BinEdges, BinnedMatrix } from './binning.js';
import type { Prng } from './prng.js';
import type { Tree } from './tree.js';

export interface TreeParams {
  readonly maxLeaves: number;
  readonly maxDepth: number;
  readonly minSamplesLeaf: number;
  /** Minimum sum of hessians in a leaf (LightGBM's min_sum_hessian_in_leaf). */
  readonly minHessianLeaf: number;
  /** L2 penalty on leaf values. */
  readonly lambda: number;
  readonly minGain: number;
  /** Share of features a tree may split on, drawn per tree. */
  readonly featureFraction: number;
}

export interface GrowInput {
  readonly binned: BinnedMatrix;
  readonly edges: BinEdges;
  readonly gradients: Float32Array;
  readonly hessians: Float32Array;
  /** The rows this tree learns from (all rows, or a bagged sample). */
  readonly rows: Uint32Array;
  readonly rng: Prng;
}

const STRIDE = 256;

interface Split {
  readonly feature: number;
  readonly bin: number;
  readonly gain: number;
}

interface Leaf {
  readonly start: number;
  readonly end: number;
  readonly depth: number;
  readonly node: number;
  readonly sumG: number;
  readonly sumH: number;
  /** Gradient sums, hessian sums and row counts per (feature, bin), at feature * 256 + bin. */
  hist: Histogram;
  best: Split | null;
}

interface Histogram {
  readonly g: Float64Array;
  readonly h: Float64Array;
  readonly n: Float64Array;
}

/** Histogram buffers are large (features x 256 bins); a small pool avoids allocating one per split. */
class HistogramPool {
  readonly #free: Histogram[] = [];
  constructor(readonly features: number) {}

  take(): Histogram {
    const buffers = this.#free.pop();
    if (buffers === undefined) {
      const size = this.features * STRIDE;
      return { g: new Float64Array(size), h: new Float64Array(size), n: new Float64Array(size) };
    }
    buffers.g.fill(0);
    buffers.h.fill(0);
    buffers.n.fill(0);
    return buffers;
  }

  give(buffers: Histogram): void {
    this.#free.push(buffers);
  }
}

export class TreeGrower {
  readonly #pool: HistogramPool;
  readonly #index: Uint32Array;
  readonly #orderedG: Float64Array;
  readonly #orderedH: Float64Array;
  /** Per feature: its most common bin, and the rows not in it when they are few (else null: the feature is dense). */
  readonly #sparse: ({ readonly common: number; readonly rows: Uint32Array } | null)[];
  /** Which rows belong to the leaf being summed: rows whose mark equals the current stamp (no clearing between leaves). */
  readonly #mark: Uint32Array;
  #stamp = 0;

  constructor(
    readonly input: Omit<GrowInput, 'gradients' | 'hessians' | 'rows' | 'rng'>,
    readonly params: TreeParams,
  ) {
    this.#pool = new HistogramPool(input.binned.columns.length);
    this.#index = new Uint32Array(input.binned.rows);
    this.#orderedG = new Float64Array(input.binned.rows);
    this.#orderedH = new Float64Array(input.binned.rows);
    this.#mark = new Uint32Array(input.binned.rows);
    this.#sparse = input.binned.columns.map(sparseRows);
  }

  grow(gradients: Float32Array, hessians: Float32Array, rows: Uint32Array, rng: Prng): Tree {
    const { binned, edges } = this.input;
    const params = this.params;
    const featureCount = binned.columns.length;
    const allowed = chooseFeatures(featureCount, params.featureFraction, rng);
    const index = this.#index;
    index.set(rows);
    const nodes = { feature: [] as number[], threshold: [] as number[], bin: [] as number[], left: [] as number[], right: [] as number[], value: [] as number[] };
    const addNode = (): number => {
      nodes.feature.push(-1);
      nodes.threshold.push(0);
      nodes.bin.push(0);
      nodes.left.push(-1);
      nodes.right.push(-1);
      nodes.value.push(0);
      return nodes.feature.length - 1;
    };

    // Typed-array reads below use `as number`: every index is in bounds by construction (rows < n, bins < 256), and
    // the histogram loop is the hot path of training.
    const orderedG = this.#orderedG;
    const orderedH = this.#orderedH;
    const buildHistogram = (start: number, end: number): { hist: Histogram; sumG: number; sumH: number } => {
      const hist = this.#pool.take();
      const { g, h, n } = hist;
      // Gradients gathered once in the leaf's row order (LightGBM's ordered gradients): the per-feature loops then
      // read them sequentially.
      let sumG = 0;
      let sumH = 0;
      this.#stamp += 1;
      const stamp = this.#stamp;
      const mark = this.#mark;
      for (let i = start; i < end; i += 1) {
        const r = index[i] as number;
        const gi = gradients[r] as number;
        const hi = hessians[r] as number;
        orderedG[i - start] = gi;
        orderedH[i - start] = hi;
        mark[r] = stamp;
        sumG += gi;
        sumH += hi;
      }
      const size = end - start;
      for (const f of allowed) {
        const column = binned.columns[f] as Uint8Array;
        const offset = f * STRIDE;
        const sparse = this.#sparse[f];
        if (sparse !== null && sparse !== undefined && sparse.rows.length < size) {
          // Most rows of this feature sit in one bin (zero counts, zero rates): sum the few others, and give the
          // common bin the leaf's totals minus them. Exact, and it reads far fewer rows than the leaf holds.
          let otherG = 0;
          let otherH = 0;
          let otherN = 0;
          for (const r of sparse.rows) {
            if (mark[r] !== stamp) continue;
            const b = offset + (column[r] as number);
            const gr = gradients[r] as number;
            const hr = hessians[r] as number;
            g[b] = (g[b] as number) + gr;
            h[b] = (h[b] as number) + hr;
            n[b] = (n[b] as number) + 1;
            otherG += gr;
            otherH += hr;
            otherN += 1;
          }
          const common = offset + sparse.common;
          g[common] = sumG - otherG;
          h[common] = sumH - otherH;
          n[common] = size - otherN;
          continue;
        }
        for (let i = start, j = 0; i < end; i += 1, j += 1) {
          const b = offset + (column[index[i] as number] as number);
          g[b] = (g[b] as number) + (orderedG[j] as number);
          h[b] = (h[b] as number) + (orderedH[j] as number);
          n[b] = (n[b] as number) + 1;
        }
      }
      return { hist, sumG, sumH };
    };

    const bestSplit = (leaf: Leaf): Split | null => {
      const count = leaf.end - leaf.start;
      if (leaf.depth >= params.maxDepth || count < 2 * params.minSamplesLeaf) return null;
      const lambda = params.lambda;
      const parentScore = (leaf.sumG * leaf.sumG) / (leaf.sumH + lambda);
      let best: Split | null = null;
      for (const f of allowed) {
        const bins = binned.binCounts[f] ?? 0;
        const offset = f * STRIDE;
        let gl = 0;
        let hl = 0;
        let cl = 0;
        for (let b = 0; b < bins - 1; b += 1) {
          const k = offset + b;
          gl += leaf.hist.g[k] as number;
          hl += leaf.hist.h[k] as number;
          cl += leaf.hist.n[k] as number;
          if (cl < params.minSamplesLeaf || hl < params.minHessianLeaf) continue;
          const cr = count - cl;
          if (cr < params.minSamplesLeaf) break;
          const gr = leaf.sumG - gl;
          const hr = leaf.sumH - hl;
          if (hr < params.minHessianLeaf) continue;
          const gain = 0.5 * ((gl * gl) / (hl + lambda) + (gr * gr) / (hr + lambda) - parentScore);
          if (gain > params.minGain && (best === null || gain > best.gain)) best = { feature: f, bin: b, gain };
        }
      }
      return best;
    };

    const root = buildHistogram(0, rows.length);
    const leaves: Leaf[] = [];
    const rootLeaf: Leaf = { start: 0, end: rows.length, depth: 0, node: addNode(), sumG: root.sumG, sumH: root.sumH, hist: root.hist, best: null };
    rootLeaf.best = bestSplit(rootLeaf);
    leaves.push(rootLeaf);
    const finished: Leaf[] = [];

    while (leaves.length + finished.length < params.maxLeaves) {
      let pick = -1;
      for (let i = 0; i < leaves.length; i += 1) {
        const gain = leaves[i]?.best?.gain ?? -1;
        if (gain > 0 && (pick < 0 || gain > (leaves[pick]?.best?.gain ?? -1))) pick = i;
      }
      if (pick < 0) break;
      const leaf = leaves[pick];
      const split = leaf?.best;
      if (leaf === undefined || split === undefined || split === null) break;
      leaves.splice(pick, 1);
      // Partition the leaf's rows in place: bins <= split.bin to the front.
      const column = binned.columns[split.feature] ?? new Uint8Array(0);
      let lo = leaf.start;
      let hi = leaf.end - 1;
      while (lo <= hi) {
        const r = index[lo] ?? 0;
        if ((column[r] ?? 0) <= split.bin) lo += 1;
        else {
          index[lo] = index[hi] ?? 0;
          index[hi] = r;
          hi -= 1;
        }
      }
      const middle = lo;
      const node = leaf.node;
      nodes.feature[node] = split.feature;
      nodes.bin[node] = split.bin;
      const featureEdges = edges.edges[split.feature];
      nodes.threshold[node] = split.bin === 0 ? Number.NEGATIVE_INFINITY : (featureEdges?.[split.bin - 1] ?? 0);
      const leftNode = addNode();
      const rightNode = addNode();
      nodes.left[node] = leftNode;
      nodes.right[node] = rightNode;

      const leftSmaller = middle - leaf.start <= leaf.end - middle;
      const small = leftSmaller ? buildHistogram(leaf.start, middle) : buildHistogram(middle, leaf.end);
      // The larger child's histogram: the parent's, minus the smaller child's, in the parent's buffers.
      const big = { hist: leaf.hist, sumG: leaf.sumG - small.sumG, sumH: leaf.sumH - small.sumH };
      for (const f of allowed) {
        const from = f * STRIDE;
        const to = from + (binned.binCounts[f] ?? 0);
        for (let k = from; k < to; k += 1) {
          big.hist.g[k] = (big.hist.g[k] as number) - (small.hist.g[k] as number);
          big.hist.h[k] = (big.hist.h[k] as number) - (small.hist.h[k] as number);
          big.hist.n[k] = (big.hist.n[k] as number) - (small.hist.n[k] as number);
        }
      }
      const leftHist = leftSmaller ? small : big;
      const rightHist = leftSmaller ? big : small;
      const depth = leaf.depth + 1;
      const left: Leaf = { start: leaf.start, end: middle, depth, node: leftNode, sumG: leftHist.sumG, sumH: leftHist.sumH, hist: leftHist.hist, best: null };
      const right: Leaf = { start: middle, end: leaf.end, depth, node: rightNode, sumG: rightHist.sumG, sumH: rightHist.sumH, hist: rightHist.hist, best: null };
      for (const child of [left, right]) {
        child.best = bestSplit(child);
        if (child.best === null) {
          finished.push(child);
          this.#pool.give(child.hist);
        } else leaves.push(child);
      }
    }
    for (const leaf of [...leaves, ...finished]) {
      nodes.value[leaf.node] = -leaf.sumG / (leaf.sumH + params.lambda);
      if (leaves.includes(leaf)) this.#pool.give(leaf.hist);
    }
    return {
      feature: Int32Array.from(nodes.feature),
      threshold: Float64Array.from(nodes.threshold),
      binThreshold: Uint8Array.from(nodes.bin),
      left: Int32Array.from(nodes.left),
      right: Int32Array.from(nodes.right),
      value: Float64Array.from(nodes.value),
    };
  }
}

function chooseFeatures(count: number, fraction: number, rng: Prng): number[] {
  if (fraction >= 1) return Array.from({ length: count }, (_, i) => i);
  const take = Math.max(1, Math.round(count * fraction));
  return Array.from(rng.sample(count, take)).sort((a, b) => a - b);
}

/** The rows outside a feature's most common bin, when they are under a third of all rows; null for dense features. */
function sparseRows(column: Uint8Array): { readonly common: number; readonly rows: Uint32Array } | null {
  const counts = new Uint32Array(256);
  for (const b of column) counts[b] = (counts[b] as number) + 1;
  let common = 0;
  for (let b = 1; b < 256; b += 1) if ((counts[b] as number) > (counts[common] as number)) common = b;
  const others = column.length - (counts[common] as number);
  if (others * 3 >= column.length) return null;
  const rows = new Uint32Array(others);
  let k = 0;
  column.forEach((b, r) => {
    if (b !== common) {
      rows[k] = r;
      k += 1;
    }
  });
  return { common, rows };
}

