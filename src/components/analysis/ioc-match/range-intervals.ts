// CIDR ranges flattened into disjoint intervals, each with the list of ranges that cover it, so a data address finds
// every range it falls in with one ASOF join (the last interval starting at or below it) and one bound check. Ranges
// nest (a /16 and a /24 inside it) but never cross, so without flattening the last-starting range could be a nested
// one that misses the address while the outer one holds it.
import { quoteIdent } from '../../../data/sql-text.js';
import type { SqlSession } from '../../../data/sql-session.js';

export interface RangeSource {
  /** SELECT of (value, bits, lo, hi): the indicator text, its prefix length, its first and last address as numbers of `numberType`. */
  readonly ranges: string;
  /** UBIGINT for IPv4 (room for the last address + 1), UHUGEINT for IPv6. */
  readonly numberType: 'UBIGINT' | 'UHUGEINT';
  /** 32 or 128. */
  readonly addressBits: 32 | 128;
  /** The highest address: an interval ending there has no next boundary. */
  readonly maxAddress: string;
}

/**
 * Creates `table` (lo, hi, indicator_values VARCHAR[]): the boundaries of every range cut the address space into
 * pieces; each piece covered by at least one range is kept with the sorted list of those ranges. A piece lies wholly
 * inside or outside each range, and the ranges of one prefix length never overlap, so the range of length b over a
 * piece is the one whose network is the piece's start masked to b bits: an equality join per length present, where
 * the inequality join it replaces took 7 s on 10k nested ranges (measured under load).
 */
export async function createRangeIntervals(sql: SqlSession, table: string, source: RangeSource, signal?: AbortSignal): Promise<number> {
  const t = source.numberType;
  await sql.run(
    `CREATE TABLE ${quoteIdent(table)} AS
     WITH ranges AS (${source.ranges}),
     points AS (SELECT lo AS p FROM ranges UNION SELECT hi + 1::${t} FROM ranges WHERE hi < ${source.maxAddress}),
     pieces AS (SELECT p AS lo, coalesce(lead(p) OVER (ORDER BY p) - 1::${t}, ${source.maxAddress}) AS hi FROM points),
     lengths AS (SELECT DISTINCT bits, (${source.addressBits} - bits)::${t} AS shift FROM ranges),
     starts AS (SELECT pieces.lo, pieces.hi, lengths.bits, (pieces.lo >> lengths.shift) << lengths.shift AS network FROM pieces CROSS JOIN lengths)
     SELECT starts.lo, starts.hi, list(ranges.value ORDER BY ranges.value) AS indicator_values
     FROM starts JOIN ranges ON ranges.bits = starts.bits AND ranges.lo = starts.network
     GROUP BY starts.lo, starts.hi
     ORDER BY starts.lo`,
    [],
    signal,
  );
  return Number(await sql.scalar(`SELECT count(*) FROM ${quoteIdent(table)}`, [], signal));
}
