// A fitted decision tree as flat arrays (the layout of scikit-learn's tree_): node i is a leaf when feature[i] < 0,
// else rows with value <= threshold[i] (and missing values) go to left[i], the others to right[i].

export interface Tree {
  readonly feature: Int32Array;
  readonly threshold: Float64Array;
  /** The split as a bin number, for walking the binned training matrix without comparing floats. */
  readonly binThreshold: Uint8Array;
  readonly left: Int32Array;
  readonly right: Int32Array;
  /** A leaf's output (a gradient step for boosting, a class share for forests); 0 for inner nodes. */
  readonly value: Float64Array;
}

/** The leaf value for one row of a column-major matrix of raw values (NaN = missing, goes left). */
export function treeValue(tree: Tree, columns: readonly Float32Array[], row: number): number {
  let node = 0;
  for (;;) {
    const f = tree.feature[node] ?? -1;
    if (f < 0) return tree.value[node] ?? 0;
    const v = columns[f]?.[row] ?? Number.NaN;
    // `!(v > t)` sends NaN left, as the missing bin 0 is always on the left while training.
    node = !(v > (tree.threshold[node] ?? 0)) ? (tree.left[node] ?? 0) : (tree.right[node] ?? 0);
  }
}

/** The same walk over binned columns, used while training (bins and thresholds agree by construction). */
export function treeValueBinned(tree: Tree, columns: readonly Uint8Array[], row: number): number {
  let node = 0;
  for (;;) {
    const f = tree.feature[node] ?? -1;
    if (f < 0) return tree.value[node] ?? 0;
    const b = columns[f]?.[row] ?? 0;
    node = b <= (tree.binThreshold[node] ?? 0) ? (tree.left[node] ?? 0) : (tree.right[node] ?? 0);
  }
}

/** Plain arrays for JSON; numbers survive JSON exactly (shortest round-trip form), so a reloaded tree predicts identically. */
export interface TreeJson {
  readonly feature: number[];
  readonly threshold: (number | null)[];
  readonly binThreshold: number[];
  readonly left: number[];
  readonly right: number[];
  readonly value: number[];
}

export function treeToJson(tree: Tree): TreeJson {
  return {
    feature: Array.from(tree.feature),
    // -Infinity (the "missing versus the rest" split) is not JSON: null stands for it.
    threshold: Array.from(tree.threshold, (t) => (Number.isFinite(t) ? t : null)),
    binThreshold: Array.from(tree.binThreshold),
    left: Array.from(tree.left),
    right: Array.from(tree.right),
    value: Array.from(tree.value),
  };
}

export function treeFromJson(json: TreeJson): Tree {
  const n = json.feature.length;
  for (const list of [json.threshold, json.binThreshold, json.left, json.right, json.value]) {
    if (list.length !== n) throw new Error('tree arrays differ in length');
  }
  const tree: Tree = {
    feature: Int32Array.from(json.feature),
    threshold: Float64Array.from(json.threshold, (t) => (t === null ? Number.NEGATIVE_INFINITY : t)),
    binThreshold: Uint8Array.from(json.binThreshold),
    left: Int32Array.from(json.left),
    right: Int32Array.from(json.right),
    value: Float64Array.from(json.value),
  };
  // A hostile file could make a walk loop forever: children must point forward, inside the tree.
  for (let i = 0; i < n; i += 1) {
    if ((tree.feature[i] ?? -1) < 0) continue;
    const l = tree.left[i] ?? -1;
    const r = tree.right[i] ?? -1;
    if (l <= i || r <= i || l >= n || r >= n) throw new Error(`tree node ${i} has children outside the tree`);
  }
  return tree;
}
