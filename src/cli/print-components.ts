// The component library as a table: id, type, complexity, title, capabilities and where each comes from (built-in or a
// plugin file), for interactive mode's `components`.
import Table from 'cli-table3';
import type { ComponentRegistry } from '../components/registry.js';
import type { Printer } from './output-stream.js';

export function printComponents(registry: ComponentRegistry, out: Printer): void {
  const table = new Table({ head: ['id', 'type', 'complexity', 'title', 'capabilities', 'source'], style: { head: [], border: [], compact: true } });
  for (const c of registry.list()) table.push([c.id, c.type, c.complexity, c.title, c.capabilities.join(', '), registry.sourceOf(c.id)]);
  out.text(table.toString());
}
