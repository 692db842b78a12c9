// The MCP server over Streamable HTTP, started in-process on a free loopback port and driven by the SDK's Client:
// bearer token required (401), foreign Host and Origin refused (403), a component called, one session log per client.
import { request as httpRequest } from 'node:http';
import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lazyRegistry } from '../../src/cli/registry-loader.js';
import { startHttpServer, type RunningHttpServer } from '../../src/mcp/http-server.js';
import type { McpDeps } from '../../src/mcp/mcp-deps.js';
import { openMcpDeps } from '../../src/mcp/mcp-deps-open.js';
import { EVENT_ROWS, makeRoot, type McpTestRoot } from './mcp-root.js';

const TOKEN = 'test-token-0123456789abcdef';
let where: McpTestRoot;
let deps: McpDeps;
let server: RunningHttpServer;
const shutdown = new AbortController();

function connectClient(token = TOKEN): { client: Client; transport: StreamableHTTPClientTransport } {
  const transport = new StreamableHTTPClientTransport(new URL(server.url), { requestInit: { headers: { Authorization: `Bearer ${token}` } } });
  return { client: new Client({ name: 'cs-helper-http-test', version: '1.0.0' }), transport };
}

/** A raw POST of initialize with the headers given: what a browser page or a stray local process would send. */
async function rawPost(headers: Record<string, string>): Promise<{ status: number; body: string }> {
  const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } } });
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port: server.port, path: '/mcp', method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => {
        resolve({ status: res.statusCode ?? 0, body: text });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

beforeAll(async () => {
  where = await makeRoot();
  deps = await openMcpDeps(lazyRegistry(), { roots: [where.root], logDir: where.logDir, debug: false, noCache: true, shutdown: shutdown.signal });
  server = await startHttpServer(deps, { port: 0, token: TOKEN });
});

afterAll(async () => {
  await server.close();
  deps.state.close();
  await rm(where.outer, { recursive: true, force: true });
});

describe('cs-helper mcp --http', () => {
  it('listens on loopback only, on the port it was given (0: a free one)', () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/mcp$/);
    expect(server.port).toBeGreaterThan(0);
  });

  it('answers 401 without the bearer token or with a wrong one', async () => {
    const none = await rawPost({ host: `127.0.0.1:${server.port}` });
    expect(none.status).toBe(401);
    expect(none.body).toContain('bearer token');
    const wrong = await rawPost({ host: `127.0.0.1:${server.port}`, authorization: 'Bearer not-the-token' });
    expect(wrong.status).toBe(401);
    const { client, transport } = connectClient('not-the-token');
    await expect(client.connect(transport)).rejects.toThrow();
  });

  it('answers 403 to a foreign Origin or Host, even with the right token', async () => {
    const origin = await rawPost({ host: `127.0.0.1:${server.port}`, authorization: `Bearer ${TOKEN}`, origin: 'https://evil.example' });
    expect(origin.status).toBe(403);
    expect(origin.body).toContain('Origin');
    const host = await rawPost({ host: `evil.example:${server.port}`, authorization: `Bearer ${TOKEN}` });
    expect(host.status).toBe(403);
    expect(host.body).toContain('Host');
    const local = await rawPost({ host: `localhost:${server.port}`, authorization: `Bearer ${TOKEN}`, origin: `http://localhost:${server.port}` });
    expect(local.status).toBe(200);
  });

  it('serves the tools to a client with the token, and runs a component on a real file', async () => {
    const { client, transport } = connectClient();
    await client.connect(transport);
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name)).toEqual(expect.arrayContaining(['import.csv', 'analysis.statistics', 'execute_workflow']));
    const result = (await client.callTool({ name: 'analysis.statistics', arguments: { input_files: ['events.csv'] } })) as CallToolResult;
    expect(result.isError).toBeFalsy();
    const out = result.structuredContent as { rows_in: number; summary: Record<string, unknown> | null; steps: { component: string; rows_out: number }[] };
    expect(out.rows_in).toBe(EVENT_ROWS);
    expect(out.steps.map((s) => s.component)).toEqual(['import.csv', 'analysis.statistics']);
    expect(out.summary).not.toBeNull();
    const refused = (await client.callTool({ name: 'import.csv', arguments: { paths: ['linked.csv'] } })) as CallToolResult;
    expect(refused.isError).toBe(true);
    const technique = await client.readResource({ uri: 'attack://T1059.001' });
    const first = technique.contents[0];
    expect(JSON.parse(first !== undefined && 'text' in first ? first.text : '{}')).toMatchObject({ id: 'T1059.001', name: 'PowerShell' });
    await transport.terminateSession();
    await client.close();
  });

  it('keeps one session log per client connection', async () => {
    const before = server.sessions();
    const a = connectClient();
    const b = connectClient();
    await a.client.connect(a.transport);
    await b.client.connect(b.transport);
    expect(server.sessions()).toBe(before + 2);
    await a.client.callTool({ name: 'list_components', arguments: {} });
    const summaryB = (await b.client.callTool({ name: 'get_session_summary', arguments: {} })) as CallToolResult;
    const summaryA = (await a.client.callTool({ name: 'get_session_summary', arguments: {} })) as CallToolResult;
    const idA = (summaryA.structuredContent as { session_id: string }).session_id;
    const idB = (summaryB.structuredContent as { session_id: string }).session_id;
    expect(idA).not.toBe(idB);
    // A has made initialize and list_components so far; B only initialize.
    expect((summaryA.structuredContent as { total_tool_calls: number }).total_tool_calls).toBeGreaterThan((summaryB.structuredContent as { total_tool_calls: number }).total_tool_calls);
    await a.transport.terminateSession();
    await b.transport.terminateSession();
    await a.client.close();
    await b.client.close();
    await server.settled();
    const compiled = (await readdir(where.logDir)).filter((n) => n.endsWith('.json') && (n.includes(idA) || n.includes(idB)));
    expect(compiled).toHaveLength(2);
    const documentA = JSON.parse(await readFile(join(where.logDir, compiled.find((n) => n.includes(idA)) ?? ''), 'utf8')) as { tool_calls: { tool: string }[] };
    expect(documentA.tool_calls.map((c) => c.tool)).toEqual(expect.arrayContaining(['initialize', 'list_components', 'get_session_summary']));
  });
});
