// `cs-helper mcp [--http [--port N]] [--root DIR]...`: serves the component library and the workflow tools to MCP
// clients (AI assistants, IDEs) over stdio, or over Streamable HTTP on loopback with a bearer token.
import { randomBytes } from 'node:crypto';
import type { Command } from 'commander';
import { UsageError } from '../../model/errors/usage-error.js';
import type { RegistryLoader } from '../registry-loader.js';
import { isDebug, resolveLogDir, type GlobalOptions } from '../session-options.js';
import { COMMAND_SUMMARIES } from '../command-summaries.js';

interface McpOptions {
  readonly http?: boolean;
  readonly port: string;
  /** Absent: the working directory (openMcpDeps's default). */
  readonly root?: string[];
  /** False with --no-cache. */
  readonly cache: boolean;
}

export function registerMcp(program: Command, loadRegistry: RegistryLoader): void {
  program
    .command('mcp')
    .description(COMMAND_SUMMARIES.mcp.description)
    .option('--http', 'serve Streamable HTTP on 127.0.0.1 instead of stdio; a bearer token is required (printed at start, or CS_HELPER_MCP_TOKEN)')
    .option('--port <n>', 'port for --http (0 picks a free one)', '8765')
    // No default value: commander would print "(default: [])" after the description's own.
    .option('--root <dir>', 'a folder clients may read and write; repeat for several (default: the working directory)', (dir: string, dirs: string[] | undefined) => [...(dirs ?? []), dir])
    .option('--no-cache', 'plan from scratch and run every step, without the pattern and result caches of $CS_HELPER_HOME')
    .addHelpText(
      'after',
      `
Examples:
  $ cs-helper mcp --root ~/cases                 # for a desktop client's configuration (stdio)
  $ cs-helper mcp --http --port 8765 --root .    # http://127.0.0.1:8765/mcp, token printed on stderr`,
    )
    .action(async (options: McpOptions, command: Command) => {
      const global = command.optsWithGlobals<GlobalOptions>();
      const port = Number(options.port);
      if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new UsageError(`--port ${options.port} is not a port number`, 'give a number from 0 to 65535 (0 picks a free port)');
      const shutdown = new AbortController();
      const stop = (): void => {
        shutdown.abort();
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      const { openMcpDeps } = await import('../../mcp/mcp-deps-open.js');
      const deps = await openMcpDeps(loadRegistry, { roots: options.root ?? [], logDir: resolveLogDir(global), debug: isDebug(global), noCache: !options.cache, shutdown: shutdown.signal });
      try {
        if (options.http !== true) {
          const { serveStdio } = await import('../../mcp/stdio-server.js');
          await serveStdio(deps);
          return;
        }
        const given = process.env['CS_HELPER_MCP_TOKEN'];
        const token = given !== undefined && given.length > 0 ? given : randomBytes(24).toString('base64url');
        const { startHttpServer } = await import('../../mcp/http-server.js');
        const server = await startHttpServer(deps, { port, token });
        process.stderr.write(`cs-helper MCP server on ${server.url} (roots: ${deps.roots.roots.join(', ')})\n`);
        if (given === undefined || given.length === 0) process.stderr.write(`token: ${token}\n`);
        else process.stderr.write('token: from CS_HELPER_MCP_TOKEN\n');
        await new Promise<void>((resolve) => {
          shutdown.signal.addEventListener('abort', () => {
            resolve();
          }, { once: true });
        });
        await server.close();
      } finally {
        deps.state.close();
        process.removeListener('SIGINT', stop);
        process.removeListener('SIGTERM', stop);
      }
    });
}
