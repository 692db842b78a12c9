import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { navigatorExport, navigatorLayer } from '../../../src/components/export/navigator.js';
import { createFindingsTable } from '../../../src/components/findings-table.js';
import { attackMapping } from '../../../src/components/integration/attack.js';
import { attackSummarySchema, type AttackSummary } from '../../../src/components/integration/attack-summary.js';
import { CsHelperError } from '../../../src/model/errors/cs-helper-error.js';
import { ComponentHarness, summaryOf } from '../../helpers/component-harness.js';

const SPEC_EXAMPLE = fileURLToPath(new URL('../../fixtures/export/navigator/example-v4.5-1.json', import.meta.url));

/**
 * The layer format 4.5 as its property tables state it (layerformat-v4.5.md): required fields, value sets and ranges.
 * `.strict()` catches misspelt property names, which the Navigator would silently ignore.
 */
const metadataOrDivider = z.union([z.object({ name: z.string(), value: z.string() }).strict(), z.object({ divider: z.boolean() }).strict()]);
const linkOrDivider = z.union([z.object({ label: z.string(), url: z.string().regex(/^[a-z]+:\/\//) }).strict(), z.object({ divider: z.boolean() }).strict()]);
const layer45 = z
  .object({
    versions: z.object({ attack: z.string().optional(), navigator: z.string().refine((v) => compareVersions(v, '4.9.0') >= 0, 'navigator must be at least 4.9.0'), layer: z.literal('4.5') }).strict().optional(),
    name: z.string(),
    description: z.string().optional(),
    domain: z.enum(['enterprise-attack', 'mobile-attack', 'ics-attack']),
    customDataURL: z.string().optional(),
    filters: z.object({ platforms: z.array(z.string()).optional() }).strict().optional(),
    sorting: z.union([z.literal(0), z.literal(1), z.literal(2), z.literal(3)]).optional(),
    layout: z
      .object({
        layout: z.enum(['side', 'flat', 'mini']).optional(),
        showID: z.boolean().optional(),
        showName: z.boolean().optional(),
        showAggregateScores: z.boolean().optional(),
        countUnscored: z.boolean().optional(),
        aggregateFunction: z.enum(['average', 'min', 'max', 'sum']).optional(),
        expandedSubtechniques: z.enum(['none', 'all', 'annotated']).optional(),
      })
      .strict()
      .optional(),
    hideDisabled: z.boolean().optional(),
    techniques: z
      .array(
        z
          .object({
            techniqueID: z.string().regex(/^T\d{4}(\.\d{3})?$/),
            tactic: z.string().optional(),
            comment: z.string().optional(),
            enabled: z.boolean().optional(),
            score: z.number().optional(),
            color: z.string().optional(),
            metadata: z.array(metadataOrDivider).optional(),
            links: z.array(linkOrDivider).optional(),
            showSubtechniques: z.boolean().optional(),
          })
          .strict(),
      )
      .optional(),
    gradient: z
      .object({ colors: z.array(z.string().regex(/^#[0-9a-fA-F]{6}$/)).min(2), minValue: z.number(), maxValue: z.number() })
      .strict()
      .refine((g) => g.maxValue > g.minValue, 'maxValue must be > minValue')
      .optional(),
    legendItems: z.array(z.object({ label: z.string(), color: z.string() }).strict()).optional(),
    showTacticRowBackground: z.boolean().optional(),
    tacticRowBackground: z.string().optional(),
    selectTechniquesAcrossTactics: z.boolean().optional(),
    selectSubtechniquesWithParent: z.boolean().optional(),
    selectVisibleTechniques: z.boolean().optional(),
    metadata: z.array(metadataOrDivider).optional(),
    links: z.array(linkOrDivider).optional(),
  })
  .strict();

function compareVersions(a: string, b: string): number {
  const [x, y] = [a.split('.').map(Number), b.split('.').map(Number)];
  for (let i = 0; i < Math.max(x.length, y.length); i += 1) {
    const d = (x[i] ?? 0) - (y[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

const EVENTS = `SELECT * FROM (VALUES (0, 'ws-01'), (1, 'dc-01'), (2, 'dc-01'), (3, 'ws-05'), (4, 'ws-03')) AS t(seq, host)`;

describe('export.navigator', () => {
  let harness: ComponentHarness;
  beforeEach(async () => {
    harness = await ComponentHarness.open();
  });
  afterEach(async () => {
    await harness.close();
  });

  it('the validator written from the spec accepts the spec\'s own example', async () => {
    const example: unknown = JSON.parse(await readFile(SPEC_EXAMPLE, 'utf8'));
    expect(layer45.safeParse(example).success).toBe(true);
    expect(layer45.safeParse({ ...(example as object), versions: { navigator: '4.8.0', layer: '4.5' } }).success).toBe(false);
    expect(layer45.safeParse({ name: 'x', domain: 'mitre-enterprise' }).success).toBe(false);
  });

  it('writes a v4.5 Enterprise layer: each technique under each of its tactics, scored by detection count', async () => {
    const events = await harness.table('events', EVENTS);
    await createFindingsTable(harness.sql, 'findings', new AbortController().signal);
    const rows: [number | null, string, string, string][] = [
      [0, 'detection', 'Encoded PowerShell', JSON.stringify({ rule_id: 'r-psh', title: 'Encoded PowerShell', level: 'high', tags: ['attack.execution', 'attack.t1059.001'], attack_techniques: ['T1059.001'] })],
      [4, 'detection', 'Scheduled task', JSON.stringify({ rule_id: 'r-task', title: 'Scheduled task', level: 'medium', tags: ['attack.t1053.005'], attack_techniques: ['T1053.005'] })],
      [1, 'anomaly', 'brute-force:src_ip', '{}'],
      [2, 'anomaly', 'brute-force:src_ip', '{}'],
      [3, 'anomaly', 'port-scan:src_ip', '{}'],
    ];
    for (const row of rows) await harness.sql.run(`INSERT INTO findings VALUES ($1, $2, $3, 30, 'test', NULL, $4)`, row);
    const findings = await harness.workspace.handle(harness.sql, 'findings', []);
    const mapping = await harness.run(attackMapping, { datasets: [events], findings: [findings] }, {});
    const output = await harness.run(navigatorExport, { summaries: [summaryOf(attackMapping, mapping)] }, { output: 'navigator_layer', file: 'navigator_layer.json', name: 'test layer' });

    expect(output.files?.[0]).toMatchObject({ output: 'navigator_layer', format: 'json', rows: 10 });
    const layer: unknown = JSON.parse(await readFile(`${harness.outputDir}/navigator_layer.json`, 'utf8'));
    const parsed = layer45.parse(layer);
    expect(parsed.name).toBe('test layer');
    expect(parsed.domain).toBe('enterprise-attack');
    expect(parsed.versions).toEqual({ attack: '18', navigator: '5.1.0', layer: '4.5' });
    expect(parsed.gradient).toEqual({ colors: ['#ffffff', '#ff6666'], minValue: 0, maxValue: 2 });
    // T1053.005 Scheduled Task sits in three tactics: one cell each. The parents of the sub-techniques found follow,
    // scored with their sub-techniques' detections and shown expanded.
    expect(parsed.techniques?.map((t) => [t.techniqueID, t.tactic, t.score, t.showSubtechniques ?? false])).toEqual([
      ['T1110', 'credential-access', 2, false],
      ['T1046', 'discovery', 1, false],
      ['T1053.005', 'execution', 1, false],
      ['T1053.005', 'persistence', 1, false],
      ['T1053.005', 'privilege-escalation', 1, false],
      ['T1059.001', 'execution', 1, false],
      ['T1053', 'execution', 1, true],
      ['T1053', 'persistence', 1, true],
      ['T1053', 'privilege-escalation', 1, true],
      ['T1059', 'execution', 1, true],
    ]);
    expect(parsed.techniques?.[9]?.comment).toBe('found through its sub-techniques: T1059.001 (1)');
    expect(parsed.techniques?.[0]?.comment).toBe('2 detections on 2 rows; confidence up to 0.7; from heuristic:brute-force');
    expect(parsed.techniques?.[5]?.links).toEqual([{ label: 'T1059.001 on attack.mitre.org', url: 'https://attack.mitre.org/techniques/T1059/001' }]);
  });

  it('writes a valid layer with no techniques when nothing was mapped', async () => {
    const events = await harness.table('events', EVENTS);
    const mapping = await harness.run(attackMapping, { datasets: [events] }, {});
    await harness.run(navigatorExport, { summaries: [summaryOf(attackMapping, mapping)] }, { output: 'navigator_layer', file: 'empty.json' });
    const parsed = layer45.parse(JSON.parse(await readFile(`${harness.outputDir}/empty.json`, 'utf8')));
    expect(parsed.techniques).toEqual([]);
    expect(parsed.gradient?.maxValue).toBe(1);
  });

  it('refuses to run without an ATT&CK mapping before it', async () => {
    await expect(harness.run(navigatorExport, {}, { output: 'navigator_layer', file: 'x.json' })).rejects.toThrow(CsHelperError);
    await expect(harness.run(navigatorExport, {}, { output: 'navigator_layer', file: 'x.json' })).rejects.toThrow('export.navigator needs the ATT&CK mapping of an integration.attack step');
  });
});

describe('navigatorLayer: parents of the sub-techniques found', () => {
  it('adds a parent not found itself, scored with its sub-techniques, and expands a parent found itself', () => {
    const technique = (id: string, tactics: string[], detections: number): AttackSummary['techniques'][number] => ({ id, name: id, tactics, detections, rows: detections, confidence: 0.9, sources: ['sigma'] });
    const summary = attackSummarySchema.parse({
      attack_version: '18.1',
      domain: 'enterprise-attack',
      rows_mapped: 9,
      techniques: [technique('T1003.001', ['credential-access'], 3), technique('T1003.002', ['credential-access'], 1), technique('T1021', ['lateral-movement'], 2), technique('T1021.002', ['lateral-movement'], 4)],
      by_tactic: [],
      by_source: {},
      unknown_ids: [],
    });
    const layer = navigatorLayer(summary, 'l', 'd');
    expect(layer.techniques.map((t) => [t.techniqueID, t.score, t.showSubtechniques ?? false])).toEqual([
      ['T1003.001', 3, false],
      ['T1003.002', 1, false],
      ['T1021', 2, true],
      ['T1021.002', 4, false],
      ['T1003', 4, true],
    ]);
    // The gradient reaches the parent's summed score.
    expect(layer.gradient.maxValue).toBe(4);
  });
});
