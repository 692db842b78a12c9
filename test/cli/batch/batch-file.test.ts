// The batch file reader: bounds, line numbers, JSON and schema errors, output folders that cannot clash or escape.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readBatchFile, type BatchEntry } from '../../../src/cli/batch/batch-file.js';
import { BatchLineError } from '../../../src/model/errors/batch-line-error.js';
import { InputFileError } from '../../../src/model/errors/input-file-error.js';
import { rejectionOf } from '../../helpers/rejection.js';

let dir: string;
let out: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cs-helper-batch-file-'));
  out = join(dir, 'out');
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function read(name: string, text: string, options: { maxLines?: number; maxLineChars?: number } = {}): Promise<readonly BatchEntry[]> {
  const path = join(dir, name);
  await writeFile(path, text);
  return (await readBatchFile(path, { outputDir: out, ...options })).entries;
}

const line = (fields: Record<string, unknown>): string => JSON.stringify({ problem: 'Analyze this CSV for security threats', input_files: ['fw.csv'], ...fields });

function failure(entry: BatchEntry | undefined): BatchLineError {
  if (entry === undefined || entry.ok) throw new Error(`expected a failed entry, got ${JSON.stringify(entry)}`);
  return entry.error;
}

describe('readBatchFile', () => {
  it('keeps file line numbers across blank lines, CRLF and a BOM, and gives each line its folder', async () => {
    const entries = await read('ok.jsonl', `\uFEFF${line({ id: 'a' })}\r\n\r\n${line({})}\r\n${line({ output_dir: 'nested/c', outputs: ['findings.json'] })}\r\n`);
    expect(entries.map((e) => [e.line, e.id, e.ok ? e.outputDir : null])).toEqual([
      [1, 'a', join(out, 'a')],
      [3, null, join(out, '3')],
      [4, null, join(out, 'nested', 'c')],
    ]);
    const [first] = entries;
    expect(first?.ok === true ? first.spec : null).toEqual({ id: 'a', problem: 'Analyze this CSV for security threats', input_files: ['fw.csv'], outputs: [], feeds: [] });
  });

  it('reads relative inputs from the batch file\'s folder', async () => {
    await writeFile(join(dir, 'base.jsonl'), line({}));
    expect((await readBatchFile(join(dir, 'base.jsonl'), { outputDir: out })).baseDir).toBe(dir);
  });

  it('reports bad lines with their number and reason, and keeps the others', async () => {
    const entries = await read(
      'bad.jsonl',
      [
        '{"problem": "x", ',
        '[1, 2]',
        line({ id: '../up' }),
        JSON.stringify({ problem: '   ', input_files: [] }),
        '{"__proto__": {"polluted": true}, "problem": "p", "input_files": ["a.csv"]}',
        line({ id: 'fine' }),
      ].join('\n'),
    );
    expect(entries.map((e) => (e.ok ? 'ok' : e.error.code))).toEqual(['batch-line-not-json', 'batch-line-invalid', 'batch-line-invalid', 'batch-line-invalid', 'batch-line-invalid', 'ok']);
    expect(failure(entries[0]).message).toMatch(/^line 1: not JSON: /);
    expect(failure(entries[1]).detail).toBe('Invalid input: expected object, received array');
    expect(failure(entries[2]).detail).toMatch(/^id: must be a plain name/);
    expect(failure(entries[3]).detail).toBe('problem: the problem is empty; input_files: name at least one input file');
    expect(failure(entries[4]).detail).toBe('Unrecognized key: "__proto__"');
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('refuses output folders outside the output folder, a reused id and a shared folder', async () => {
    const entries = await read('clash.jsonl', [line({ id: 'a' }), line({ output_dir: '../x' }), line({ output_dir: '/tmp' }), line({ id: 'a', output_dir: 'other' }), line({ output_dir: 'a' }), line({ id: '7' }), line({})].join('\n'));
    expect(entries.map((e) => (e.ok ? 'ok' : e.error.code))).toEqual(['ok', 'batch-line-outside-output-dir', 'batch-line-outside-output-dir', 'batch-line-duplicate', 'batch-line-duplicate', 'ok', 'batch-line-duplicate']);
    expect(failure(entries[3]).detail).toBe("id 'a' is already used by line 1");
    expect(failure(entries[6]).detail).toBe(`writes to ${join(out, '7')}, as line 6 does`);
  });

  it('bounds the line length and the number of lines', async () => {
    const entries = await read('long.jsonl', `${line({ problem: 'x'.repeat(200) })}\n${line({})}`, { maxLineChars: 100 });
    expect(failure(entries[0]).detail).toMatch(/^\d+ characters; a line holds at most 100$/);
    expect(entries[1]?.ok).toBe(true);
    const error = await rejectionOf(read('many.jsonl', [line({}), line({}), line({})].join('\n'), { maxLines: 2 }), InputFileError);
    expect(error).toMatchObject({ code: 'input-file-too-large', hint: 'split it into several batch files' });
  });

  it('refuses a missing or empty batch file as an input file error', async () => {
    expect(await rejectionOf(readBatchFile(join(dir, 'none.jsonl'), { outputDir: out }), InputFileError)).toMatchObject({ code: 'input-file-not-found' });
    expect(await rejectionOf(read('blank.jsonl', '\n\n  \n'), InputFileError)).toMatchObject({ code: 'input-file-empty' });
  });
});
