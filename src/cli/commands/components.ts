// `cs-helper components list`: the component library with types, complexity and what each does.
import type { Command } from 'commander';
import Table from 'cli-table3';
import { z } from 'zod';
import type { RegistryLoader } from '../registry-loader.js';
import { COMMAND_SUMMARIES } from '../command-summaries.js';
import { examplesHelp } from './help-examples.js';

export function registerComponents(program: Command, loadRegistry: RegistryLoader): void {
  const components = program.command('components').description(COMMAND_SUMMARIES.components.description);
  components
    .command('list')
    .description('List every component with its type, complexity and capabilities.')
    .option('--json', 'print JSON, with each component\'s parameter schema')
    .addHelpText('after', examplesHelp(['components list', 'components list --json', '--plugins ./my-components components list   # your own components beside the built-ins']))
    .action(async (options: { json?: boolean }) => {
      const registry = await loadRegistry();
      const list = registry.list();
      if (options.json === true) {
        process.stdout.write(
          `${JSON.stringify(
            list.map((c) => ({ id: c.id, source: registry.sourceOf(c.id), version: c.version, type: c.type, complexity: c.complexity, title: c.title, description: c.description, capabilities: c.capabilities, consumes: c.consumes, produces: c.produces, parameters: z.toJSONSchema(c.params, { io: 'input' }) })),
            null,
            2,
          )}\n`,
        );
        return;
      }
      const table = new Table({ head: ['id', 'type', 'complexity', 'title', 'capabilities', 'source'], style: { head: [], border: [], compact: true } });
      for (const c of list) table.push([c.id, c.type, c.complexity, c.title, c.capabilities.join(', '), registry.sourceOf(c.id)]);
      process.stdout.write(`${table.toString()}\n`);
    });
}
