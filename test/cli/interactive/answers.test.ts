// Reading what was typed: commands, path and name lists with quotes, y/n/e.
import { homedir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { commandOf, confirmationOf, splitList } from '../../../src/cli/interactive/answers.js';

describe('splitList', () => {
  it('splits on commas and blanks, in any mix', () => {
    expect(splitList('a.csv, b.csv  c.csv,d.csv')).toEqual(['a.csv', 'b.csv', 'c.csv', 'd.csv']);
    expect(splitList('  ,, ')).toEqual([]);
  });

  it('keeps quoted paths whole, with their blanks and commas', () => {
    expect(splitList(`"my logs/fw, day 1.csv" 'it''s.csv' plain.csv`)).toEqual(['my logs/fw, day 1.csv', 'its.csv', 'plain.csv']);
  });

  it('expands a leading ~/ to the home folder, and nothing else', () => {
    expect(splitList('~/x.csv ~ a~/b.csv $HOME/c.csv')).toEqual([join(homedir(), 'x.csv'), homedir(), 'a~/b.csv', '$HOME/c.csv']);
  });
});

describe('commandOf and confirmationOf', () => {
  it('knows the commands whatever their case, and nothing else', () => {
    expect(['help', '?', 'Components', 'SESSIONS', 'quit', 'exit', 'q', 'back', 'cancel', 'analyze'].map(commandOf)).toEqual(['help', 'help', 'components', 'sessions', 'quit', 'quit', 'quit', 'back', 'back', null]);
  });

  it('reads y/yes, n/no, e/edit', () => {
    expect(['y', 'YES', 'n', 'No', 'e', 'edit', 'maybe', ''].map(confirmationOf)).toEqual(['yes', 'yes', 'no', 'no', 'edit', 'edit', null, null]);
  });
});
