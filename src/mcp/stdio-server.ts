// The MCP server over stdio: one client (the process that started us), one session log; stdout carries only protocol
// messages, so everything for people goes to stderr.
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { connect, createConnection } from './create-server.js';
import type { McpDeps } from './mcp-deps.js';

/** Resolves when the client goes away (stdin ends or the transport closes); the session log is then compiled. */
export async function serveStdio(deps: McpDeps): Promise<void> {
  const connection = createConnection(deps, 'stdio');
  const transport = new StdioServerTransport();
  const closed = new Promise<void>((resolve) => {
    const end = (): void => {
      void transport.close().finally(resolve);
    };
    process.stdin.once('end', end);
    process.stdin.once('close', end);
    deps.shutdown.addEventListener('abort', end, { once: true });
  });
  await connect(connection, transport);
  await closed;
  await connection.close();
}
