// The CIDR flattening behind intel.ioc-match's ASOF join: nested, adjacent and overlapping-at-the-edge ranges become
// disjoint intervals, each listing every range that covers it, up to the last address of the space.
import { describe, expect, it } from 'vitest';
import { createRangeIntervals } from '../../../src/components/analysis/ioc-match/range-intervals.js';
import { plainText } from '../../../src/data/plain-value.js';
import { engineSession } from '../../helpers/engine-session.js';

const engine = engineSession();

const intervalsOf = async (table: string): Promise<string[]> =>
  (await engine.sql.all(`SELECT lo::VARCHAR AS first, hi::VARCHAR AS last, array_to_string(indicator_values, ' ') AS covering FROM "${table}" ORDER BY lo`)).map((r) => `${plainText(r['first'])}-${plainText(r['last'])}: ${plainText(r['covering'])}`);

describe('createRangeIntervals', () => {
  it('cuts nested and adjacent ranges into disjoint pieces, each with all the ranges over it', async () => {
    // a = 0.0.0.0/24 (0-255) holds b = 0.0.0.64/26 (64-127) and c = 0.0.0.128/26 (128-191), adjacent to b; d = 0.0.1.0/32 stands alone.
    const count = await createRangeIntervals(engine.sql, 'small', {
      numberType: 'UBIGINT',
      addressBits: 32,
      maxAddress: '4294967295::UBIGINT',
      ranges: `SELECT * FROM (VALUES ('a', 24, 0::UBIGINT, 255::UBIGINT), ('b', 26, 64, 127), ('c', 26, 128, 191), ('d', 32, 256, 256)) AS r(value, bits, lo, hi)`,
    });

    expect(await intervalsOf('small')).toEqual(['0-63: a', '64-127: a b', '128-191: a c', '192-255: a', '256-256: d']);
    expect(count).toBe(5);
  });

  it('keeps a range that ends at the last address, where no boundary follows', async () => {
    // A /120 and the /126 at its end: the last 256 and the last 4 IPv6 addresses.
    await createRangeIntervals(engine.sql, 'top', {
      numberType: 'UHUGEINT',
      addressBits: 128,
      maxAddress: '340282366920938463463374607431768211455::UHUGEINT',
      ranges: `SELECT * FROM (VALUES ('outer', 120, 340282366920938463463374607431768211200::UHUGEINT, 340282366920938463463374607431768211455::UHUGEINT),
                                     ('inner', 126, 340282366920938463463374607431768211452::UHUGEINT, 340282366920938463463374607431768211455::UHUGEINT)) AS r(value, bits, lo, hi)`,
    });

    expect(await intervalsOf('top')).toEqual([
      '340282366920938463463374607431768211200-340282366920938463463374607431768211451: outer',
      '340282366920938463463374607431768211452-340282366920938463463374607431768211455: inner outer',
    ]);
  });
});
