// Loads the component library when a command needs it: it pulls in the engine (DuckDB), which `--help`, `--version`
// and `sessions` do not need, and which costs most of a second to load.
import type { ComponentRegistry } from '../components/registry.js';

export type RegistryLoader = () => Promise<ComponentRegistry>;

/** `pluginDirs` is read when the registry is first needed: after the command line has been parsed. */
export function lazyRegistry(pluginDirs: () => readonly string[] = () => []): RegistryLoader {
  let loaded: Promise<ComponentRegistry> | null = null;
  return async () => {
    loaded ??= (async () => {
      const { createBuiltInRegistry } = await import('../components/built-ins.js');
      const registry = createBuiltInRegistry();
      const dirs = pluginDirs();
      if (dirs.length > 0) {
        const { loadPlugins } = await import('../components/load-plugins.js');
        await loadPlugins(dirs, registry);
      }
      return registry;
    })();
    return loaded;
  };
}
