// The 40 SigmaHQ regression cases: their events imported with import.json (Windows event JSON flattened), the rules
// they name run by analysis.sigma, and every expected rule must fire on an event of its own file.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { sigmaAnalysis } from '../../../src/components/analysis/sigma.js';
import { jsonImport } from '../../../src/components/import/json.js';
import { plainText } from '../../../src/data/plain-value.js';
import { quoteIdent } from '../../../src/data/sql-text.js';
import type { ComponentOutput } from '../../../src/components/component.js';
import type { DatasetHandle } from '../../../src/model/dataset.js';
import { ComponentHarness, datasetOf, findingsOf } from '../../helpers/component-harness.js';

const BASE = fileURLToPath(new URL('../../fixtures/sigma/regression/', import.meta.url));

interface ManifestCase {
  readonly rule_ids: readonly string[];
  readonly rule_titles: readonly string[];
  readonly tests: readonly { readonly match_count: number | null; readonly event_files: readonly string[] }[];
}

const manifest = JSON.parse(readFileSync(join(BASE, 'regression_manifest.json'), 'utf8')) as ManifestCase[];
const cases = manifest.flatMap((c) => c.tests.flatMap((t) => t.event_files.map((file) => ({ ruleId: c.rule_ids[0] ?? '', title: c.rule_titles[0] ?? '', file, minMatches: t.match_count ?? 1 }))));

let harness: ComponentHarness;
let events: DatasetHandle;
let output: ComponentOutput;
/** file -> rule id -> detections on that file's events. */
const hits = new Map<string, Map<string, number>>();

beforeAll(async () => {
  harness = await ComponentHarness.open({ baseDir: BASE });
  events = datasetOf(await harness.run(jsonImport, {}, { paths: cases.map((c) => c.file) }));
  output = await harness.run(sigmaAnalysis, { datasets: [events] }, { rules: ['rules'] });
  const rows = await harness.sql.all(
    `SELECT e.source_file AS file, f.entity AS rule_id, count(*) AS n FROM ${quoteIdent(findingsOf(output).table)} f
     JOIN ${quoteIdent(events.table)} e ON e.${quoteIdent(events.rowId)} = f.row_id GROUP BY ALL`,
  );
  for (const row of rows) {
    const file = plainText(row['file']);
    const byRule = hits.get(file) ?? new Map<string, number>();
    byRule.set(plainText(row['rule_id']), Number(row['n']));
    hits.set(file, byRule);
  }
}, 120_000);

afterAll(async () => {
  await harness.close();
});

describe('SigmaHQ regression cases', () => {
  test('all 40 cases and their 42 events are there, and every rule loads', () => {
    expect(manifest).toHaveLength(40);
    expect(cases).toHaveLength(40);
    expect(events.rowCount).toBe(42);
    expect(output.summary?.['rules_loaded']).toBe(40);
    expect(output.summary?.['rule_problems']).toBe(0);
  });

  test('a detection is a finding with the rule, its level score and its ATT&CK tags in the evidence', async () => {
    const rows = await harness.sql.all(`SELECT kind, label, score, entity, detail FROM ${quoteIdent(findingsOf(output).table)} WHERE entity = 'a7c3e5f2-8b1d-4e9a-b6c2-3d7f5e8a9b4c'`);
    expect(rows).toHaveLength(1);
    const row = rows[0] ?? {};
    expect([row['kind'], row['label'], row['score']]).toEqual(['detection', 'sigma:RedSun - TieringEngineService.exe Detected as EICAR Test File', 95]);
    const detail = JSON.parse(plainText(row['detail'])) as { level: string; attack_techniques: string[]; tags: string[] };
    expect(detail.level).toBe('critical');
    expect(detail.attack_techniques).toEqual(['T1036.005', 'T1685', 'T1055']);
    expect(detail.tags).toContain('attack.t1036.005');
  });

  test.each(cases)('$title fires on its events', ({ ruleId, file, minMatches }) => {
    const byRule = [...hits.entries()].find(([f]) => f.endsWith(file))?.[1];
    expect(byRule?.get(ruleId) ?? 0).toBeGreaterThanOrEqual(minMatches);
  });
});
