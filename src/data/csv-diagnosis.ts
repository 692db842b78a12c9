// When the engine refuses a CSV, find the first offending row ourselves so the error can name it.
import { createReadStream } from 'node:fs';
import Papa from 'papaparse';

export interface CsvProblem {
  readonly row: number;
  readonly message: string;
}

/** Streams the file with papaparse and stops at the first structural error (ragged row, bad quotes); null when it finds none. */
export async function findCsvProblem(path: string, delimiter: string, encoding: BufferEncoding, signal?: AbortSignal): Promise<CsvProblem | null> {
  return new Promise((resolvePromise, reject) => {
    let expected: number | null = null;
    let row = 0;
    let settled = false;
    const stream = createReadStream(path, { encoding });
    const finish = (value: CsvProblem | null): void => {
      if (settled) return;
      settled = true;
      stream.destroy();
      resolvePromise(value);
    };
    signal?.addEventListener('abort', () => { finish(null); }, { once: true });
    Papa.parse<string[]>(stream, {
      delimiter,
      skipEmptyLines: true,
      comments: '#',
      step: (result, parser) => {
        row += 1;
        const error = result.errors[0];
        if (error !== undefined) {
          parser.abort();
          finish({ row, message: error.message });
          return;
        }
        const fields = result.data.length;
        if (expected === null) expected = fields;
        else if (fields !== expected) {
          parser.abort();
          finish({ row, message: `expected ${expected} fields, found ${fields}` });
        }
      },
      complete: () => { finish(null); },
      error: (error: Error) => {
        if (!settled) reject(error);
      },
    });
  });
}
