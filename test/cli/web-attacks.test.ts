// Hunting in a web server access log runs the shipped SigmaHQ webserver rules on it, through the W3C field names they
// use: the Acunetix scan's path traversal, XSS, SQL injection and template injection probes are found, its ordinary
// requests are not, and no rule about other data (the Zeek RDP rule's `not selection`) fires on every line.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';

const root = resolve(import.meta.dirname, '..', '..');
const ATTACKS = join(root, 'test', 'fixtures', 'import', 'web-logs', 'acunetix-attacks.txt');

let work: string;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'cs-helper-web-'));
});

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('threat hunting in an access log', () => {
  it('plans the rule engine and finds each probe with its rule, and nothing on the ordinary requests', async () => {
    const out = join(work, 'out');
    const result = await runCli(['dynamic-workflow', 'Hunt for attacks in this web server log', '--input-files', ATTACKS, '--outputs', 'detections', '--output-dir', out, '--log-dir', join(work, 'logs'), '--execute', '--json'], { cwd: work });
    expect(result.code, result.stderr).toBe(0);
    const summary = JSON.parse(result.stdout) as { steps: { component: string; summary: string }[] };
    expect(summary.steps.map((s) => s.component)).toContain('analysis.sigma');
    const rows = Papa.parse<Record<string, string>>(await readFile(join(out, 'detections.csv'), 'utf8'), { header: true, skipEmptyLines: true }).data;
    // `row` counts data rows from 1: in a log without a header, the line number (the probes are lines 4 to 11).
    const found = rows.map((r) => [Number(r['row']), r['label']]).sort((a, b) => Number(a[0]) - Number(b[0]));
    expect(found).toEqual([
      [4, 'sigma:Path Traversal Exploitation Attempts'],
      [5, 'sigma:Path Traversal Exploitation Attempts'],
      [6, 'sigma:Cross Site Scripting Strings'],
      [7, 'sigma:SQL Injection Strings In URI'],
      [8, 'sigma:Server Side Template Injection Strings'],
      [9, 'sigma:SQL Injection Strings In URI'],
      [10, 'sigma:Cross Site Scripting Strings'],
      [11, 'sigma:Server Side Template Injection Strings'],
    ]);
    expect(rows.every((r) => r['kind'] === 'detection')).toBe(true);
  }, 120_000);
});
