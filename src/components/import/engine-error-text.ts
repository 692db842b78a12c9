// Turns the engine's long error text into one line a user can act on.

/** First meaningful line of a DuckDB error, without its 'Invalid Input Error:' prefix. */
export function firstLine(message: string): string {
  const line = message.split('\n').map((l) => l.trim()).find((l) => l !== '') ?? message;
  return line.replace(/^[A-Za-z ]+Error: /, '');
}

/** The line number DuckDB names in a CSV error, if any. */
export function csvErrorLine(message: string): number | undefined {
  const match = /CSV Error on Line: (\d+)/.exec(message);
  return match?.[1] === undefined ? undefined : Number(match[1]);
}

export function mentionsEncoding(message: string): boolean {
  return /Invalid unicode|not utf-(8|16) encoded/i.test(message);
}
