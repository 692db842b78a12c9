// The windows port and web scans are counted in: `scan_window_minutes` long, one starting every half window, so that a
// scan shorter than half a window is seen whole in one of them wherever the clock's boundaries fall (consecutive
// windows alone split 60 ports in 60 s from 09:09:30 into 30 + 30, and found nothing). Window k covers halves k and
// k + 1 (a half is numbered from the epoch), so the windows of the consecutive grid are the even ones.
// A detector works in three passes, each in SQL:
// 1. one grouped pass over the table: its measures per source and half (HyperLogLog distinct counts, sums);
// 2. candidateWindowsSql: the windows whose two halves' measures add up past a screen (a sum of distinct counts can
//    only overstate the window's, so no scan is lost);
// 3. its exact counts over the candidates' rows (windowHalvesSql); then assignedHalvesSql gives each half of the
//    flagged windows to one of them, the stronger (the even one, the consecutive grid's, on a tie), so that every row
//    is flagged, counted and explained once.

export interface ScanWindows {
  /** Half a window in microseconds. */
  readonly half: number;
  /** SQL for the half a time (SQL for a timestamp) falls in. */
  halfOf(time: string): string;
  /** SQL for the start of window `k` (SQL), in microseconds since the epoch. */
  startMicros(k: string): string;
}

export function scanWindows(minutes: number): ScanWindows {
  // Microseconds, integer literals: a window of 0.1 minutes is 6,000,000 us, its half 3,000,000.
  const half = Math.max(1, Math.round((minutes * 60_000_000) / 2));
  return {
    half,
    halfOf: (time) => `epoch_us(${time}) // ${half}`,
    startMicros: (k) => `(${k}) * ${half}`,
  };
}

/**
 * SQL for the candidate windows `(src, k)` of a table of halves `(src, h, <measures>)`: each measure summed over the
 * window's two halves (a missing second half counts 0), kept where `screen` (SQL over the measure names) holds.
 * Only the sources with a half where `halfScreen` holds are summed: a sum can pass the screen only if one of its
 * halves holds at least half of it, so `halfScreen` asks half of what `screen` asks; summing every source's halves
 * (a self-join) cost a sixth of the grouping pass on 1M rows, the semi-join a hundredth. Windows starting in an empty
 * half are not listed: the window starting at its next half holds all their rows.
 */
export function candidateWindowsSql(halves: string, measures: readonly string[], screen: string, halfScreen: string): string {
  const next = (m: string): string => `CASE WHEN lead(h) OVER w = h + 1 THEN lead("${m}") OVER w ELSE 0 END`;
  const sums = measures.map((m) => `"${m}" + ${next(m)} AS "${m}"`).join(', ');
  return `SELECT src, k FROM (
            SELECT src, h AS k, ${sums}
            FROM ${halves} WHERE src IN (SELECT src FROM ${halves} WHERE ${halfScreen})
            WINDOW w AS (PARTITION BY src ORDER BY h))
          WHERE ${screen}`;
}

/** SQL listing each window of a table `(src, k, ...)` once per half it covers: `(src, k, h, ...)`, for equi-joins on the half. */
export function windowHalvesSql(windows: string): string {
  return `SELECT *, k AS h FROM ${windows} UNION ALL SELECT *, k + 1 AS h FROM ${windows}`;
}

/**
 * SQL for `(src, h, k)`: each half `h` of a source's flagged windows (a table `(src, k, ...)`) with the one window `k`
 * its rows are reported in: of the two windows that cover a half, the one that went further past its threshold
 * (`strength`, SQL over the table's columns), the even one on a tie. A scan of 200 ports from 09:09:30 is then
 * reported whole in the 09:05 window, not as 100 + 100 in the 09:00 and 09:10 ones.
 */
export function assignedHalvesSql(windows: string, strength: string): string {
  return `SELECT src, h, k FROM (${windowHalvesSql(windows)}) QUALIFY row_number() OVER (PARTITION BY src, h ORDER BY ${strength} DESC, k % 2 <> 0, k) = 1`;
}
