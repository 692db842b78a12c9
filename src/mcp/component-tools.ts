// One MCP tool per component of the registry (built-ins and plugins), named after the component id (MCP tool names
// allow letters, digits, _ . -, so `import.csv` is its own tool name and the mapping is the identity). An import tool
// takes the component's own parameters (its `paths` are the files); any other tool takes `input_files`, imported
// first with the importer their content calls for, its `params`, and for exports an `output_dir`.
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import type { AnyComponent } from '../components/component.js';
import type { ConnectionScope } from './connection-scope.js';
import { buildComponentPlan } from './component-plan.js';
import { componentResult, componentResultSchema } from './component-result.js';
import { confineOutputDir } from './confine-plan.js';
import type { McpDeps } from './mcp-deps.js';
import type { ToolExtra } from './progress-notifier.js';
import { runToolPlan } from './run-tool-plan.js';
import { toolError, toolFailure, toolSuccess } from './tool-result.js';

const MAX_INPUT_FILES = 100;
const pathSchema = z.string().min(1).max(4096);

export function registerComponentTools(server: McpServer, deps: McpDeps, scope: ConnectionScope): void {
  for (const component of deps.registry.list()) {
    const input = toolInputSchema(component);
    server.registerTool(
      component.id,
      {
        title: component.title,
        description: toolDescription(component),
        inputSchema: input,
        outputSchema: componentResultSchema,
        annotations: { readOnlyHint: component.type !== 'EXPORT', openWorldHint: false },
      },
      async (args: unknown, extra: ToolExtra) => {
        try {
          return await runComponentTool(component, input.parse(args), deps, scope, extra);
        } catch (error) {
          return toolError(error, { relativeBase: deps.roots.base });
        }
      },
    );
  }
}

type ToolArgs = Record<string, unknown>;

/** True for an importer whose parameters name its files in `paths`: its tool takes those parameters as they are. */
function takesOwnPaths(component: AnyComponent): boolean {
  return component.type === 'DATA_IMPORT' && component.params instanceof z.ZodObject && 'paths' in component.params.shape;
}

/**
 * The tool's arguments, strict: zod strips unknown keys by default, so a client's misspelt parameter (`bogus_param`,
 * `topp`) ran with the default and no word of it; now the SDK refuses the call naming the key. A component whose
 * parameters are not a plain object schema (a plugin's transform) keeps its own rules for them.
 */
export function toolInputSchema(component: AnyComponent): z.ZodType<ToolArgs> {
  const own = component.params instanceof z.ZodObject ? component.params.strict() : component.params;
  if (takesOwnPaths(component)) return own as z.ZodType<ToolArgs>;
  const paramsRequired = !component.params.safeParse({}).success;
  const params = (paramsRequired ? own : own.optional()).describe(`Parameters of ${component.id}${paramsRequired ? '' : '; defaults apply when left out'}`);
  const needsData = component.consumes.includes('dataset');
  const files = z
    .array(pathSchema)
    .min(1)
    .max(MAX_INPUT_FILES)
    .describe('Data files to work on (CSV/TSV, JSON, JSON Lines, Excel, Zeek, access logs; also gzipped or in a ZIP archive of one file), imported first; relative paths are read from the first root');
  return z.object({
    input_files: needsData ? files : files.optional(),
    params,
    ...(component.type === 'EXPORT' ? { output_dir: pathSchema.optional().describe('Folder for the written file, inside a root (default: output under the first root)') } : {}),
  }).strict();
}

function toolDescription(component: AnyComponent): string {
  const how = takesOwnPaths(component)
    ? 'Pass the files in `paths`.'
    : `Pass the data files in \`input_files\` (they are imported first) and the parameters in \`params\`.${component.type === 'EXPORT' ? ' The file is written to `output_dir`.' : ''}`;
  return `${component.description} ${how} Returns the columns, row count and first rows of what it produced, its figures and the files written.`;
}

async function runComponentTool(component: AnyComponent, args: ToolArgs, deps: McpDeps, scope: ConnectionScope, extra: ToolExtra) {
  const ownPaths = takesOwnPaths(component);
  const requested = (ownPaths ? args['paths'] : args['input_files']) as string[] | undefined;
  const files: string[] = [];
  for (const file of requested ?? []) files.push(await deps.roots.confine(file));
  const outputDir = await confineOutputDir(deps.roots, args['output_dir'] as string | undefined);
  const rawParams = ownPaths ? { ...args, paths: files } : ((args['params'] as Record<string, unknown> | undefined) ?? {});
  const params = component.params.parse(rawParams) as Record<string, unknown>;
  if (component.id === 'intel.ioc-match' && Array.isArray(params['feeds'])) {
    const feeds: string[] = [];
    for (const feed of params['feeds'] as string[]) feeds.push(await deps.roots.confine(feed));
    params['feeds'] = feeds;
  }
  const plan = await buildComponentPlan({ component, inputFiles: files, params, baseDir: deps.roots.base, outputDir, signal: extra.signal }, deps.registry);
  const { result, captured } = await runToolPlan(plan, deps, scope, extra, component.id);
  if (result.status !== 'completed') {
    return toolFailure(result.error ?? { code: result.status, message: `${component.id} ${result.status}` });
  }
  return toolSuccess(componentResult(component.id, result, captured));
}
