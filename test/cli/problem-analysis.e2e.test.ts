// The problem analysis through the built cs-helper binary: --constraints, negations and contradictions as a user meets them.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI_PATH } from '../helpers/run-cli.js';

const run = promisify(execFile);
const root = resolve(import.meta.dirname, '..', '..');
const cli = CLI_PATH;
const input = join(root, 'test', 'fixtures', 'planner', 'firewall.csv');

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

async function csHelper(args: readonly string[]): Promise<CliResult> {
  try {
    const { stdout, stderr } = await run(process.execPath, [cli, ...args, '--log-dir', join(work, 'logs')], { cwd: work, env: { ...process.env, NO_COLOR: '1' } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? -1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

let work: string;

beforeAll(async () => {
  if (!existsSync(cli)) throw new Error('dist/bundle/cs-helper.js is missing: `npm test` builds it before the tests run');
  work = await mkdtemp(join(tmpdir(), 'cs-helper-analysis-'));
});

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('cs-helper dynamic-workflow, problem analysis', () => {
  it('records --constraints, exclusions and requests in the plan it prints as JSON', async () => {
    const result = await csHelper([
      'dynamic-workflow',
      "Hunt for threts in the last 24 hours, no ML, don't export JSON",
      '--input-files', input,
      '--constraints', '{"time_budget_seconds": 120, "no_network": true, "max_rows": 50000}',
      '--json',
    ]);
    expect(result.code).toBe(0);
    const plan = JSON.parse(result.stdout) as {
      profile: { constraints: unknown; excluded: { what: string }[]; requests: { kind: string; value: string }[]; corrections: { from: string; to: string }[] };
      nodes: { component: string }[];
      confidence: { reasons: string[] };
    };
    expect(plan.profile.constraints).toEqual({ time_budget_seconds: 120, no_network: true, max_rows: 50000 });
    expect(plan.profile.excluded.map((e) => e.what)).toEqual(['ml_classification', 'ml-classification', 'output:json']);
    expect(plan.profile.requests).toEqual([{ kind: 'time_range', value: 'last 24 hours', text: 'in the last 24 hours' }]);
    expect(plan.profile.corrections).toEqual([{ from: 'threts', to: 'threats' }]);
    expect(plan.nodes.map((n) => n.component)).not.toContain('export.json');
    expect(plan.confidence.reasons.some((r) => r.includes('within the time budget of 120 s'))).toBe(true);
  });

  it('refuses --constraints that are not JSON, with a hint, exit code 2 and no stack trace', async () => {
    const result = await csHelper(['dynamic-workflow', 'Hunt for threats', '--input-files', input, '--constraints', '{max_rows: 5}']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^error: --constraints is not valid JSON/m);
    expect(result.stderr).toMatch(/^hint: quote the JSON for your shell, for example --constraints '\{"time_budget_seconds": 60/m);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('refuses an unknown constraint, naming it', async () => {
    const result = await csHelper(['dynamic-workflow', 'Hunt for threats', '--input-files', input, '--constraints', '{"max_row": 5}']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^error: invalid constraints: unknown constraint 'max_row'$/m);
    expect(result.stderr).toMatch(/^hint: constraints are a JSON object with any of time_budget_seconds, no_network, max_rows/m);
  });

  it('refuses a request that contradicts itself', async () => {
    const result = await csHelper(['dynamic-workflow', 'Hunt for threats but skip the report', '--input-files', input, '--outputs', 'threat_report']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^error: the request contradicts itself: it asks for output 'threat_report' but the problem rules it out \(negated: "skip the report"\)$/m);
    expect(result.stderr).toMatch(/^hint: drop 'threat_report' from --outputs/m);
  });
});
