// The end-of-run summary's rows line: a run that stopped before writing anything says so instead of counting rows out.
import { describe, expect, it } from 'vitest';
import type { Printer } from '../../src/cli/output-stream.js';
import { printSummary } from '../../src/cli/print-summary.js';
import type { RunResult } from '../../src/model/run-result.js';

function printed(result: RunResult): string[] {
  const lines: string[] = [];
  const out: Printer = { text: (line = '') => lines.push(line), note: (line = '') => lines.push(line), json: () => undefined };
  printSummary(result, out);
  return lines;
}

const run = (overrides: Partial<RunResult>): RunResult => ({
  runId: '01a219d3-856b-7508-822d-1edce2253f60',
  planId: 'p',
  status: 'completed',
  startedAt: '2026-01-01T00:00:00Z',
  durationMs: 1200,
  estimatedMs: 1000,
  rowsIn: 310_000,
  rowsOut: 310_000,
  steps: [],
  files: [],
  sessionLog: null,
  ...overrides,
});

describe('printSummary', () => {
  it('counts rows out for a completed run', () => {
    expect(printed(run({}))).toContain('Rows: 310,000 in, 310,000 out');
  });

  it('says nothing was written when a cancelled or failed run wrote no file', () => {
    for (const status of ['cancelled', 'failed'] as const) {
      const lines = printed(run({ status, rowsOut: 0 }));
      expect(lines).toContain('Rows: 310,000 in, nothing written');
      expect(lines).toContain('To continue from the first unfinished step: cs-helper resume 01a219d3-856b');
    }
  });

  it('counts the rows of the files a stopped run wrote before it stopped', () => {
    const file = { output: 'enriched_data', path: '/tmp/out/enriched_data.csv', format: 'csv', bytes: 2048, rows: 310_000 };
    expect(printed(run({ status: 'cancelled', rowsOut: 310_000, files: [file] }))).toContain('Rows: 310,000 in, 310,000 out');
  });
});
