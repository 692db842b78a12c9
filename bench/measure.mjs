// Timing helpers for the benchmarks: repeated, interleaved runs and medians, because these machines are noisy.

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Runs each case `rounds` times, alternating between cases so drift in machine load hits them alike. */
export async function interleaved(cases, rounds) {
  const times = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
  for (let r = 0; r < rounds; r += 1) {
    for (const [name, run] of Object.entries(cases)) {
      globalThis.gc?.();
      const started = performance.now();
      await run();
      times[name].push(performance.now() - started);
    }
  }
  return Object.fromEntries(Object.entries(times).map(([k, v]) => [k, { median: median(v), runs: v }]));
}

export function ms(value) {
  return value < 1000 ? `${value.toFixed(0)} ms` : `${(value / 1000).toFixed(2)} s`;
}

/**
 * Runs a benchmark when its file is the one node was started with (`node --expose-gc bench/NAME.mjs [rows]`), and
 * prints its result; imported by bench/run.mjs, it does nothing.
 */
export async function runAlone(moduleUrl, bench) {
  if (moduleUrl !== `file://${process.argv[1]}`) return;
  const result = await bench({ rows: Number(process.argv[2] ?? 0) || 1_000_000 });
  console.log(result.print());
}
