// A CSV feed's confidence column on a 0-100 scale is read as percent (the scale decided per column), and
// unreadable confidences are counted and left at the default; checked through intel.ioc-match and processing.enrich.
import { describe, expect, it } from 'vitest';
import { enrichment } from '../../src/components/processing/enrich.js';
import { plainText } from '../../src/data/plain-value.js';
import { UNREADABLE_CONFIDENCE, confidenceScaleOf, readConfidence } from '../../src/intel/feeds/feed-confidence.js';
import { readValueCsv } from '../../src/intel/feeds/plain-list.js';
import { datasetOf } from '../helpers/component-harness.js';
import { matchWrittenCase } from '../helpers/ioc-match-run.js';

const EVENTS = ['src_ip,bytes', ...[10, 11, 12, 13, 14].map((n) => `198.51.100.${n},100`)].join('\n');

/** Each address's threat score after matching `feed` and enriching. */
async function scoresOf(feed: string): Promise<{ scores: Record<string, number>; info: unknown[] }> {
  const written = await matchWrittenCase(feed, EVENTS);
  try {
    const findings = written.harness.workspace.handle(written.harness.sql, written.findings, []);
    const output = await written.harness.run(enrichment, { datasets: [written.dataset], findings: [await findings] }, {});
    const rows = await written.harness.rows(datasetOf(output));
    const scores = Object.fromEntries(rows.map((r) => [plainText(r['src_ip']), Number(r['threat_score'])]));
    return { scores, info: written.harness.log.entries.filter((e) => e.type === 'feed-unsupported').map((e) => e.metadata) };
  } finally {
    await written.close();
  }
}

describe('CSV feed confidence scale', () => {
  it('reads a 0-100 column as percent: threat scores rise with confidence, 1 in that column is 1%', async () => {
    const feed = ['value,type,confidence', '198.51.100.10,ip,0.2', '198.51.100.11,ip,20', '198.51.100.12,ip,95', '198.51.100.13,ip,1', '198.51.100.14,ip,'].join('\n');
    const { scores } = await scoresOf(feed);
    // 50 + 40 x confidence: 0.2% -> 50, 20% -> 58, 95% -> 88, 1% -> 50, blank -> the default 0.7 -> 78.
    expect(scores).toEqual({ '198.51.100.10': 50, '198.51.100.11': 58, '198.51.100.12': 88, '198.51.100.13': 50, '198.51.100.14': 78 });
  });

  it('keeps a 0-1 column as fractions, 1 meaning certain', async () => {
    const feed = ['value,type,confidence', '198.51.100.10,ip,0.2', '198.51.100.11,ip,0.5', '198.51.100.12,ip,1', '198.51.100.13,ip,0', '198.51.100.14,ip,0.95'].join('\n');
    const { scores } = await scoresOf(feed);
    expect(scores).toEqual({ '198.51.100.10': 58, '198.51.100.11': 70, '198.51.100.12': 90, '198.51.100.13': 50, '198.51.100.14': 88 });
  });

  it('counts negative, non-numeric and over-100 confidences, leaves them at the default, and says so', async () => {
    const feed = ['value,type,confidence', '198.51.100.10,ip,-5', '198.51.100.11,ip,high', '198.51.100.12,ip,150', '198.51.100.13,ip,40', '198.51.100.14,ip,0x10'].join('\n');
    const { scores, info } = await scoresOf(feed);
    expect(scores).toEqual({ '198.51.100.10': 78, '198.51.100.11': 78, '198.51.100.12': 78, '198.51.100.13': 66, '198.51.100.14': 78 });
    expect(info).toEqual([{ unsupported: { [UNREADABLE_CONFIDENCE]: 4 } }]);
  });

  it('reads percent signs and typed-column feeds with the same rule', () => {
    const feed = readValueCsv(['ip,domain,confidence', '203.0.113.7,evil.example.com,80%', '203.0.113.8,,0.5'].join('\n'), 'test');
    expect(feed.indicators.map((i) => [i.value, i.confidence])).toEqual([
      ['203.0.113.7', 0.8],
      ['evil.example.com', 0.8],
      ['203.0.113.8', 0.005],
    ]);
    expect(feed.unsupported).toEqual({});
  });

  it('decides the scale from the column, not the value', () => {
    expect(confidenceScaleOf(['0', '1', '0.5', ''])).toBe('fraction');
    expect(confidenceScaleOf(['0.5', '1', '2'])).toBe('percent');
    expect(readConfidence('1', 'percent')).toBe(0.01);
    expect(readConfidence('1', 'fraction')).toBe(1);
    expect(readConfidence(' ', 'percent')).toBeNull();
    expect(readConfidence('1e2', 'percent')).toBe('unreadable');
    expect(readConfidence('Infinity', 'fraction')).toBe('unreadable');
  });
});
