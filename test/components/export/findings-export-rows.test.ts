// The findings files (findings, ioc_matches, anomalies, detections) say which data row a finding is about in the same
// count as the report, the violations file and the input: `row`, the data row counted from 1, in place of the internal
// 0-based row_id. In JSON, a finding's evidence (detail) is an object, not a string of JSON to parse again.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { iocMatch } from '../../../src/components/analysis/ioc-match.js';
import { patternAnalysis } from '../../../src/components/analysis/patterns.js';
import { csvExport } from '../../../src/components/export/csv.js';
import { jsonExport } from '../../../src/components/export/json.js';
import { reportExport } from '../../../src/components/export/report.js';
import { createFindingsTable } from '../../../src/components/findings-table.js';
import { csvImport } from '../../../src/components/import/csv.js';
import { enrichment } from '../../../src/components/processing/enrich.js';
import type { DatasetHandle } from '../../../src/model/dataset.js';
import { ComponentHarness, FIXTURES_DIR, datasetOf, findingsOf } from '../../helpers/component-harness.js';

// The fixture has 8 rows, under the 50 from which values can be rare by default: its one POST is the anomaly shown.
const RARE_IN_EIGHT_ROWS = { rare_min_rows: 8 };

const COLUMNS = ['row', 'kind', 'label', 'score', 'source', 'entity', 'detail'];

/** The proxy log's data lines, by data row counted from 1 (line 1 of the file is the header). */
async function inputRows(): Promise<Record<string, string>[]> {
  return Papa.parse<Record<string, string>>(await readFile(join(FIXTURES_DIR, 'proxy-hostile.csv'), 'utf8'), { header: true, skipEmptyLines: true }).data;
}

