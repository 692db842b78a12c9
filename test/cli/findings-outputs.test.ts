// Findings outputs hold what their names say: `ioc_matches` the indicator matches, `anomalies` what stood out,
// `detections` what Sigma rules fired, `findings` all of them. Runs the built binary as a user would.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';

const root = resolve(import.meta.dirname, '..', '..');

let work: string;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'cs-helper-findings-'));
});

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

async function csvRows(path: string): Promise<Record<string, string>[]> {
  return Papa.parse<Record<string, string>>(await readFile(path, 'utf8'), { header: true, skipEmptyLines: true }).data;
}

function kindCounts(rows: readonly { kind?: string }[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const row of rows) counts[row.kind ?? ''] = (counts[row.kind ?? ''] ?? 0) + 1;
  return counts;
}

describe('findings outputs by name', () => {
  it('writes indicator matches to ioc_matches, pattern findings to anomalies, and both to findings', async () => {
    const out = join(work, 'threats');
    const result = await runCli(
      ['dynamic-workflow', 'Hunt for threats in this CSV', '--input-files', join(root, 'examples', 'threat_data.csv'), '--outputs', 'findings', 'ioc_matches', 'anomalies', '--output-dir', out, '--log-dir', join(work, 'logs'), '--execute'],
      { cwd: work },
    );
    expect(result.code, result.stderr).toBe(0);
    const all = await csvRows(join(out, 'findings.csv'));
    const iocs = await csvRows(join(out, 'ioc_matches.csv'));
    const anomalies = await csvRows(join(out, 'anomalies.csv'));
    const counts = kindCounts(all);
    expect(counts['ioc']).toBeGreaterThan(0);
    expect(counts['anomaly']).toBeGreaterThan(0);
    expect(kindCounts(iocs)).toEqual({ ioc: counts['ioc'] });
    expect(kindCounts(anomalies)).toEqual({ anomaly: counts['anomaly'] });
    // The same findings, not copies of some: every indicator match of the full file is in ioc_matches.
    const key = (r: Record<string, string>): string => `${r['row']}|${r['label']}|${r['source']}`;
    expect(iocs.map(key).sort()).toEqual(all.filter((r) => r['kind'] === 'ioc').map(key).sort());
    expect(Object.keys(iocs[0] ?? {})).toEqual(['row', 'kind', 'label', 'score', 'source', 'entity', 'detail']);
  }, 120_000);

  it('plans the rule engine for a detections output, even when the problem does not name rules', async () => {
    const fixtures = join(root, 'test', 'fixtures', 'sigma', 'unit');
    const planFile = join(work, 'detections-plan.json');
    const result = await runCli(
      ['dynamic-workflow', 'Look into these events', '--input-files', join(fixtures, 'events.jsonl'), '--outputs', 'detections.json', '--log-dir', join(work, 'logs'), '--export', planFile],
      { cwd: work },
    );
    expect(result.code, result.stderr).toBe(0);
    const plan = JSON.parse(await readFile(planFile, 'utf8')) as { nodes: { component: string; params: Record<string, unknown> }[] };
    expect(plan.nodes.map((n) => n.component)).toContain('analysis.sigma');
    const exporter = plan.nodes.find((n) => n.component === 'export.json');
    expect(exporter?.params).toMatchObject({ file: 'detections.json', source: 'findings', kinds: ['detection'] });
  }, 120_000);

  it('writes only what the rules fired to detections', async () => {
    const fixtures = join(root, 'test', 'fixtures', 'sigma', 'unit');
    const out = join(work, 'events');
    const result = await runCli(
      ['dynamic-workflow', 'Look into these Windows events', '--input-files', join(fixtures, 'events.jsonl'), '--rules', join(fixtures, 'whoami.yml'), '--outputs', 'detections.json', 'findings.json', '--output-dir', out, '--log-dir', join(work, 'logs'), '--execute', '--json'],
      { cwd: work },
    );
    expect(result.code, result.stderr).toBe(0);
    const summary = JSON.parse(result.stdout) as { steps: { node: string; component: string }[] };
    expect(summary.steps.map((s) => s.component)).toContain('analysis.sigma');
    const detections = JSON.parse(await readFile(join(out, 'detections.json'), 'utf8')) as { kind: string; label: string; row: number }[];
    const all = JSON.parse(await readFile(join(out, 'findings.json'), 'utf8')) as { kind: string }[];
    expect(detections.length).toBeGreaterThan(0);
    expect(detections.every((d) => d.kind === 'detection')).toBe(true);
    expect(detections.length).toBe(all.filter((f) => f.kind === 'detection').length);
  }, 120_000);
});
