// Where human-readable text goes: stdout normally, stderr when stdout is reserved for JSON.

export interface Printer {
  /** Plan, summaries: stdout, or stderr in --json mode. */
  text(line?: string): void;
  /** Progress and warnings: always stderr. */
  note(line?: string): void;
  /** The one JSON document of --json mode. */
  json(value: unknown): void;
}

export function createPrinter(jsonMode: boolean): Printer {
  return {
    text: (line = '') => {
      (jsonMode ? process.stderr : process.stdout).write(`${line}\n`);
    },
    note: (line = '') => {
      process.stderr.write(`${line}\n`);
    },
    json: (value) => {
      process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
    },
  };
}
