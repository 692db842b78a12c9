// Where a workflow tool's plan comes from: a plan the client supplies (validated like a plan file, then confined to the
// roots), a saved template, or the planner, from a problem and input files (confined first).
import { z } from 'zod';
import type { WorkflowPlan } from '../model/workflow-plan.js';
import { UsageError } from '../model/errors/usage-error.js';
import { parseConstraints } from '../planner/constraints.js';
import { validatePlan } from '../planner/load-plan.js';
import { planWithMemory } from '../planner/plan-with-memory.js';
import { TEMPLATE_NAME } from '../state/templates.js';
import type { SessionLog } from '../session/session-log.js';
import { confineOutputDir, confinePlan } from './confine-plan.js';
import type { McpDeps } from './mcp-deps.js';

const pathSchema = z.string().min(1).max(4096);
const MAX_FILES = 100;

export const problemRequestShape = {
  problem: z.string().min(1).max(10_000).describe('What the user wants, in plain words, e.g. "Analyze this CSV for security threats and export enriched data"'),
  input_files: z.array(pathSchema).min(1).max(MAX_FILES).describe('The data files (CSV/TSV, JSON, JSON Lines, Excel, Zeek, access logs; also gzipped or in a ZIP archive of one file); relative paths are read from the first root'),
  outputs: z.array(z.string().min(1).max(128)).max(20).optional().describe('Outputs to write: enriched_data, findings, threat_report, compliance_report, ...; add .csv/.json/.jsonl/.md/.html to pick a format (reports default to HTML)'),
  feeds: z.array(pathSchema).max(MAX_FILES).optional().describe('Extra indicator feeds: one indicator per line, or CSV with a value column'),
  output_dir: pathSchema.optional().describe('Folder for the outputs, inside a root (default: output under the first root)'),
  constraints: z.record(z.string(), z.unknown()).optional().describe('Limits: {"time_budget_seconds": 60, "no_network": true, "max_rows": 100000}'),
  sheets: z.array(z.string().min(1).max(255)).min(1).max(100).optional().describe('Only these worksheets of the .xlsx inputs (default: every worksheet with data; worksheets of other columns are each analysed as a dataset of their own)'),
};
export const problemRequestSchema = z.object(problemRequestShape);
export type ProblemRequest = z.infer<typeof problemRequestSchema>;

export const suppliedPlanShape = {
  plan: z.record(z.string(), z.unknown()).optional().describe('A plan as generate_workflow returns it (or `dynamic-workflow --json` prints it); validated before it runs'),
  template: z.string().regex(TEMPLATE_NAME).optional().describe('The name of a saved template (see the template:// resources)'),
};

export async function planFromProblem(request: ProblemRequest, deps: McpDeps, log: SessionLog, signal: AbortSignal): Promise<WorkflowPlan> {
  const inputFiles: string[] = [];
  for (const file of request.input_files) inputFiles.push(await deps.roots.confine(file));
  const feeds: string[] = [];
  for (const feed of request.feeds ?? []) feeds.push(await deps.roots.confine(feed));
  const outputDir = await confineOutputDir(deps.roots, request.output_dir);
  return planWithMemory(
    {
      problem: request.problem,
      inputFiles,
      outputs: request.outputs ?? [],
      feeds,
      baseDir: deps.roots.base,
      outputDir,
      ...(request.constraints === undefined ? {} : { constraints: parseConstraints(request.constraints) }),
      ...(request.sheets === undefined ? {} : { sheets: request.sheets }),
    },
    deps.registry,
    deps.state.planMemory,
    { log, signal },
  );
}

/** A supplied plan or template, checked and confined; null when the request holds neither. */
export async function suppliedPlan(args: { plan?: Record<string, unknown> | undefined; template?: string | undefined; output_dir?: string | undefined }, deps: McpDeps): Promise<WorkflowPlan | null> {
  if (args.plan !== undefined && args.template !== undefined) throw new UsageError('both a plan and a template were given', 'pass one of plan, template, or problem with input_files');
  let plan: WorkflowPlan;
  if (args.plan !== undefined) plan = validatePlan(args.plan, deps.registry, 'the supplied plan');
  else if (args.template !== undefined) plan = validatePlan(JSON.parse(deps.state.templates.get(args.template).planJson), deps.registry, `template ${args.template}`);
  else return null;
  return confinePlan(plan, deps.roots, deps.registry, args.output_dir === undefined ? undefined : await confineOutputDir(deps.roots, args.output_dir));
}
