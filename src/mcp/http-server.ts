// Streamable HTTP on loopback only: one MCP session (and one session log) per client connection, every request
// guarded by Host/Origin checks and the bearer token (http-guard.ts), at most MAX_SESSIONS clients at once.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { connect, createConnection, type Connection } from './create-server.js';
import { guardRequest } from './http-guard.js';
import type { McpDeps } from './mcp-deps.js';

export const MCP_PATH = '/mcp';
/** Client sessions held at once: each has a session log open; a runaway client cannot open thousands. */
const MAX_SESSIONS = 256;

export interface HttpServerOptions {
  /** 0 picks a free port. */
  readonly port: number;
  readonly token: string;
}

export interface RunningHttpServer {
  readonly url: string;
  readonly port: number;
  /** Client sessions open now. */
  readonly sessions: () => number;
  /** Resolves once the session logs of the clients gone so far are compiled. */
  settled(): Promise<void>;
  close(): Promise<void>;
}

interface Client {
  readonly transport: StreamableHTTPServerTransport;
  readonly connection: Connection;
}

export async function startHttpServer(deps: McpDeps, options: HttpServerOptions): Promise<RunningHttpServer> {
  const clients = new Map<string, Client>();
  const closing = new Set<Promise<void>>();
  let port = options.port;

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const path = (request.url ?? '/').split('?')[0];
    const verdict = guardRequest(request, port, options.token);
    if (!verdict.ok) {
      reply(response, verdict.status, verdict.message, verdict.status === 401 ? { 'www-authenticate': 'Bearer realm="cs-helper"' } : {});
      return;
    }
    if (path !== MCP_PATH) {
      reply(response, 404, `not found: the MCP endpoint is ${MCP_PATH}`);
      return;
    }
    const sessionHeader = request.headers['mcp-session-id'];
    const sessionId = Array.isArray(sessionHeader) ? sessionHeader[0] : sessionHeader;
    if (sessionId !== undefined) {
      const client = clients.get(sessionId);
      if (client === undefined) {
        reply(response, 404, 'unknown or closed MCP session: initialize a new one');
        return;
      }
      await client.transport.handleRequest(request, response);
      return;
    }
    if (request.method !== 'POST') {
      reply(response, 400, 'a new MCP session starts with a POST of initialize');
      return;
    }
    if (clients.size >= MAX_SESSIONS) {
      reply(response, 503, `too many MCP sessions open (${MAX_SESSIONS}); close one first`);
      return;
    }
    const connection = createConnection(deps, 'http');
    const transport: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      onsessioninitialized: (id) => {
        clients.set(id, { transport, connection });
      },
    });
    transport.onclose = () => {
      if (transport.sessionId !== undefined) clients.delete(transport.sessionId);
      const closed = connection.close();
      closing.add(closed);
      void closed.finally(() => closing.delete(closed));
    };
    await connect(connection, transport);
    await transport.handleRequest(request, response);
    // A request that did not initialize a session leaves nothing to keep.
    if (transport.sessionId === undefined) await connection.close('failed');
  };

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (!response.headersSent) reply(response, 500, error instanceof Error ? error.message : String(error));
      else response.end();
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}${MCP_PATH}`,
    port,
    sessions: () => clients.size,
    settled: async () => {
      await Promise.allSettled([...closing]);
    },
    close: async () => {
      for (const client of [...clients.values()]) {
        await client.transport.close().catch(() => undefined);
        await client.connection.close();
      }
      clients.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
      });
    },
  };
}

function reply(response: ServerResponse, status: number, message: string, headers: Record<string, string> = {}): void {
  response.writeHead(status, { 'content-type': 'application/json', ...headers });
  response.end(JSON.stringify({ jsonrpc: '2.0', error: { code: -32000, message }, id: null }));
}
