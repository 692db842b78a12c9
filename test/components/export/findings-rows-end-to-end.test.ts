// QA's case, planned and run as the CLI runs it (through src, not the built binary): the bundled threat_data.csv, its
// findings in findings.csv and ioc_matches.json beside the Markdown report. A finding's `row` is the data row counted
// from 1, so it is line row + 1 of the file (after the header) and the row the report shows for the same hit.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBuiltInRegistry } from '../../../src/components/built-ins.js';
import { executePlan } from '../../../src/engine/execute-plan.js';
import { planWorkflow } from '../../../src/planner/plan-workflow.js';

const EXAMPLES = resolve(import.meta.dirname, '..', '..', '..', 'examples');

let out: string;
let findings: Record<string, string>[];
let iocJson: Record<string, unknown>[];
let report: string;
let inputLines: string[];

beforeAll(async () => {
  out = await mkdtemp(join(tmpdir(), 'cs-helper-findings-rows-'));
  const registry = createBuiltInRegistry();
  const plan = await planWorkflow(
    { problem: 'Analyze this CSV for security threats', inputFiles: ['threat_data.csv'], outputs: ['findings', 'ioc_matches.json', 'threat_report.md'], baseDir: EXAMPLES, outputDir: out },
    registry,
  );
  const result = await executePlan(plan, { registry, outputDir: out });
  expect(result.status).toBe('completed');
  findings = Papa.parse<Record<string, string>>(await readFile(join(out, 'findings.csv'), 'utf8'), { header: true, skipEmptyLines: true }).data;
  iocJson = JSON.parse(await readFile(join(out, 'ioc_matches.json'), 'utf8')) as Record<string, unknown>[];
  report = await readFile(join(out, 'threat_report.md'), 'utf8');
  inputLines = (await readFile(join(EXAMPLES, 'threat_data.csv'), 'utf8')).split('\n');
}, 120_000);

afterAll(async () => {
  await rm(out, { recursive: true, force: true });
});

describe('findings of the demo data', () => {
  it('points every indicator match at the input line that holds the indicator', () => {
    const iocs = findings.filter((f) => f['kind'] === 'ioc');
    expect(iocs.length).toBeGreaterThan(0);
    for (const finding of iocs) {
      // Data row N is line N + 1 of the file: line 1 is the header.
      const line = inputLines[Number(finding['row'])] ?? '';
      expect(line.toLowerCase(), `${finding['label']} at row ${finding['row']}`).toContain((finding['entity'] ?? '').toLowerCase());
    }
  });

  it('numbers the rows as the report does', () => {
    const findingRows = new Set(findings.filter((f) => f['kind'] === 'ioc').map((f) => f['row']));
    // The report's top findings table: `| row | ... | indicators | anomalies |`, cells split on pipes not escaped.
    const cells = (line: string): string[] => line.split(/(?<!\\)\|/).slice(1, -1).map((c) => c.trim());
    const table = report.slice(report.indexOf('## Top findings')).split('\n').filter((l) => l.startsWith('|'));
    const header = cells(table[0] ?? '');
    const withHits = table.slice(2).map(cells).filter((r) => (r[header.indexOf('indicators')] ?? '') !== '');
    expect(header[0]).toBe('row');
    expect(withHits.length).toBeGreaterThan(0);
    for (const row of withHits) expect(findingRows.has(row[0]), `report row ${row[0] ?? ''}`).toBe(true);
  });

  it('writes ioc_matches.json with the same rows and the evidence as an object', () => {
    const csvKeys = findings.filter((f) => f['kind'] === 'ioc').map((f) => `${f['row']}|${f['label']}|${f['source']}`).sort();
    expect(iocJson.map((f) => `${String(f['row'])}|${String(f['label'])}|${String(f['source'])}`).sort()).toEqual(csvKeys);
    for (const finding of iocJson) {
      expect(typeof finding['row']).toBe('number');
      expect(finding['detail']).toEqual(expect.objectContaining({ column: expect.any(String) as unknown, value: expect.any(String) as unknown }));
    }
  });
});
