// The MCP server over stdio, driven by the SDK's own Client spawning the built binary: tools listed from the registry
// (a plugin included), a component called on a real file, a workflow run with progress, a run cancelled with nothing
// left behind, paths outside the root refused, and every request in the connection's session log.
import { existsSync } from 'node:fs';
import { copyFile, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult, Progress } from '@modelcontextprotocol/sdk/types.js';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EVENT_ROWS, FIXTURES, makeRoot, REPO, type McpTestRoot } from './mcp-root.js';
import { CLI_PATH } from '../helpers/run-cli.js';

const cli = CLI_PATH;
let where: McpTestRoot;
let client: Client;

function textOf(result: unknown): string {
  const first = (result as CallToolResult).content[0];
  return first?.type === 'text' ? first.text : '';
}

async function call(name: string, args: Record<string, unknown>): Promise<CallToolResult> {
  return (await client.callTool({ name, arguments: args })) as CallToolResult;
}

beforeAll(async () => {
  if (!existsSync(cli)) throw new Error('dist/bundle/cs-helper.js is missing: run `npm run build` before the MCP tests');
  where = await makeRoot();
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [cli, '--log-dir', where.logDir, '--plugins', join(FIXTURES, 'plugins'), 'mcp', '--root', where.root],
    cwd: where.root,
    env: { ...(process.env as Record<string, string>), NO_COLOR: '1' },
    stderr: 'pipe',
  });
  client = new Client({ name: 'cs-helper-test', version: '1.0.0' });
  await client.connect(transport);
});

afterAll(async () => {
  await rm(where.outer, { recursive: true, force: true });
});

