// Opens what the MCP server shares across connections: the registry (with plugins), the roots, the state folder.
import type { RegistryLoader } from '../cli/registry-loader.js';
import type { McpDeps } from './mcp-deps.js';
import { PathRoots } from './path-roots.js';

export interface OpenDepsOptions {
  readonly roots: readonly string[];
  readonly logDir: string;
  readonly debug: boolean;
  readonly noCache: boolean;
  readonly shutdown: AbortSignal;
}

export async function openMcpDeps(loadRegistry: RegistryLoader, options: OpenDepsOptions): Promise<McpDeps> {
  const roots = await PathRoots.open(options.roots);
  const registry = await loadRegistry();
  // Loaded here: the state database is a native module, which `--help` does not need.
  const { openCliState } = await import('../cli/open-state.js');
  const state = await openCliState({ noCache: options.noCache });
  return { registry, roots, state, logDir: options.logDir, debug: options.debug, shutdown: options.shutdown };
}
