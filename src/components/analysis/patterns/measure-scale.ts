// Whether measure values are judged on a log scale: only when they are skewed to the right the way byte counts and
// durations are, so that log1p makes them materially more symmetric. The skewness is Kelly's, from the deciles
// ((P90 + P10 - 2 P50) / (P90 - P10), 0 for a symmetric spread, at most 1): a handful of extreme values, the very
// outliers being looked for, cannot move it, where the moment skewness of a uniform column with one huge transfer is
// in the hundreds. Measured (test/components/analysis/patterns-benign-outliers.test.ts): sizes uniform in
// 300-5,000 have 0 raw and -0.39 on the log scale (the log would stretch their small end: a value of 481 scored -5.1
// against its host's median); log-normal transfers (sigma 0.35) 0.22 raw and 0 on the log scale; exponential
// durations 0.46 raw and -0.22 on the log scale.

/**
 * How much closer to symmetric the log must bring the values before it is used. Deciles of a few dozen values are
 * noisy: in a simulation of 2,000 draws, 60 values uniform in 300-5,000 passed a margin of 0 one time in 12 and this
 * one in 25, and none of the medians over 10 such hosts did (outliers.ts judges entities by that median).
 */
export const MIN_SKEW_REDUCTION = 0.1;

/** SQL for the deciles the rule reads, as one list [P10, P50, P90], given SQL for a value. */
export function decilesSql(value: string): string {
  return `quantile_cont(CAST(${value} AS DOUBLE), [0.1, 0.5, 0.9])`;
}

/** SQL for Kelly's skewness of three deciles (SQL each); NULL when the middle 80% of the values are one value. */
export function kellySkewnessSql(p10: string, p50: string, p90: string): string {
  return `((${p90}) + (${p10}) - 2 * (${p50})) / nullif((${p90}) - (${p10}), 0)`;
}

/**
 * SQL for the skewness of values on the raw and on the log scale, given SQL for their deciles (a list as decilesSql
 * gives). The log scale's is NULL when the 10th percentile is negative (no log is taken of those values).
 */
export function skewnessSql(deciles: string): { raw: string; logged: string } {
  const [p10, p50, p90] = [1, 2, 3].map((i) => `(${deciles})[${i}]`) as [string, string, string];
  const log = (p: string): string => `CASE WHEN ${p10} >= 0 THEN ln(1 + ${p}) END`;
  return { raw: kellySkewnessSql(p10, p50, p90), logged: kellySkewnessSql(log(p10), log(p50), log(p90)) };
}

/** True when values skewed this much (Kelly's, raw and on the log scale) are more symmetric on the log scale by the margin. */
export function logReducesSkew(raw: number | null, logged: number | null): boolean {
  if (raw === null || logged === null || !Number.isFinite(raw) || !Number.isFinite(logged)) return false;
  return raw - Math.abs(logged) >= MIN_SKEW_REDUCTION;
}
