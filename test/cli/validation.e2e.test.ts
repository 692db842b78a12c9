// Runs the built cs-helper binary with --schema, --validation-rules and a transformation problem, as a user would, and
// checks the step lines (per-rule counts), the violations file row by row, and the transformed data.
import { existsSync, readFileSync } from 'node:fs';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI_PATH, runCli, type CliResult } from '../helpers/run-cli.js';

const root = resolve(import.meta.dirname, '..', '..');
const validation = join(root, 'test', 'fixtures', 'validation');
const connections = join(root, 'test', 'fixtures', 'processing', 'connections.csv');

async function csHelper(args: readonly string[]): Promise<CliResult> {
  return runCli([...args, '--log-dir', join(work, 'logs')], { cwd: work, maxBuffer: 16 * 1024 * 1024 });
}

interface RunSummary {
  status: string;
  steps: { node: string; component: string; status: string; summary: string }[];
  files: { output: string; path: string; rows: number }[];
}

interface ViolationRow {
  row: number | null;
  check: string;
  rule: string;
  column: string | null;
  value: string | null;
}

let work: string;

beforeAll(async () => {
  if (!existsSync(CLI_PATH)) throw new Error('dist/bundle/cs-helper.js is missing: `npm run build` before the CLI tests');
  work = await mkdtemp(join(tmpdir(), 'cs-helper-validation-e2e-'));
});

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

/** "row:rule" for one check's violations, in file order. */
function listed(rows: readonly ViolationRow[], check: string): string[] {
  return rows.filter((r) => r.check === check).map((r) => `${r.row ?? '-'}:${r.rule}`);
}

