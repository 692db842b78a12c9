// A small seeded PRNG (mulberry32): models and folds must come out the same for the same seed on every machine,
// which Math.random cannot promise.

export class Prng {
  #state: number;

  constructor(seed: number) {
    this.#state = seed >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    this.#state = (this.#state + 0x6d2b79f5) >>> 0;
    let t = this.#state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Shuffles in place (Fisher-Yates). */
  shuffle(items: Uint32Array): Uint32Array {
    for (let i = items.length - 1; i > 0; i -= 1) {
      const j = this.int(i + 1);
      const swap = items[i] ?? 0;
      items[i] = items[j] ?? 0;
      items[j] = swap;
    }
    return items;
  }

  /** `count` distinct indices out of [0, n), in random order (all of them when count >= n). */
  sample(n: number, count: number): Uint32Array {
    if (count * 8 < n) {
      // Few of many (an isolation tree's 256 rows of a million): draw and reject repeats, without an n-sized array.
      const seen = new Set<number>();
      const out = new Uint32Array(count);
      while (seen.size < count) {
        const i = this.int(n);
        if (seen.has(i)) continue;
        out[seen.size] = i;
        seen.add(i);
      }
      return out;
    }
    const all = new Uint32Array(n);
    for (let i = 0; i < n; i += 1) all[i] = i;
    const take = Math.min(n, count);
    // A partial Fisher-Yates: only the first `take` positions are drawn.
    for (let i = 0; i < take; i += 1) {
      const j = i + this.int(n - i);
      const swap = all[i] ?? 0;
      all[i] = all[j] ?? 0;
      all[j] = swap;
    }
    return all.slice(0, take);
  }
}
