// What every connection of the MCP server shares: the component registry, the roots, the state folder (caches,
// templates, learned estimates), where session logs go, and the signal that stops everything when the server shuts down.
import type { CliState } from '../cli/open-state.js';
import type { ComponentRegistry } from '../components/registry.js';
import type { PathRoots } from './path-roots.js';

export interface McpDeps {
  readonly registry: ComponentRegistry;
  readonly roots: PathRoots;
  readonly state: CliState;
  readonly logDir: string;
  readonly debug: boolean;
  /** Aborted when the server stops: runs in progress are cancelled cleanly. */
  readonly shutdown: AbortSignal;
}
