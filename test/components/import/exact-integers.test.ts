// import.csv never rounds an integer: one value past BIGINT made the sniffer type a whole id column DOUBLE, and every
// id past 2^53 in it lost its last digits (9007199254740993 came out as 9007199254740992.0).
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { csvExport } from '../../../src/components/export/csv.js';
import { csvImport } from '../../../src/components/import/csv.js';
import { ComponentHarness, datasetOf } from '../../helpers/component-harness.js';

let folder: string;
beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'cs-helper-integers-'));
  await writeFile(join(folder, 'flows.csv'), 'src_ip,flow_id,duration\n10.0.0.1,9007199254740993,0.5\n10.0.0.2,18446744073709551615,1.25\n10.0.0.3,12345678901234567,2\n');
  await writeFile(join(folder, 'mixed.csv'), 'src_ip,value\n10.0.0.1,12345678901234567\n10.0.0.2,0.5\n');
  await writeFile(join(folder, 'huge.csv'), 'src_ip,value\n10.0.0.1,1234567890123456789012345678901234567890\n10.0.0.2,7\n');
});
afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

describe('import.csv integers past 2^53', () => {
  let harness: ComponentHarness;
  beforeEach(async () => {
    harness = await ComponentHarness.open({ baseDir: folder });
  });
  afterEach(async () => {
    await harness.close();
  });

  it('reads an id column with a value past BIGINT as 128-bit integers, every digit kept, and exports them exactly', async () => {
    const dataset = datasetOf(await harness.run(csvImport, {}, { paths: ['flows.csv'] }));
    expect(dataset.columns.map((c) => [c.name, c.sqlType])).toEqual([['src_ip', 'VARCHAR'], ['flow_id', 'HUGEINT'], ['duration', 'DOUBLE']]);
    const ids = await harness.sql.all(`SELECT flow_id::VARCHAR AS id FROM "${dataset.table}" ORDER BY src_ip`);
    expect(ids.map((r) => r['id'])).toEqual(['9007199254740993', '18446744073709551615', '12345678901234567']);
    expect(harness.log.decisions.map((d) => d.chosen)).toEqual(['HUGEINT for flow_id']);

    await harness.run(csvExport, { datasets: [dataset] }, { output: 'enriched_data', file: 'enriched_data.csv' });
    const exported = await readFile(join(harness.outputDir, 'enriched_data.csv'), 'utf8');
    for (const id of ['9007199254740993', '18446744073709551615', '12345678901234567']) expect(exported).toContain(`,${id},`);
  });

  it('reads such a column as text when it also holds fractions or values past 128 bits', async () => {
    const mixed = datasetOf(await harness.run(csvImport, {}, { paths: ['mixed.csv'] }));
    expect(mixed.columns.find((c) => c.name === 'value')?.sqlType).toBe('VARCHAR');
    expect((await harness.rows(mixed)).map((r) => r['value'])).toEqual(['12345678901234567', '0.5']);
    const huge = datasetOf(await harness.run(csvImport, {}, { paths: ['huge.csv'] }));
    expect((await harness.rows(huge)).map((r) => r['value'])).toEqual(['1234567890123456789012345678901234567890', '7']);
  });

  it('keeps DOUBLE for ordinary measures and for a type the user names', async () => {
    const named = datasetOf(await harness.run(csvImport, {}, { paths: ['flows.csv'], types: { flow_id: 'DOUBLE' } }));
    expect(named.columns.find((c) => c.name === 'flow_id')?.sqlType).toBe('DOUBLE');
    expect(named.columns.find((c) => c.name === 'duration')?.sqlType).toBe('DOUBLE');
    expect(harness.log.decisions).toEqual([]);
  });
});
