// analysis.statistics gives exact distinct counts and quartiles up to exact_max_rows rows, and marks
// the estimates above it (distinct_approx, quartiles_approx, and the step's message).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { statisticsAnalysis } from '../../../src/components/analysis/statistics.js';
import type { ComponentOutput } from '../../../src/components/component.js';
import type { DatasetHandle } from '../../../src/model/dataset.js';
import { ComponentHarness } from '../../helpers/component-harness.js';

type ColumnStats = Record<string, unknown> & { column: string };

function statsOf(output: ComponentOutput, column: string): ColumnStats {
  const found = ((output.summary?.['columns'] ?? []) as unknown as ColumnStats[]).find((c) => c.column === column);
  if (found === undefined) throw new Error(`no statistics for ${column}`);
  return found;
}

describe('analysis.statistics exact figures', () => {
  let harness: ComponentHarness;
  let flows: DatasetHandle;
  beforeEach(async () => {
    harness = await ComponentHarness.open();
    // 20,000 flows: 5,000 users, 9 attack categories (HyperLogLog counts 5,533 and 10 of them), a jitter that is 0 in
    // 51.1% of the rows (a t-digest put its median at 0.03).
    flows = await harness.table(
      'flows',
      `SELECT 'user' || (i % 5000)::VARCHAR AS user_name,
              ['Normal', 'Generic', 'Exploits', 'Fuzzers', 'DoS', 'Reconnaissance', 'Analysis', 'Backdoor', 'Shellcode'][1 + i % 9] AS attack_cat,
              CASE WHEN (i * 7919) % 1000 < 511 THEN 0 ELSE ((i * 104729) % 100000) / 1000.0 END AS sjit
       FROM range(20000) r(i)`,
    );
  });
  afterEach(async () => {
    await harness.close();
  });

  it('counts distinct values exactly and says so', async () => {
    const output = await harness.run(statisticsAnalysis, { datasets: [flows] }, {});
    expect(statsOf(output, 'user_name')).toMatchObject({ distinct: 5000, distinct_approx: false });
    expect(statsOf(output, 'attack_cat')).toMatchObject({ distinct: 9, distinct_approx: false, quartiles_approx: null });
    expect(output.message).not.toMatch(/estimated/);
  });

  it('gives the exact quartiles of a column mostly zero', async () => {
    const output = await harness.run(statisticsAnalysis, { datasets: [flows] }, {});
    const sjit = statsOf(output, 'sjit');
    const [row] = await harness.sql.all('SELECT quantile_cont(sjit, [0.25, 0.5, 0.75]) AS q, count(*) FILTER (WHERE sjit = 0) AS zeros FROM flows');
    expect(Number(row?.['zeros'])).toBe(10_220);
    expect(sjit).toMatchObject({ q25: 0, q50: 0, quartiles_approx: false });
    expect(sjit['q75']).toBeCloseTo(Number((row?.['q'] as number[])[2]), 3);
  });

  it('estimates above exact_max_rows, marks every estimate and says so in its message', async () => {
    const output = await harness.run(statisticsAnalysis, { datasets: [flows] }, { exact_max_rows: 10_000 });
    const users = statsOf(output, 'user_name');
    expect(users['distinct_approx']).toBe(true);
    expect(Number(users['distinct'])).toBeGreaterThan(4000);
    expect(statsOf(output, 'sjit')).toMatchObject({ distinct_approx: true, quartiles_approx: true });
    expect(output.message).toMatch(/^3 columns summarised \(distinct counts and quartiles estimated: over 10,000 rows\)/);
  });
});
