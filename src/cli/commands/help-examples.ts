// The "Examples:" section of a command's help, in one shape for every command (commander prints it after the options).
// A test reads every `$ cs-helper ...` line back and checks its command and options against the registered ones.

/**
 * `commands` are written without the `$ cs-helper ` prefix; a newline in one continues it on the next line (printed
 * with a trailing backslash, as a shell reads it). `note` is a paragraph after them.
 */
export function examplesHelp(commands: readonly string[], note?: string): string {
  const lines = commands.map((command) => `  $ cs-helper ${command.split('\n').join(' \\\n      ')}`);
  return `\nExamples:\n${lines.join('\n')}${note === undefined ? '' : `\n\n${note}`}`;
}
