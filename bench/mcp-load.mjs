// Load on the MCP server over Streamable HTTP on loopback: 1,000 tool calls from 50 concurrent clients (each its own
// MCP session and session log), with two baselines in the same run: a bare HTTP round trip to a plain node:http
// server, and an MCP ping (the protocol's own cost without a tool). Every call must succeed.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { median } from './measure.mjs';

const CALLS = 1_000;
const CLIENTS = 50;
const TOKEN = 'bench-token';

function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** Runs `call(clientIndex)` CALLS times from CLIENTS workers at once; each worker calls one after another. */
async function load(call) {
  const latencies = [];
  let failures = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CLIENTS }, async (_, worker) => {
      for (let i = worker; i < CALLS; i += CLIENTS) {
        const t0 = performance.now();
        try {
          await call(worker);
          latencies.push(performance.now() - t0);
        } catch {
          failures += 1;
        }
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  return { calls: CALLS, failures, medianMs: median(latencies), p95Ms: percentile(latencies, 95), callsPerSecond: latencies.length / seconds };
}

export async function mcpLoad() {
  const work = mkdtempSync(join(tmpdir(), 'cs-helper-bench-mcp-'));
  process.env['CS_HELPER_HOME'] = join(work, 'home');
  // A small real-looking CSV for analyze_problem to profile: the planner reads its head on every call.
  const rows = ['timestamp,src_ip,dst_ip,dst_port,user,action'];
  for (let i = 0; i < 2_000; i += 1) rows.push(`2026-03-02T00:${String(i % 60).padStart(2, '0')}:00Z,10.0.${i % 250}.${i % 200},203.0.113.${i % 254},${[22, 80, 443, 3389][i % 4]},user${i % 40},${i % 9 === 0 ? 'deny' : 'allow'}`);
  writeFileSync(join(work, 'events.csv'), `${rows.join('\n')}\n`);

  const { lazyRegistry } = await import('../dist/cli/registry-loader.js');
  const { openMcpDeps } = await import('../dist/mcp/mcp-deps-open.js');
  const { startHttpServer } = await import('../dist/mcp/http-server.js');
  const shutdown = new globalThis.AbortController();
  const deps = await openMcpDeps(lazyRegistry(), { roots: [work], logDir: join(work, 'logs'), debug: false, noCache: false, shutdown: shutdown.signal });
  const server = await startHttpServer(deps, { port: 0, token: TOKEN });
  const bare = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ jsonrpc: '2.0', id: JSON.parse(body).id, result: {} }));
    });
  });
  await new Promise((resolve) => bare.listen(0, '127.0.0.1', resolve));
  const bareUrl = `http://127.0.0.1:${bare.address().port}/`;

  const clients = [];
  try {
    for (let i = 0; i < CLIENTS; i += 1) {
      const transport = new StreamableHTTPClientTransport(new URL(server.url), { requestInit: { headers: { Authorization: `Bearer ${TOKEN}` } } });
      const client = new Client({ name: `bench-${i}`, version: '1' });
      await client.connect(transport);
      clients.push({ client, transport });
    }
    const results = {};
    results.bareHttp = await load(async () => {
      const res = await globalThis.fetch(bareUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping' }) });
      if (!res.ok) throw new Error(String(res.status));
      await res.json();
    });
    results.mcpPing = await load((worker) => clients[worker].client.ping());
    results.toolCall = await load(async (worker) => {
      const result = await clients[worker].client.callTool({ name: 'analyze_problem', arguments: { problem: 'Find brute force logins and scans in these firewall events', input_files: ['events.csv'] } });
      if (result.isError || result.structuredContent?.files?.[0]?.estimated_rows === undefined) throw new Error('tool failed');
    });
    return {
      name: 'mcp-load',
      calls: CALLS,
      clients: CLIENTS,
      results,
      print() {
        const line = (label, r) => `| ${label} | ${r.calls} | ${r.failures} | ${r.medianMs.toFixed(2)} ms | ${r.p95Ms.toFixed(2)} ms | ${r.callsPerSecond.toFixed(0)} |`;
        return [
          `## mcp-load: ${CALLS.toLocaleString('en-US')} calls from ${CLIENTS} concurrent clients over HTTP on loopback`,
          '| what | calls | failures | median | p95 | calls/s |',
          '| --- | ---: | ---: | ---: | ---: | ---: |',
          line('bare HTTP round trip (node:http, JSON body)', results.bareHttp),
          line('MCP ping (Streamable HTTP, token, session)', results.mcpPing),
          line('tools/call analyze_problem (profiles a 2,000-row CSV)', results.toolCall),
        ].join('\n');
      },
    };
  } finally {
    for (const { client, transport } of clients) {
      await transport.terminateSession().catch(() => undefined);
      await client.close().catch(() => undefined);
    }
    await server.close();
    await server.settled();
    deps.state.close();
    await new Promise((resolve) => bare.close(resolve));
    shutdown.abort();
    rmSync(work, { recursive: true, force: true });
  }
}
