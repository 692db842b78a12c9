// Counts that mean what they say (QA): 60 volume spikes were reported as "50 volume spikes" because the count was
// taken after the list's limit; and every value of a 2- or 3-row file was called rare.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { patternsParams } from '../../../src/components/analysis/patterns/patterns-params.js';
import { ComponentHarness } from '../../helpers/component-harness.js';
import { findingsWith, labelsOf, runPatterns } from './pattern-fixtures.js';

/** The default of rare_min_rows: the fewest rows a table needs before one of its values can be rare. */
const MIN_ROWS_FOR_RARE = patternsParams.parse({}).rare_min_rows;

let harness: ComponentHarness;
beforeAll(async () => {
  harness = await ComponentHarness.open();
});
afterAll(async () => {
  await harness.close();
});

describe('volume spikes', () => {
  it('counts all 60 hosts that burst to 30 events in an hour against their usual 1, and lists 50', async () => {
    // 60 hosts, one event an hour for 12 hours, then 30 events in the 13th hour.
    const dataset = await harness.table(
      'bursts',
      `SELECT TIMESTAMPTZ '2026-03-02 00:00:00+00' + to_hours(h) + to_seconds(k * 60 + host) AS timestamp, '10.80.' || (host // 250) || '.' || (host % 250) AS src_ip
       FROM range(60) a(host), range(13) b(h), range(30) c(k) WHERE h = 12 OR k = 0`,
    );
    const output = await runPatterns(harness, dataset, { detectors: ['spikes'] });
    expect(output.summary?.['spike_count']).toBe(60);
    expect(output.summary?.['spikes']).toHaveLength(50);
    expect((output.summary?.['spikes'] as { events: number; usual: number }[]).every((s) => s.events === 30 && s.usual === 1)).toBe(true);
    expect(output.message).toBe('60 volume spikes (0 rows flagged)');
    // The findings about the data stay one per listed spike.
    expect(await findingsWith(harness, output, 'spike:src_ip')).toHaveLength(50);
    // With room for all of them, the same 60.
    expect((await runPatterns(harness, dataset, { detectors: ['spikes'], max_listed: 100 })).summary?.['spikes']).toHaveLength(60);
  });
});

describe('rare values in small tables', () => {
  it('finds none in a 3-row or a 2-row file', async () => {
    const three = await harness.table('proto3', `SELECT * FROM (VALUES ('tcp', 'allow'), ('udp', 'deny'), ('icmp', 'allow')) AS t(proto, action)`);
    const output = await runPatterns(harness, three, {});
    expect(output.summary?.['rare_values']).toBe(0);
    expect(output.summary?.['flagged_rows']).toBe(0);
    expect(await labelsOf(harness, output)).toEqual([]);
    const two = await harness.table('proto2', `SELECT * FROM (VALUES ('tcp'), ('udp')) AS t(proto)`);
    expect((await runPatterns(harness, two, { detectors: ['rare_values'] })).summary?.['rare_values']).toBe(0);
  });

  it(`finds the one odd value from ${MIN_ROWS_FOR_RARE} rows on, and not below`, async () => {
    const rows = (n: number): string => `SELECT CASE WHEN i = 0 THEN 'icmp' WHEN i % 2 = 0 THEN 'tcp' ELSE 'udp' END AS proto FROM range(${n}) r(i)`;
    const enough = await harness.table('proto_enough', rows(MIN_ROWS_FOR_RARE));
    const found = await runPatterns(harness, enough, { detectors: ['rare_values'] });
    expect(found.summary?.['rare_values']).toBe(1);
    expect((await findingsWith(harness, found, 'rare:proto')).map((f) => f.entity)).toEqual(['icmp']);
    const few = await harness.table('proto_few', rows(MIN_ROWS_FOR_RARE - 1));
    expect((await runPatterns(harness, few, { detectors: ['rare_values'] })).summary?.['rare_values']).toBe(0);
  });
});
