// Loads the component library when a command needs it: it pulls in the engine (DuckDB), which `--help`, `--version`
// and `sessions` do not need, and which costs most of a second to load.
import type { ComponentRegistry } from '../components/registry.js';

export type RegistryLoader = () => Promise<ComponentRegistry>;

export function lazyRegistry(): RegistryLoader {
  let loaded: Promise<ComponentRegistry> | null = null;
  return async () => {
    loaded ??= import('../components/built-ins.js').then((m) => m.createBuiltInRegistry());
    return loaded;
  };
}
