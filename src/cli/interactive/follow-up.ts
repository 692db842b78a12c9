// What interactive mode offers after a plan was shown or run, and the "where are my results" answer.
import { relative } from 'node:path';
import type { RunResult } from '../../model/run-result.js';
import { bytes, count } from '../format.js';
import type { Printer } from '../output-stream.js';

export function followUpMenu(files: readonly string[]): string {
  return [
    'What next?',
    `  1  another problem on the same files (${files.join(', ')})`,
    '  2  the same problem with other outputs',
    '  3  show the report path and the files written',
    '  4  a new problem and new files',
    '  q  quit',
  ].join('\n');
}

/** The report first (what an analyst hands on), then every other file, then where the session log will be. */
export function printResults(result: RunResult | null, sessionLog: string, out: Printer): void {
  if (result === null) {
    out.text('Nothing has been run in this session yet.');
  } else {
    const reports = result.files.filter((f) => f.format === 'md' || f.format === 'html');
    const others = result.files.filter((f) => !reports.includes(f));
    out.text(`Last run: ${result.status}, ${count(result.rowsIn)} rows in, ${count(result.rowsOut)} out`);
    if (reports.length === 0) out.text('Report: none (no report was asked for)');
    for (const file of reports) out.text(`Report: ${shown(file.path)}  (${bytes(file.bytes)})`);
    for (const file of others) out.text(`File:   ${shown(file.path)}  (${file.rows === null ? '' : `${count(file.rows)} rows, `}${bytes(file.bytes)})`);
  }
  out.text(`Session log: ${shown(sessionLog)} (complete when you quit)`);
}

function shown(path: string): string {
  return relative(process.cwd(), path) || path;
}