describe('cs-helper mcp over stdio', () => {
  it('lists one tool per component, plugins included, and the workflow tools', async () => {
    const { tools } = await client.listTools();
    const names = tools.map((t) => t.name);
    for (const id of ['import.csv', 'import.json', 'validation.quality', 'analysis.patterns', 'intel.ioc-match', 'processing.enrich', 'export.csv', 'analysis.heavy-count']) expect(names).toContain(id);
    for (const tool of ['analyze_problem', 'generate_workflow', 'execute_workflow', 'explain_plan', 'list_components', 'get_session_summary']) expect(names).toContain(tool);
    const importCsv = tools.find((t) => t.name === 'import.csv');
    expect(importCsv?.description).toMatch(/CSV or TSV/);
    expect(importCsv?.inputSchema.required).toContain('paths');
    expect(Object.keys(importCsv?.outputSchema?.properties ?? {})).toEqual(expect.arrayContaining(['dataset', 'files', 'run_id']));
    const stats = tools.find((t) => t.name === 'analysis.statistics');
    expect(stats?.inputSchema.required).toContain('input_files');
    // A client's model chooses arguments from these words: every parameter of the shipped tools says what it does.
    const undescribed = tools
      .filter((t) => t.name !== 'analysis.heavy-count')
      .flatMap((t) => Object.entries(t.inputSchema.properties ?? {}).flatMap(([name, schema]) => ((schema as { description?: string }).description === undefined ? [`${t.name}.${name}`] : [])));
    expect(undescribed).toEqual([]);
  });

  it('imports a real CSV through import.csv: exact rows, columns and roles', async () => {
    const result = await call('import.csv', { paths: ['events.csv'] });
    expect(result.isError).toBeFalsy();
    const out = result.structuredContent as { status: string; dataset: { row_count: number; columns: { name: string; role: string | null }[]; preview: Record<string, unknown>[] } };
    expect(out.status).toBe('completed');
    expect(out.dataset.row_count).toBe(EVENT_ROWS);
    expect(out.dataset.columns.map((c) => c.name)).toEqual(['timestamp', 'src_ip', 'src_port', 'dst_ip', 'dst_port', 'protocol', 'action', 'bytes_sent', 'bytes_received', 'duration_ms', 'user', 'hostname', 'domain', 'url', 'file_hash', 'event_type']);
    expect(out.dataset.columns.find((c) => c.name === 'src_ip')?.role).toBe('ip');
    expect(out.dataset.preview).toHaveLength(10);
    expect(out.dataset.preview[0]?.['src_ip']).toBe('10.20.12.214');
  });

  it('runs export.csv on input files imported first, and writes the file inside the root', async () => {
    const result = await call('export.csv', { input_files: ['events.csv'], params: { output: 'events_copy', file: 'events_copy.csv' }, output_dir: 'exports' });
    expect(result.isError).toBeFalsy();
    const out = result.structuredContent as { files: { path: string; rows: number }[]; steps: { component: string }[] };
    expect(out.steps.map((s) => s.component)).toEqual(['import.csv', 'export.csv']);
    expect(out.files[0]?.path).toBe(join(where.root, 'exports', 'events_copy.csv'));
    const parsed = Papa.parse<Record<string, string>>(await readFile(join(where.root, 'exports', 'events_copy.csv'), 'utf8'), { header: true, skipEmptyLines: true });
    expect(parsed.data).toHaveLength(EVENT_ROWS);
    expect(parsed.data[1]?.['user']).toBe('svc_adsync');
  });

  it('refuses paths outside the root: .., absolute, and a link pointing out', async () => {
    for (const path of ['../secret.csv', where.secret, 'linked.csv', '/etc/passwd']) {
      const result = await call('import.csv', { paths: [path] });
      expect(result.isError).toBe(true);
      expect(textOf(result)).toContain('is outside the folders this server may read and write');
      expect(textOf(result)).toContain(`hint: use a path inside ${where.root}`);
    }
    const output = await call('export.csv', { input_files: ['events.csv'], params: { output: 'x', file: 'x.csv' }, output_dir: '../escape' });
    expect(output.isError).toBe(true);
    expect(existsSync(join(where.outer, 'escape'))).toBe(false);
  });

  it('turns a user mistake into a tool error with a hint, and keeps serving', async () => {
    const missing = await call('import.csv', { paths: ['nope.csv'] });
    expect(missing.isError).toBe(true);
    expect(textOf(missing)).toMatch(/^error: .*nope\.csv/);
    const badParams = await call('export.csv', { input_files: ['events.csv'], params: { output: 'x', file: '../x.csv' } });
    expect(badParams.isError).toBe(true);
    expect(textOf(badParams)).toMatch(/output file name/);
    const { tools } = await client.listTools();
    expect(tools.length).toBeGreaterThan(10);
  });

  it('runs a workflow on the worksheets named in `sheets`, and on every dataset of a workbook without it', async () => {
    await copyFile(join(REPO, 'test', 'fixtures', 'planner', 'workbooks', 'soc-handover.xlsx'), join(where.root, 'handover.xlsx'));
    const problem = 'Enrich this data and export it';
    const named = await call('execute_workflow', { problem, input_files: ['handover.xlsx'], outputs: ['enriched_data'], output_dir: 'sheets-named', sheets: ['Assets'] });
    expect(named.isError).toBeFalsy();
    const one = named.structuredContent as { status: string; rows_in: number; files: { path: string; rows: number }[] };
    expect(one.status).toBe('completed');
    expect(one.files.map((f) => [f.path, f.rows])).toEqual([[join(where.root, 'sheets-named', 'enriched_data.csv'), 4]]);
    const every = await call('execute_workflow', { problem, input_files: ['handover.xlsx'], outputs: ['enriched_data'], output_dir: 'sheets-all' });
    const both = every.structuredContent as { rows_in: number; files: { path: string; rows: number }[] };
    expect(both.rows_in).toBe(10);
    expect(both.files.map((f) => [f.path.slice(where.root.length + 1), f.rows]).sort()).toEqual([
      [join('sheets-all', 'enriched_data_alerts.csv'), 6],
      [join('sheets-all', 'enriched_data_assets.csv'), 4],
    ]);
  });

  it('generates a workflow and runs it with progress notifications', async () => {
    const generated = await call('generate_workflow', { problem: 'Analyze this CSV for security threats and export enriched data', input_files: ['events.csv'], outputs: ['enriched_data'], output_dir: 'run1' });
    expect(generated.isError).toBeFalsy();
    const { plan, summary } = generated.structuredContent as { plan: Record<string, unknown>; summary: { steps: { component: string }[] } };
    expect(summary.steps[0]?.component).toBe('import.csv');
    expect(summary.steps.map((s) => s.component)).toContain('export.csv');

    const progress: Progress[] = [];
    const run = (await client.callTool({ name: 'execute_workflow', arguments: { plan } }, undefined, { onprogress: (p) => progress.push(p) })) as CallToolResult;
    expect(run.isError).toBeFalsy();
    const out = run.structuredContent as { status: string; rows_in: number; files: { path: string; rows: number }[]; steps: unknown[] };
    expect(out.status).toBe('completed');
    expect(out.rows_in).toBe(EVENT_ROWS);
    expect(out.files.map((f) => f.path)).toContain(join(where.root, 'run1', 'enriched_data.csv'));
    expect(out.files.find((f) => f.path.endsWith('enriched_data.csv'))?.rows).toBe(EVENT_ROWS);
    // One notification per step at least, growing, ending at the number of steps.
    expect(progress.length).toBeGreaterThanOrEqual(out.steps.length);
    for (let i = 1; i < progress.length; i += 1) expect(progress[i]?.progress).toBeGreaterThan(progress[i - 1]?.progress ?? -1);
    expect(progress.at(-1)?.progress).toBe(out.steps.length);
    expect(progress.at(-1)?.total).toBe(out.steps.length);
  });

  it('stops a cancelled run promptly and leaves no output behind', async () => {
    const generated = await call('generate_workflow', { problem: 'Analyze this CSV for security threats and export enriched data', input_files: ['events.csv'], outputs: ['enriched_data'], output_dir: 'cancelled' });
    expect(textOf(generated)).not.toMatch(/^error/);
    const plan = (generated.structuredContent as { plan: { nodes: Record<string, unknown>[]; stages: { index: number; mode: string; nodes: string[] }[] } }).plan;
    // A long engine step between the import and the rest of the plan, in a stage of its own.
    plan.nodes.push({ id: 'heavy', component: 'analysis.heavy-count', type: 'ANALYSIS', complexity: 'SIMPLE', title: 'Heavy count', params: { numbers: 200_000_000_000 }, inputs: { dataset: ['import'] }, depends_on: ['import'], reason: 'test', estimated_ms: 1, condition: null, loop: null, timeout_ms: null });
    const [first, ...rest] = plan.stages;
    plan.stages = [first ?? { index: 0, mode: 'sequential', nodes: ['import'] }, { index: 1, mode: 'sequential', nodes: ['heavy'] }, ...rest.map((s) => ({ ...s, index: s.index + 1 }))];

    const controller = new AbortController();
    let abortedAt = 0;
    const running = client.callTool({ name: 'execute_workflow', arguments: { plan } }, undefined, {
      signal: controller.signal,
      timeout: 120_000,
      onprogress: (p) => {
        if (p.message === 'counting' && abortedAt === 0) {
          abortedAt = performance.now();
          controller.abort('the test cancels');
        }
      },
    });
    await expect(running).rejects.toThrow();
    expect(abortedAt).toBeGreaterThan(0);
    // The server goes on serving while the cancelled run winds down.
    const after = await call('import.csv', { paths: ['events.csv'], strict: true });
    expect(after.isError).toBeFalsy();
    const summary = await call('get_session_summary', { password: 'hunter2' });
    expect(summary.isError).toBeFalsy();
    expect((summary.structuredContent as { total_tool_calls: number }).total_tool_calls).toBeGreaterThan(10);
    // The live session log (session://<id>, read again until the step's end is there) shows the step cancelled within
    // seconds of the request: 200 billion hashes would take minutes.
    const sessionId = (summary.structuredContent as { session_id: string }).session_id;
    const deadline = abortedAt + 15_000;
    let stepCancelled = false;
    while (!stepCancelled && performance.now() < deadline) {
      const read = await client.readResource({ uri: `session://${sessionId}` });
      const content = read.contents[0];
      const live = JSON.parse(content !== undefined && 'text' in content ? content.text : '{}') as { events?: { event: string; step_name?: string; status?: string }[] };
      stepCancelled = (live.events ?? []).some((e) => e.event === 'workflow-execution' && e.step_name === 'heavy' && e.status === 'cancelled');
    }
    expect(stepCancelled).toBe(true);
    const leftovers = existsSync(join(where.root, 'cancelled')) ? await readdir(join(where.root, 'cancelled')) : [];
    expect(leftovers).toEqual([]);
  });

  it('writes every request to the session log of the connection, arguments redacted', async () => {
    await client.close();
    const names = (await readdir(where.logDir)).filter((n) => /^mcp_stdio_.*\.json$/.test(n));
    expect(names).toHaveLength(1);
    const document = JSON.parse(await readFile(join(where.logDir, names[0] ?? ''), 'utf8')) as {
      tool_calls: { tool: string; timestamp: string; trace_id?: string; parameters: Record<string, unknown>; duration_ms: number; result: string | null; error: string | null }[];
      workflow_executions: { timestamp: string; step_name: string; status: string; metadata: Record<string, unknown> }[];
    };
    // The MCP requests, traced by their protocol id; the engine's own step calls carry their run's trace id.
    const requests = document.tool_calls.filter((c) => c.trace_id?.startsWith('mcp:') === true);
    const tools = requests.map((c) => c.tool);
    expect(tools).toEqual(expect.arrayContaining(['initialize', 'tools/list', 'import.csv', 'export.csv', 'generate_workflow', 'execute_workflow', 'get_session_summary']));
    const imported = requests.find((c) => c.tool === 'import.csv' && c.error === null);
    expect(imported?.parameters['paths']).toEqual(['events.csv']);
    expect(imported?.result).toMatch(/^\d+ bytes$/);
    expect(imported?.duration_ms).toBeGreaterThan(0);
    const refused = requests.find((c) => c.tool === 'import.csv' && c.parameters['paths'] !== undefined && (c.parameters['paths'] as string[])[0] === '../secret.csv');
    expect(refused?.error).toContain('outside the folders');
    const summaryCall = requests.find((c) => c.tool === 'get_session_summary');
    expect(summaryCall?.parameters['password']).toBe('[REDACTED]');
    expect(JSON.stringify(document)).not.toContain('hunter2');
    const cancelled = document.workflow_executions.find((w) => w.step_name === 'workflow' && w.status === 'cancelled');
    expect(cancelled).toBeDefined();
    expect(Number(cancelled?.metadata['duration_ms'])).toBeLessThan(30_000);
  });
});