describe('cs-helper dynamic-workflow --schema', () => {
  it('validates against a column-type spec: per-rule counts on the step line and the exact rows in the violations file', async () => {
    const out = join(work, 'schema-out');
    const result = await csHelper(['dynamic-workflow', 'Validate the firewall export against the schema', '--input-files', join(validation, 'firewall-events.csv'), '--schema', join(validation, 'firewall-columns.yaml'), '--outputs', 'violations', '--output-dir', out, '--execute', '--json']);
    expect(result.stderr).not.toMatch(/^error:/m);
    expect(result.code).toBe(0);
    const summary = JSON.parse(result.stdout) as RunSummary;
    expect(summary.status).toBe('completed');
    const step = summary.steps.find((s) => s.component === 'validation.schema');
    expect(step?.summary).toBe(
      `36 schema errors in 9 of 19 rules against ${join(validation, 'firewall-columns.yaml')}: rule_name.required 25, bytes_sent.type 2, event_id.unique 2, src_ip.type 2, action.enum 1, bytes_sent.max 1, dst_port.type 1, timestamp.max 1, 1 more`,
    );
    // Validation findings are data problems: nothing is threat-scored, no findings export is made of them.
    expect(summary.steps.map((s) => s.component)).not.toContain('processing.enrich');

    const rows = Papa.parse<ViolationRow>(readFileSync(join(out, 'violations.csv'), 'utf8'), { header: true, dynamicTyping: true, skipEmptyLines: true }).data;
    expect(listed(rows, 'schema')).toEqual(['-:rule_name.required', '5:src_ip.type', '10:event_id.unique', '11:dst_port.type', '12:bytes_sent.type', '14:action.enum', '15:timestamp.max', '17:bytes_sent.max', '18:timestamp.min', '19:bytes_sent.type', '21:event_id.unique', '23:src_ip.type']);
    expect(rows.find((r) => r.check === 'schema' && r.row === 14)).toEqual(expect.objectContaining({ column: 'action', value: 'PERMIT' }));
  });

  it('refuses a --schema file that does not exist in one line with a hint, before planning', async () => {
    const result = await csHelper(['dynamic-workflow', 'Validate the data', '--input-files', join(validation, 'firewall-events.csv'), '--schema', 'missing-schema.json', '--execute']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^error: missing-schema\.json: the --schema file does not exist$/m);
    expect(result.stderr).toMatch(/^hint: check the path given to --schema/m);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('refuses a folder or an unreadable file given as --validation-rules', async () => {
    const folder = await csHelper(['dynamic-workflow', 'Validate the data', '--input-files', join(validation, 'firewall-events.csv'), '--validation-rules', validation]);
    expect(folder.code).toBe(1);
    expect(folder.stderr).toContain(`error: ${validation}: the --validation-rules file is a folder, not a file`);
    const locked = join(work, 'locked.yaml');
    await writeFile(locked, 'rules: []\n');
    await chmod(locked, 0o000);
    const unreadable = await csHelper(['dynamic-workflow', 'Validate the data', '--input-files', join(validation, 'firewall-events.csv'), '--validation-rules', locked]);
    // Root reads any file; the refusal is only checkable as another user.
    if (process.getuid?.() !== 0) expect(unreadable.stderr).toMatch(/the --validation-rules file cannot be read$/m);
  });
});

describe('cs-helper dynamic-workflow --validation-rules', () => {
  it('checks business rules: per-rule counts on the step line and the exact rows in violations.json', async () => {
    const out = join(work, 'rules-out');
    const result = await csHelper(['dynamic-workflow', 'Validate the firewall export against our business rules', '--input-files', join(validation, 'firewall-events.csv'), '--validation-rules', join(validation, 'firewall-rules.yaml'), '--outputs', 'violations.json', '--output-dir', out, '--execute', '--json']);
    expect(result.code).toBe(0);
    const summary = JSON.parse(result.stdout) as RunSummary;
    expect(summary.steps.find((s) => s.component === 'validation.rules')?.summary).toBe(
      '9 violations of 6 of 7 rules (errors 5, warnings 3, info 1): bytes_sent_limit 3, unique_event_id 2, dst_port_range 1, known_action 1, login_has_user 1, user_format 1',
    );
    const rows = JSON.parse(readFileSync(join(out, 'violations.json'), 'utf8')) as ViolationRow[];
    expect(listed(rows, 'rules')).toEqual(['7:login_has_user', '8:user_format', '10:unique_event_id', '11:dst_port_range', '12:bytes_sent_limit', '14:known_action', '17:bytes_sent_limit', '19:bytes_sent_limit', '21:unique_event_id']);
    expect(rows.find((r) => r.check === 'rules' && r.row === 17)).toEqual(expect.objectContaining({ column: 'bytes_sent', value: '5000000000' }));
  });

  it('puts the rules file in the plan as the step parameter', async () => {
    const result = await csHelper(['dynamic-workflow', 'Check the data', '--input-files', join(validation, 'firewall-events.csv'), '--validation-rules', join(validation, 'firewall-rules.yaml'), '--json', '--no-cache']);
    expect(result.code).toBe(0);
    const plan = JSON.parse(result.stdout) as { nodes: { component: string; params: Record<string, unknown>; reason: string }[] };
    const node = plan.nodes.find((n) => n.component === 'validation.rules');
    expect(node?.params['rules']).toBe(join(validation, 'firewall-rules.yaml'));
    expect(node?.reason).toBe(`rule-validation for request:--validation-rules ${join(validation, 'firewall-rules.yaml')}`);
  });
});

describe('cs-helper dynamic-workflow with a transformation in the problem', () => {
  it('drops duplicates and keeps only rows where bytes > 1000: exactly the expected rows', async () => {
    const out = join(work, 'transform-out');
    const result = await csHelper(['dynamic-workflow', 'drop duplicates and keep only rows where bytes > 1000', '--input-files', connections, '--outputs', 'cleaned_data', '--output-dir', out, '--execute', '--json']);
    expect(result.code).toBe(0);
    const summary = JSON.parse(result.stdout) as RunSummary;
    expect(summary.steps.find((s) => s.component === 'processing.transform')?.summary).toBe('6 of 10 rows kept: filter dropped 2; 2 duplicates removed');
    const lines = readFileSync(connections, 'utf8').trim().split('\n');
    // The file's rows 1, 4, 5, 7, 8 and 10, unchanged and in order.
    const expected = [0, 1, 4, 5, 7, 8, 10].map((i) => lines[i]);
    expect(readFileSync(join(out, 'cleaned_data.csv'), 'utf8').trim().split('\n')).toEqual(expected);
  });

  it('plans the filter and the de-duplication as the step parameters', async () => {
    const result = await csHelper(['dynamic-workflow', 'Normalise timestamps to UTC, drop duplicate rows and keep only rows where bytes > 1000 and user != \'eve\', then export as JSON', '--input-files', connections, '--json', '--no-cache']);
    expect(result.code).toBe(0);
    const plan = JSON.parse(result.stdout) as { nodes: { component: string; params: Record<string, unknown> }[] };
    expect(plan.nodes.find((n) => n.component === 'processing.transform')?.params).toMatchObject({ filter: "bytes > 1000 and user != 'eve'", dedupe: true, normalise_time: true });
  });
});
