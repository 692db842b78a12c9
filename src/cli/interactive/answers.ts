// Reads what a person typed at a prompt: the command words, lists of paths or names, and y/n/e confirmations.
import { homedir } from 'node:os';
import { join } from 'node:path';

/** Words that work at every prompt of interactive mode. */
export type Command = 'help' | 'components' | 'sessions' | 'quit' | 'back';

const COMMANDS: Readonly<Record<string, Command>> = {
  help: 'help',
  '?': 'help',
  components: 'components',
  sessions: 'sessions',
  quit: 'quit',
  exit: 'quit',
  q: 'quit',
  back: 'back',
  cancel: 'back',
};

export function commandOf(answer: string): Command | null {
  return COMMANDS[answer.trim().toLowerCase()] ?? null;
}

/**
 * Splits `a.csv, b.csv c.csv` or `"my logs.csv" other.csv` into items: commas and blanks separate, quotes group. A
 * leading `~/` is the home folder, as a shell would expand it (nothing else is expanded: no globs, no variables).
 */
export function splitList(answer: string): string[] {
  const items: string[] = [];
  let current = '';
  let quote: '"' | "'" | null = null;
  let quoted = false;
  const flush = (): void => {
    if (current !== '' || quoted) items.push(current);
    current = '';
    quoted = false;
  };
  for (const char of answer) {
    if (quote !== null) {
      if (char === quote) quote = null;
      else current += char;
    } else if (char === '"' || char === "'") {
      quote = char;
      quoted = true;
    } else if (char === ',' || /\s/.test(char)) {
      flush();
    } else {
      current += char;
    }
  }
  flush();
  return items.filter((item) => item !== '').map(expandHome);
}

export function expandHome(path: string): string {
  return path === '~' ? homedir() : path.startsWith('~/') ? join(homedir(), path.slice(2)) : path;
}

export type Confirmation = 'yes' | 'no' | 'edit';

export function confirmationOf(answer: string): Confirmation | null {
  switch (answer.trim().toLowerCase()) {
    case 'y':
    case 'yes':
      return 'yes';
    case 'n':
    case 'no':
      return 'no';
    case 'e':
    case 'edit':
      return 'edit';
    default:
      return null;
  }
}
