// import.csv's working copies (UTF-8 copies of Windows-1252 files, repairs of mostly-UTF-8 files): one per input even
// when two inputs share a base name or are repaired together, and none left behind, whether the import ends well or not.
import { copyFile, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import iconv from 'iconv-lite';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { csvImport } from '../../../src/components/import/csv.js';
import { plainText } from '../../../src/data/plain-value.js';
import { InputFileError } from '../../../src/model/errors/input-file-error.js';
import { ComponentHarness, datasetOf } from '../../helpers/component-harness.js';
import { rejectionOf } from '../../helpers/rejection.js';

let folder: string;
/** Where the import's copies go during these tests (the system temporary folder, pointed here). */
let spill: string;
const systemTemp = process.env['TMPDIR'];

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'cs-helper-copies-'));
  spill = join(folder, 'spill');
  await mkdir(spill);
  for (const [day, user] of [['day1', 'alice'], ['day2', 'bob']] as const) {
    await mkdir(join(folder, day));
    const rows = [1, 2, 3, 4, 5].map((i) => `10.0.0.${i},8.8.8.8,${user}${i},it\u2019s \u20ac5\n`).join('');
    await writeFile(join(folder, day, 'fw.csv'), iconv.encode(`src_ip,dst_ip,user,note\n${rows}`, 'windows-1252'));
  }
  // Over 256 KB of UTF-8 (the head the encoding is detected from), then one Windows-1252 line: found only by the engine.
  for (const name of ['mixA', 'mixB']) {
    const rows = Array.from({ length: 20_000 }, (_, i) => `10.1.${Math.floor(i / 250)}.${i % 250},${name}-${i},ok\n`).join('');
    await writeFile(join(folder, `${name}.csv`), Buffer.concat([Buffer.from(`src_ip,event,city\n${rows}`), Buffer.from(`10.9.9.9,${name}-last,caf\xe9\n`, 'latin1')]));
  }
  await copyFile(fileURLToPath(new URL('../../fixtures/bad/png-image.csv', import.meta.url)), join(folder, 'binary.csv'));
});
afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

describe('import.csv working copies', () => {
  let harness: ComponentHarness;
  beforeEach(async () => {
    process.env['TMPDIR'] = spill;
    harness = await ComponentHarness.open({ baseDir: folder });
  });
  afterEach(async () => {
    await harness.close();
    if (systemTemp === undefined) delete process.env['TMPDIR'];
    else process.env['TMPDIR'] = systemTemp;
  });

  async function leftovers(): Promise<string[]> {
    return (await readdir(spill)).filter((name) => name.startsWith('cs-helper-import-'));
  }

  it('keeps the rows of two Windows-1252 files that share a base name in different folders', async () => {
    const output = await harness.run(csvImport, {}, { paths: ['day1/fw.csv', 'day2/fw.csv'] });
    const dataset = datasetOf(output);
    const rows = await harness.sql.all(`SELECT source_file, "user", note FROM "${dataset.table}" ORDER BY source_file, "user"`);
    expect(rows.map((r) => [plainText(r['source_file']).slice(folder.length + 1), plainText(r['user'])])).toEqual([
      ...[1, 2, 3, 4, 5].map((i) => ['day1/fw.csv', `alice${i}`]),
      ...[1, 2, 3, 4, 5].map((i) => ['day2/fw.csv', `bob${i}`]),
    ]);
    expect(new Set(rows.map((r) => r['note']))).toEqual(new Set(['it\u2019s \u20ac5']));
    expect(await leftovers()).toEqual([]);
  });

  it('repairs two large mostly-UTF-8 files together, reading each stray line as Windows-1252, and removes the copies', async () => {
    const output = await harness.run(csvImport, {}, { paths: ['mixA.csv', 'mixB.csv'] });
    const dataset = datasetOf(output);
    expect(dataset.rowCount).toBe(40_002);
    const last = await harness.sql.all(`SELECT event, city FROM "${dataset.table}" WHERE event LIKE '%-last' ORDER BY event`);
    expect(last).toEqual([
      { event: 'mixA-last', city: 'café' },
      { event: 'mixB-last', city: 'café' },
    ]);
    expect(harness.log.entries.filter((e) => e.type === 'mixed-encoding').map((e) => e.description)).toEqual([
      'mixA.csv: 1 lines were not UTF-8 and were read as Windows-1252',
      'mixB.csv: 1 lines were not UTF-8 and were read as Windows-1252',
    ]);
    expect(await leftovers()).toEqual([]);
  });

  it('names the stray line, by its line number, of the one file of two that has one', async () => {
    const output = await harness.run(csvImport, {}, { paths: ['mixA.csv', 'day1/fw.csv'], delimiter: ',' });
    expect(output.message).toContain('1 line not UTF-8, read as Windows-1252 (line 20002)');
    expect(harness.log.decisions.filter((d) => d.decision === 'text encoding fallback').map((d) => d.reasoning)).toEqual([
      'mixA.csv: 1 lines are not valid UTF-8 (lines 20002); they were read as Windows-1252',
    ]);
  });

  it('removes the copies when the import fails after making them', async () => {
    const error = await rejectionOf(harness.run(csvImport, {}, { paths: ['day1/fw.csv', 'day2/fw.csv', 'binary.csv'] }), InputFileError);
    expect(error.file).toBe('binary.csv');
    expect(await leftovers()).toEqual([]);
  });
});
