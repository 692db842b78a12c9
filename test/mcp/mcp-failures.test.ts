// Failed MCP tool calls, in-process through the SDK's own Client over a linked in-memory transport: each one is an error
// of the session (in `errors`, its total and get_session_summary), once, traced to its tool call; a failed step that
// the engine recorded is not counted again; a missing file's hint says where relative paths start over MCP.
import { copyFile, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lazyRegistry } from '../../src/cli/registry-loader.js';
import { connect, createConnection, type Connection } from '../../src/mcp/create-server.js';
import type { McpDeps } from '../../src/mcp/mcp-deps.js';
import { openMcpDeps } from '../../src/mcp/mcp-deps-open.js';
import type { CompiledSession } from '../../src/session/compiled-session.js';
import { makeRoot, type McpTestRoot } from './mcp-root.js';

const PROBLEM = 'Analyze this CSV for security threats and export enriched data';
let where: McpTestRoot;
let deps: McpDeps;
let connection: Connection;
let client: Client;
const shutdown = new AbortController();

function textOf(result: CallToolResult): string {
  const first = result.content[0];
  return first?.type === 'text' ? first.text : '';
}

async function call(name: string, args: Record<string, unknown>): Promise<CallToolResult> {
  return (await client.callTool({ name, arguments: args })) as CallToolResult;
}

async function totalErrors(): Promise<number> {
  const summary = await call('get_session_summary', {});
  return (summary.structuredContent as { total_errors: number }).total_errors;
}

beforeAll(async () => {
  where = await makeRoot();
  deps = await openMcpDeps(lazyRegistry(), { roots: [where.root], logDir: where.logDir, debug: false, noCache: true, shutdown: shutdown.signal });
  connection = createConnection(deps, 'stdio');
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await connect(connection, serverSide);
  client = new Client({ name: 'cs-helper-failures-test', version: '1.0.0' });
  await client.connect(clientSide);
});

afterAll(async () => {
  await connection.close();
  deps.state.close();
  await rm(where.outer, { recursive: true, force: true });
});

describe('failed MCP tool calls', () => {
  it('count each failure as an error of the session, in get_session_summary', async () => {
    expect(await totalErrors()).toBe(0);
    const failures: [string, Record<string, unknown>][] = [
      ['import.csv', { paths: 'events.csv' }], // bad argument type: the SDK refuses it before our handler runs
      ['import.csv', { paths: ['/etc/passwd'] }], // outside the root
      ['import.csv', { paths: ['nope.csv'] }], // missing file
      ['generate_workflow', { problem: PROBLEM, input_files: ['events.csv'], outputs: ['no_such_output'] }], // unknown output
      ['no.such-tool', {}],
    ];
    for (const [index, [name, args]] of failures.entries()) {
      const result = await call(name, args);
      expect(result.isError, name).toBe(true);
      expect(await totalErrors(), name).toBe(index + 1);
    }
    // A success adds none.
    expect((await call('list_components', {})).isError).toBeFalsy();
    expect(await totalErrors()).toBe(failures.length);
  });

  it('count a failed step once: the engine recorded it, the tool call adds no second error', async () => {
    await copyFile(join(where.root, 'events.csv'), join(where.root, 'gone.csv'));
    const generated = await call('generate_workflow', { problem: PROBLEM, input_files: ['gone.csv'], outputs: ['enriched_data'], output_dir: 'gone' });
    expect(generated.isError).toBeFalsy();
    await rm(join(where.root, 'gone.csv'));
    const before = await totalErrors();
    const run = await call('execute_workflow', { plan: (generated.structuredContent as { plan: unknown }).plan });
    expect(run.isError).toBe(true);
    expect(run._meta?.['code']).toBe('step-failed');
    expect(await totalErrors()).toBe(before + 1);
  });

  it('say in a missing file\'s hint that relative paths are read from the first root', async () => {
    for (const [name, args] of [
      ['import.csv', { paths: ['nope.csv'] }],
      ['analysis.statistics', { input_files: ['nope.csv'] }],
      ['analyze_problem', { problem: PROBLEM, input_files: ['nope.csv'] }],
    ] as const) {
      const text = textOf(await call(name, args));
      expect(text, name).toMatch(/^error: (.*\/)?nope\.csv: no such file\n/);
      expect(text, name).toContain(`\nhint: check the path; relative paths are read from the first root, ${where.root}`);
      expect(text, name).not.toContain('current directory');
    }
  });

  it('refuse a component tool call with an unknown argument or parameter, naming it (zod dropped it silently)', async () => {
    const before = await totalErrors();
    const top = await call('analysis.statistics', { input_files: ['events.csv'], bogus_param: 1 });
    expect(top.isError).toBe(true);
    expect(textOf(top)).toContain('bogus_param');
    const inner = await call('export.report', { input_files: ['events.csv'], params: { topp: 3 } });
    expect(inner.isError).toBe(true);
    expect(textOf(inner)).toContain('topp');
    const own = await call('import.csv', { paths: ['events.csv'], delimitr: ';' });
    expect(own.isError).toBe(true);
    expect(textOf(own)).toContain('delimitr');
    expect(await totalErrors()).toBe(before + 3);
    // The same calls without the slip run.
    expect((await call('analysis.statistics', { input_files: ['events.csv'] })).isError).toBeFalsy();
  });

  it('write every failed call to the errors of the session log, with its tool, request id and span', async () => {
    await client.close();
    await connection.close();
    const names = (await readdir(where.logDir)).filter((n) => /^mcp_stdio_.*\.json$/.test(n));
    expect(names).toHaveLength(1);
    const document = JSON.parse(await readFile(join(where.logDir, names[0] ?? ''), 'utf8')) as CompiledSession;
    const failedCalls = document.tool_calls.filter((c) => c.trace_id?.startsWith('mcp:') === true && c.error !== null);
    const callErrors = document.errors.filter((e) => e.type === 'tool-call-failed');
    // Every failed request but the failed step (the engine's own error stands for it) is an error of its own.
    expect(callErrors.map((e) => e.metadata['tool'])).toEqual(failedCalls.filter((c) => c.tool !== 'execute_workflow').map((c) => c.tool));
    expect(document.errors.filter((e) => e.type === 'step-failed')).toHaveLength(1);
    expect(document.performance_metrics.total_errors).toBe(document.errors.length);
    expect(document.errors).toHaveLength(failedCalls.length);

    for (const error of callErrors) {
      const toolCall = failedCalls.find((c) => c.span_id === error.span_id);
      expect(toolCall?.trace_id).toBe(`mcp:${String(error.metadata['request_id'])}`);
      expect(error.message).toBe(toolCall?.error);
    }
    expect(callErrors.map((e) => e.code)).toEqual([null, 'path-outside-roots', 'input-file-not-found', 'unknown-output', null, 'input-file-not-found', 'input-file-not-found', 'input-file-not-found', null, null, null]);
    // The message of a path outside the root is kept as it is: `passwd:` there is a file name, not a password.
    expect(callErrors[1]?.message).toMatch(/^error: \/etc\/passwd: is outside the folders this server may read and write/);
  });

});
