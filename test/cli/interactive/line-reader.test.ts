// The line reader on plain streams: lines that arrive before they are asked for are kept in order, answers are echoed
// after the prompt when the input is not a terminal, and the end of input answers null.
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { LineReader } from '../../../src/cli/interactive/line-reader.js';

function streams(): { input: PassThrough; output: PassThrough; written: () => string } {
  const input = new PassThrough();
  const output = new PassThrough();
  let text = '';
  output.on('data', (chunk: Buffer) => {
    text += chunk.toString('utf8');
  });
  return { input, output, written: () => text };
}

describe('LineReader', () => {
  it('hands out lines that arrived all at once, in order, then null at the end', async () => {
    const { input, output, written } = streams();
    const reader = new LineReader({ input, output });
    input.end('first\nsecond\r\nthird');
    // Let the whole input be read before anything is asked, as a pipe does.
    await new Promise((resolve) => setImmediate(resolve));
    expect(await reader.ask('1? ')).toBe('first');
    expect(await reader.ask('2? ')).toBe('second');
    expect(await reader.ask('3? ')).toBe('third');
    expect(await reader.ask('4? ')).toBeNull();
    expect(await reader.ask('5? ')).toBeNull();
    expect(reader.ended).toBe(true);
    expect(written()).toBe('1? first\n2? second\n3? third\n4? \n5? \n');
  });

  it('waits for a line typed after the prompt', async () => {
    const { input, output, written } = streams();
    const reader = new LineReader({ input, output });
    const answer = reader.ask('name? ');
    await new Promise((resolve) => setImmediate(resolve));
    expect(written()).toBe('name? ');
    input.write('fw.csv\n');
    expect(await answer).toBe('fw.csv');
    expect(written()).toBe('name? fw.csv\n');
    reader.close();
    expect(await reader.ask('again? ')).toBeNull();
  });

  it('keeps a large burst of lines without losing any', async () => {
    const { input, output } = streams();
    const reader = new LineReader({ input, output });
    const lines = Array.from({ length: 2_000 }, (_, i) => `line ${i}`);
    input.end(`${lines.join('\n')}\n`);
    const got: string[] = [];
    for (let answer = await reader.ask(''); answer !== null; answer = await reader.ask('')) got.push(answer);
    expect(got).toEqual(lines);
  });
});
