// Stacked CSV files that differ in delimiter, header or encoding: the planner gives import.csv each file's own dialect
// (file_dialects), the import reads each file with it, and plans written before file_dialects existed still run.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createBuiltInRegistry } from '../../src/components/built-ins.js';
import { csvImport } from '../../src/components/import/csv.js';
import { plainText } from '../../src/data/plain-value.js';
import type { PlanNode, WorkflowPlan } from '../../src/model/workflow-plan.js';
import { validatePlan } from '../../src/planner/load-plan.js';
import { planWorkflow } from '../../src/planner/plan-workflow.js';
import { ComponentHarness, datasetOf } from '../helpers/component-harness.js';

const registry = createBuiltInRegistry();
let folder: string;

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'cs-helper-dialects-'));
  await writeFile(join(folder, 'bom.csv'), '\ufeffsrc_ip,dst_ip,user\n10.0.0.1,8.8.8.8,alice\n10.0.0.2,8.8.4.4,bob\n');
  await writeFile(join(folder, 'semi2.csv'), 'src_ip;dst_ip;user\n10.0.0.7;8.8.8.8;zed\n');
  await writeFile(join(folder, 'utf16.csv'), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('src_ip,dst_ip,user\r\n10.0.0.9,1.1.1.1,kira\r\n10.0.0.10,1.0.0.1,jörg\r\n', 'utf16le')]));
  await writeFile(join(folder, 'day2.csv'), 'src_ip,dst_ip,user\n10.0.0.3,9.9.9.9,carol\n');
});
afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

function plan(inputFiles: string[]): Promise<WorkflowPlan> {
  return planWorkflow({ problem: 'Analyze these files for threats', inputFiles, outputs: ['enriched_data'], baseDir: folder }, registry);
}

function importNode(p: WorkflowPlan): PlanNode {
  const found = p.nodes.filter((n) => n.component === 'import.csv');
  expect(found).toHaveLength(1);
  return found[0] as PlanNode;
}

describe('import.csv with stacked files of different dialects', () => {
  let harness: ComponentHarness;
  beforeEach(async () => {
    harness = await ComponentHarness.open({ baseDir: folder });
  });
  afterEach(async () => {
    await harness.close();
  });

  /** Runs the plan's import step as planned and returns its rows as [file, src_ip, user]. */
  async function importAsPlanned(p: WorkflowPlan): Promise<string[][]> {
    const output = await harness.run(csvImport, {}, importNode(p).params as never);
    const dataset = datasetOf(output);
    expect(dataset.columns.map((c) => c.name)).toEqual(['src_ip', 'dst_ip', 'user', 'source_file']);
    const rows = await harness.sql.all(`SELECT source_file, src_ip, "user" FROM "${dataset.table}" ORDER BY source_file, src_ip`);
    return rows.map((r) => [basename(plainText(r['source_file'])), plainText(r['src_ip']), plainText(r['user'])]);
  }

  it('reads a semicolon file stacked after a comma file with its own delimiter', async () => {
    const p = await plan(['bom.csv', 'semi2.csv']);
    expect(importNode(p).params).toMatchObject({
      paths: ['bom.csv', 'semi2.csv'],
      file_dialects: { 'bom.csv': { delimiter: ',', encoding: 'utf-8' }, 'semi2.csv': { delimiter: ';', encoding: 'utf-8' } },
    });
    expect(await importAsPlanned(p)).toEqual([
      ['bom.csv', '10.0.0.1', 'alice'],
      ['bom.csv', '10.0.0.2', 'bob'],
      ['semi2.csv', '10.0.0.7', 'zed'],
    ]);
  });

  it('reads a UTF-16 file and a UTF-8 file each in its own encoding, in either order', async () => {
    const expected = [
      ['bom.csv', '10.0.0.1', 'alice'],
      ['bom.csv', '10.0.0.2', 'bob'],
      ['utf16.csv', '10.0.0.10', 'jörg'],
      ['utf16.csv', '10.0.0.9', 'kira'],
    ];
    const utf8First = await plan(['bom.csv', 'utf16.csv']);
    expect(importNode(utf8First).params).toMatchObject({ file_dialects: { 'bom.csv': { encoding: 'utf-8' }, 'utf16.csv': { encoding: 'utf-16le' } } });
    expect(await importAsPlanned(utf8First)).toEqual(expected);
    expect(await importAsPlanned(await plan(['utf16.csv', 'bom.csv']))).toEqual(expected);
  });

  it('keeps the plan as it was for files that agree: one delimiter, header and encoding, no per-file entries', async () => {
    const p = await plan(['bom.csv', 'day2.csv']);
    expect(importNode(p).params).toMatchObject({ paths: ['bom.csv', 'day2.csv'], delimiter: ',', header: true, encoding: 'utf-8', comment: null, file_dialects: null });
    const single = await plan(['semi2.csv']);
    expect(importNode(single).params).toMatchObject({ paths: ['semi2.csv'], delimiter: ';', header: true, encoding: 'utf-8', comment: null, file_dialects: null });
  });

  it('validates and runs a plan written before file_dialects existed, and one with per-file entries', async () => {
    const p = await plan(['bom.csv', 'semi2.csv']);
    const exported = JSON.parse(JSON.stringify(p)) as WorkflowPlan;
    expect(() => validatePlan(exported, registry)).not.toThrow();
    // The old form: the step's settings only, as plans exported before this version hold them.
    const old = { paths: ['bom.csv', 'day2.csv'], delimiter: ',', header: true, encoding: 'utf-8', comment: null };
    importNode(exported).params = old;
    expect(() => validatePlan(exported, registry)).not.toThrow();
    const output = await harness.run(csvImport, {}, old as never);
    expect(datasetOf(output).rowCount).toBe(3);
  });

  it('warns when file_dialects names a file that is not in paths, and reads that file with the step settings', async () => {
    const output = await harness.run(csvImport, {}, { paths: ['semi2.csv'], delimiter: ';', file_dialects: { 'renamed.csv': { delimiter: ',' } } });
    expect(datasetOf(output).columns.map((c) => c.name)).toEqual(['src_ip', 'dst_ip', 'user']);
    expect(harness.log.entries.filter((e) => e.type === 'file-dialects-unused').map((e) => e.description)).toEqual(['file_dialects names files that are not in paths (renamed.csv): those entries were not used']);
  });
});
