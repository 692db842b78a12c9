// The MCP server of one client connection: its own session log, the component tools, the workflow tools and the
// resources, over the registry, roots and state shared by every connection.
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { SessionLogger } from '../session/session-logger.js';
import { TOOL_VERSION } from '../version.js';
import { registerComponentTools } from './component-tools.js';
import { ConnectionScope } from './connection-scope.js';
import type { McpDeps } from './mcp-deps.js';
import { logRequests } from './request-log.js';
import { registerResources } from './resources.js';
import { registerWorkflowTools } from './workflow-tools.js';

export const SERVER_INSTRUCTIONS =
  'CS Helper plans and runs security data workflows over local files (CSV/TSV, JSON, JSON Lines, Excel, Zeek and access logs, also gzipped or in a ZIP archive of one file): import, data quality, statistics, anomaly and attack-pattern detection, indicator matching, enrichment, and CSV/JSON/report exports. For a request in plain words, call generate_workflow (or analyze_problem first), then execute_workflow with the plan. Each component is also a tool of its own, named after its id (import.csv, analysis.patterns, export.csv, ...). Paths must lie inside the server\'s roots.';

export interface Connection {
  readonly server: McpServer;
  readonly session: SessionLogger;
  /** Ends the session log (compiled into its document); idempotent. */
  close(status?: 'completed' | 'failed' | 'cancelled'): Promise<void>;
}

export function createConnection(deps: McpDeps, transportName: 'stdio' | 'http'): Connection {
  const session = SessionLogger.start({ logDir: deps.logDir, debug: deps.debug, argv: process.argv.slice(2), sessionName: `mcp_${transportName}` });
  session.logInfo('mcp-connection', `MCP client connected over ${transportName}`, { roots: deps.roots.roots, tools: deps.registry.list().length + 6 });
  const server = new McpServer({ name: 'cs-helper', version: TOOL_VERSION }, { instructions: SERVER_INSTRUCTIONS, capabilities: { logging: {} } });
  const scope = new ConnectionScope(session);
  registerComponentTools(server, deps, scope);
  registerWorkflowTools(server, deps, scope);
  registerResources(server, deps);
  let closing: Promise<void> | null = null;
  return {
    server,
    session,
    close: (status = 'completed') => {
      closing ??= scope
        .drain()
        .then(() => session.close({}, status))
        .then((closed) => {
          if (closed.problem !== null) process.stderr.write(`note: the session log stays as a stream (${closed.path}): ${closed.problem}\n`);
        });
      return closing;
    },
  };
}

/** Connects the server to its transport with every request logged; the session ends when the transport closes. */
export async function connect(connection: Connection, transport: Transport): Promise<void> {
  await connection.server.connect(transport);
  logRequests(transport, connection.session);
  // The SDK chains the handler set before connect(); this one runs after it.
  const onclose = transport.onclose;
  transport.onclose = () => {
    onclose?.();
    void connection.close();
  };
}
