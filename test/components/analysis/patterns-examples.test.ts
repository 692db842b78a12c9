import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ComponentOutput } from '../../../src/components/component.js';
import { quoteLiteral } from '../../../src/data/sql-text.js';
import { ComponentHarness, findingsOf } from '../../helpers/component-harness.js';
import { runPatterns } from './pattern-fixtures.js';

const EXAMPLES = fileURLToPath(new URL('../../../examples/', import.meta.url));

interface Manifest {
  anomalies: { kind: string; rows: number[] }[];
}

/** The shipped examples (scripts/generate-examples.mjs): what the detectors flag must stay a handful of rows, and the planted patterns found. */
describe('analysis.patterns on the examples', () => {
  let harness: ComponentHarness;
  let threats: ComponentOutput;
  let access: ComponentOutput;
  let byLabel: Map<string, number>;

  beforeAll(async () => {
    harness = await ComponentHarness.open();
    const data = await harness.table('threats', `SELECT * FROM read_csv(${quoteLiteral(`${EXAMPLES}threat_data.csv`)})`);
    threats = await runPatterns(harness, data, {});
    const logs = await harness.table('access', `SELECT * FROM read_csv(${quoteLiteral(`${EXAMPLES}access_logs.csv`)})`);
    access = await runPatterns(harness, logs, {});
    const counts = await harness.sql.all(`SELECT label, count(DISTINCT row_id) AS n FROM "${findingsOf(threats).table}" WHERE row_id IS NOT NULL GROUP BY ALL`);
    byLabel = new Map(counts.map((c) => [c['label'] as string, Number(c['n'])]));
  });
  afterAll(async () => {
    await harness.close();
  });

  it('flags under 4% of the 10,000 rows of threat_data.csv, and no reason on more than 150 rows', () => {
    expect(Number(threats.summary?.['flagged_rows'])).toBeLessThan(400);
    const crowded = [...byLabel].filter(([, rows]) => rows > 150);
    expect(crowded).toEqual([]);
  });

  it('sees no beacon, brute force or port scan in threat_data.csv, whose traffic has none', () => {
    expect(threats.summary).toMatchObject({ beaconing_pairs: 0, brute_force_entities: 0, port_scanners: 0, new_entities: 0 });
  });

  it('still flags the planted exfiltration and rare values of threat_data.csv', async () => {
    const manifest = JSON.parse(await import('node:fs/promises').then((fs) => fs.readFile(`${EXAMPLES}threat_data.injected.json`, 'utf8'))) as Manifest;
    const flagged = new Set((await harness.sql.all(`SELECT DISTINCT row_id FROM "${findingsOf(threats).table}" WHERE row_id IS NOT NULL`)).map((r) => Number(r['row_id'])));
    for (const kind of ['exfiltration', 'rare_protocol', 'rare_action']) {
      const rows = manifest.anomalies.find((a) => a.kind === kind)?.rows ?? [];
      expect(rows.length).toBeGreaterThan(0);
      for (const row of rows) expect({ kind, row, flagged: flagged.has(row) }).toEqual({ kind, row, flagged: true });
    }
  });

  it('finds the brute force of access_logs.csv: 58 failed logins from one address', () => {
    expect(access.summary?.['brute_force']).toEqual([expect.objectContaining({ entity_column: 'client_ip', entity: '146.190.37.21', failures: 58, failure_columns: ['status'] })]);
  });
});
