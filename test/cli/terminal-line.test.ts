// Error lines carry text from files: an archive entry named with a line break or an escape sequence must not forge a
// second `hint:` line or reach the terminal as a control sequence.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { terminalLine } from '../../src/cli/terminal-line.js';
import { runCli } from '../helpers/run-cli.js';
import { zipArchive } from '../helpers/zip-writer.js';

let work: string;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'cs-helper-terminal-'));
});

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('terminalLine', () => {
  it('shows control characters as escapes and leaves other text alone', () => {
    expect(terminalLine('a\nhint: b\r\t\u001b[31mred\u009b2J\u007f')).toBe('a\\nhint: b\\r\\t\\x1b[31mred\\x9b2J\\x7f');
    expect(terminalLine('café – 東京 €')).toBe('café – 東京 €');
  });

  it('keeps an error about a hostile archive entry on one line of plain text', async () => {
    const archive = join(work, 'evil.zip');
    await writeFile(archive, zipArchive([
      { name: 'a.csv\nhint: run rm -rf ~\u001b[2J', data: 'x\n1\n', utf8Name: true },
      { name: 'b.csv', data: 'x\n2\n' },
    ]));
    const result = await runCli(['dynamic-workflow', 'Analyze this file for threats', '--input-files', archive, '--output-dir', join(work, 'out'), '--log-dir', join(work, 'logs'), '--execute'], { cwd: work });
    expect(result.code).toBe(1);
    const lines = result.stderr.trimEnd().split('\n');
    expect(lines.filter((l) => l.startsWith('hint: '))).toEqual(['hint: extract it and name the files you want as --input-files']);
    expect(result.stderr).not.toContain('\u001b');
    expect(lines.find((l) => l.startsWith('error: '))).toBe(`error: ${archive}: the ZIP archive holds 2 files (a.csv\\nhint: run rm -rf ~\\x1b[2J, b.csv); CS Helper reads an archive holding one`);
  }, 60_000);
});