describe('findings exports: row numbers and evidence', () => {
  let harness: ComponentHarness;
  let findings: DatasetHandle[];
  let enriched: DatasetHandle;

  beforeAll(async () => {
    harness = await ComponentHarness.open();
    const dataset = datasetOf(await harness.run(csvImport, {}, { paths: ['proxy-hostile.csv'], delimiter: ',' }));
    findings = [findingsOf(await harness.run(patternAnalysis, { datasets: [dataset] }, RARE_IN_EIGHT_ROWS)), findingsOf(await harness.run(iocMatch, { datasets: [dataset] }, {}))];
    enriched = datasetOf(await harness.run(enrichment, { datasets: [dataset], findings }, {}));
  });
  afterAll(async () => {
    await harness.close();
  });

  const csvRows = async (file: string): Promise<Record<string, string>[]> =>
    Papa.parse<Record<string, string>>(await readFile(join(harness.outputDir, file), 'utf8'), { header: true, skipEmptyLines: true }).data;

  it('numbers an indicator match by the data row it was found on, counted from 1', async () => {
    await harness.run(csvExport, { findings }, { output: 'ioc_matches', file: 'ioc_matches.csv', source: 'findings', kinds: ['ioc'] });
    const matches = await csvRows('ioc_matches.csv');
    const input = await inputRows();

    expect(Object.keys(matches[0] ?? {})).toEqual(COLUMNS);
    // The two listed admin.php URLs are on data rows 2 and 3 of the file (lines 3 and 4): a URL hit and a host hit each.
    expect(matches.map((m) => [m['row'], m['label']]).sort()).toEqual([
      ['2', 'domain:vman23.com'],
      ['2', 'url:http://vman23.com/ba21/admin.php'],
      ['3', 'domain:lojalstil.mk'],
      ['3', 'url:http://lojalstil.mk/img/dataimage/admin.php'],
    ]);
    for (const match of matches) expect(input[Number(match['row']) - 1]?.['url']).toContain(match['entity']);
  });

  it('numbers the rows as the report does', async () => {
    await harness.run(csvExport, { findings }, { output: 'findings', file: 'findings.csv', source: 'findings' });
    await harness.run(reportExport, { datasets: [enriched], findings }, { output: 'threat_report', file: 'threat_report.md' });
    const report = await readFile(join(harness.outputDir, 'threat_report.md'), 'utf8');
    const iocRows = new Set((await csvRows('findings.csv')).filter((f) => f['kind'] === 'ioc').map((f) => f['row']));

    // The report's top findings: `| row | ... |` lines after the heading, the two rows with indicator hits among them.
    const top = report.slice(report.indexOf('## Top findings')).split('\n').filter((l) => /^\| \d+ \|/.test(l));
    const reportRows = top.filter((l) => l.includes('url:')).map((l) => /^\| (\d+) \|/.exec(l)?.[1]);
    expect(new Set(reportRows)).toEqual(iocRows);
    expect(iocRows).toEqual(new Set(['2', '3']));
  });

  it('writes the evidence as a JSON object in JSON and JSON Lines, with the row counted from 1', async () => {
    await harness.run(jsonExport, { findings }, { output: 'findings', file: 'findings.json', source: 'findings' });
    await harness.run(jsonExport, { findings }, { output: 'findings', file: 'findings.jsonl', source: 'findings', lines: true });
    const all = JSON.parse(await readFile(join(harness.outputDir, 'findings.json'), 'utf8')) as Record<string, unknown>[];
    const lines = (await readFile(join(harness.outputDir, 'findings.jsonl'), 'utf8')).split('\n').filter((l) => l !== '');

    expect(lines.map((l) => JSON.parse(l) as unknown)).toEqual(all);
    expect(Object.keys(all[0] ?? {})).toEqual(COLUMNS);
    const url = all.find((f) => f['label'] === 'url:http://vman23.com/ba21/admin.php');
    expect(url).toMatchObject({ row: 2, kind: 'ioc', source: 'viriback', detail: { column: 'url', match: 'exact', value: 'http://vman23.com/ba21/admin.php', threat: 'Pony', confidence: 0.7 } });
    expect(all.find((f) => f['label'] === 'rare:method')).toMatchObject({ row: 5, kind: 'anomaly', entity: 'POST', detail: { column: 'method', value: 'POST', count: 1 } });
  });

  it('leaves the row empty for a finding about the whole dataset, and keeps evidence that is not JSON as text', async () => {
    const table = 'hand_findings';
    await createFindingsTable(harness.sql, table, new AbortController().signal);
    await harness.sql.run(`INSERT INTO ${table} VALUES
      (NULL, 'anomaly', 'spike:hour', 40, 'analysis.patterns', '2026-03-02T08:00:00Z', '{"events": 412, "z": NaN}'),
      (0, 'anomaly', 'note:free-text', 5, 'plugin.notes', 'kira.rossi', '=not json, ; but text')`);
    const hand = await harness.workspace.handle(harness.sql, table, [table]);

    await harness.run(jsonExport, { findings: [hand] }, { output: 'anomalies', file: 'anomalies.json', source: 'findings' });
    await harness.run(csvExport, { findings: [hand] }, { output: 'anomalies', file: 'anomalies.csv', source: 'findings' });
    const json = JSON.parse(await readFile(join(harness.outputDir, 'anomalies.json'), 'utf8')) as Record<string, unknown>[];
    const csv = await csvRows('anomalies.csv');

    expect(json).toEqual([
      { row: null, kind: 'anomaly', label: 'spike:hour', score: 40, source: 'analysis.patterns', entity: '2026-03-02T08:00:00Z', detail: { events: 412, z: null } },
      { row: 1, kind: 'anomaly', label: 'note:free-text', score: 5, source: 'plugin.notes', entity: 'kira.rossi', detail: '=not json, ; but text' },
    ]);
    expect(csv.map((r) => [r['row'], r['label'], r['detail']])).toEqual([
      ['', 'spike:hour', '{"events": 412, "z": NaN}'],
      ['1', 'note:free-text', "'=not json, ; but text"],
    ]);
  });
});
