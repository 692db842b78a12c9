// The workflow tools: analyze_problem, generate_workflow, execute_workflow, explain_plan, list_components and
// get_session_summary. They are the CLI's `explain`, `dynamic-workflow --json`, `run` and `components list` for a model.
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { uuidV7 } from '../ids/uuid-v7.js';
import { z } from 'zod';
import { componentTypeSchema } from '../model/component-kind.js';
import { UsageError } from '../model/errors/usage-error.js';
import type { WorkflowPlan } from '../model/workflow-plan.js';
import { INTENT_THRESHOLD } from '../planner/classify-intents.js';
import { explainPlan } from '../planner/explain-plan.js';
import { intentsToAct, parseProblem } from '../planner/parse-problem.js';
import { rememberPattern } from '../planner/plan-with-memory.js';
import { profileFile } from '../planner/profile-file.js';
import type { ConnectionScope } from './connection-scope.js';
import { TEMPLATE_NAME } from '../state/templates.js';
import { stepSummarySchema, stepSummaries, writtenFileSchema } from './component-result.js';
import type { McpDeps } from './mcp-deps.js';
import { planFromProblem, problemRequestSchema, problemRequestShape, suppliedPlan, suppliedPlanShape } from './plan-source.js';
import type { ToolExtra } from './progress-notifier.js';
import { runToolPlan } from './run-tool-plan.js';
import { toolError, toolFailure, toolSuccess } from './tool-result.js';

const planSummarySchema = z.object({
  plan_id: z.string(),
  steps: z.array(z.object({ node: z.string(), component: z.string(), stage: z.number(), reason: z.string(), estimated_ms: z.number() })),
  outputs: z.array(z.string()),
  confidence: z.number(),
  estimated_seconds: z.number(),
  unavailable: z.array(z.string()),
});

const runSummarySchema = z.object({
  run_id: z.string(),
  plan_id: z.string(),
  status: z.enum(['completed', 'failed', 'cancelled']),
  duration_ms: z.number(),
  estimated_ms: z.number(),
  rows_in: z.number(),
  rows_out: z.number(),
  steps: z.array(stepSummarySchema),
  files: z.array(writtenFileSchema),
  session_id: z.string(),
});

export function registerWorkflowTools(server: McpServer, deps: McpDeps, scope: ConnectionScope): void {
  const session = scope.session;
  const failureContext = { relativeBase: deps.roots.base };
  const guard =
    <A>(schema: z.ZodType<A>, handler: (args: A, extra: ToolExtra) => Promise<Record<string, unknown>>) =>
    async (args: unknown, extra: ToolExtra) => {
      try {
        return toolSuccess(await handler(schema.parse(args), extra));
      } catch (error) {
        return toolError(error, failureContext);
      }
    };
  const planLog = () => session.child({ span_id: uuidV7(), operation: 'plan' });

  const analyzeInput = z.object({ problem: problemRequestShape.problem, input_files: problemRequestShape.input_files.optional() });
  server.registerTool(
    'analyze_problem',
    {
      title: 'Analyze a problem',
      description: 'Reads a security data problem stated in plain words: the intents with calibrated scores and the words that voted for them, what the user ruled out, explicit requests (rules, feeds, formats), misspellings read, and, given input files, what each file is (kind, columns with their roles, row estimate). Nothing runs. Use it to check how CS Helper understands a request before generate_workflow.',
      inputSchema: analyzeInput,
      outputSchema: z.object({
        problem_type: z.string(),
        intents: z.array(z.object({ intent: z.string(), score: z.number(), evidence: z.array(z.string()), acted_on: z.boolean() })),
        excluded: z.array(z.unknown()),
        requests: z.array(z.unknown()),
        corrections: z.array(z.unknown()),
        files: z.array(z.object({ path: z.string(), kind: z.string(), bytes: z.number(), estimated_rows: z.number(), columns: z.array(z.object({ name: z.string(), role: z.string().nullable() })) })),
      }),
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    guard(analyzeInput, async (args, extra) => {
      const analysis = parseProblem(args.problem);
      const { primary } = intentsToAct(analysis);
      const files = [];
      for (const file of args.input_files ?? []) {
        extra.signal.throwIfAborted();
        const profile = await profileFile(await deps.roots.confine(file), file);
        files.push({ path: profile.path, kind: profile.kind, bytes: profile.bytes, estimated_rows: profile.estimated_rows, columns: profile.columns.map((c) => ({ name: c.name, role: c.role })) });
      }
      return {
        problem_type: primary,
        intents: analysis.intents.map((i) => ({ intent: i.intent, score: i.score, evidence: i.evidence, acted_on: i.score >= INTENT_THRESHOLD })),
        excluded: analysis.excluded,
        requests: analysis.requests,
        corrections: analysis.corrections,
        files,
      };
    }),
  );

  const generateInput = problemRequestSchema.extend({ save_template: z.string().regex(TEMPLATE_NAME).optional().describe('Also save the plan under this name, to run later with execute_workflow {template}') });
  server.registerTool(
    'generate_workflow',
    {
      title: 'Generate a workflow',
      description: 'Plans a workflow for a problem stated in plain words over the given input files and wanted outputs, exactly as `cs-helper dynamic-workflow --json` does: components chosen from the registry, stages, conditions, adaptations, confidence and a time estimate. Nothing runs. Returns the plan JSON (pass it to execute_workflow or explain_plan) and a summary of its steps.',
      inputSchema: generateInput,
      outputSchema: z.object({ plan: z.record(z.string(), z.unknown()).describe('The full plan, version 1'), summary: planSummarySchema, template: z.string().nullable() }),
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    guard(generateInput, async (args, extra) => {
      const plan = await planFromProblem(args, deps, planLog(), extra.signal);
      if (args.save_template !== undefined) {
        deps.state.templates.save(args.save_template, plan);
        session.logDataOperation({ operation: 'write', target: `template:${args.save_template}`, detail: { kind: 'template', plan_id: plan.id } });
      }
      return { plan: plan as unknown as Record<string, unknown>, summary: planSummary(plan), template: args.save_template ?? null };
    }),
  );

  const executeInput = z.object({
    ...suppliedPlanShape,
    problem: problemRequestShape.problem.optional(),
    input_files: problemRequestShape.input_files.optional(),
    outputs: problemRequestShape.outputs,
    feeds: problemRequestShape.feeds,
    output_dir: problemRequestShape.output_dir,
    constraints: problemRequestShape.constraints,
    sheets: problemRequestShape.sheets,
  });
  server.registerTool(
    'execute_workflow',
    {
      title: 'Execute a workflow',
      description: 'Runs a workflow: a plan from generate_workflow (`plan`), a saved template (`template`), or a new plan made from `problem` and `input_files`. Every path stays inside the server\'s roots; outputs go to `output_dir`. Sends progress notifications when the request carries a progressToken; cancelling the request stops the run and leaves no half-written output. Returns the measured run: steps with times and row counts, the files written.',
      inputSchema: executeInput,
      outputSchema: runSummarySchema,
      annotations: { readOnlyHint: false, destructiveHint: false, openWorldHint: false },
    },
    async (raw: unknown, extra: ToolExtra) => {
      try {
        const args = executeInput.parse(raw);
        let plan = await suppliedPlan(args, deps);
        if (plan === null) {
          if (args.problem === undefined || args.input_files === undefined) throw new UsageError('execute_workflow needs a plan, a template, or a problem with input_files', 'call generate_workflow first and pass its plan, or pass problem and input_files');
          plan = await planFromProblem(problemRequestSchema.parse(args), deps, planLog(), extra.signal);
        }
        const { result } = await runToolPlan(plan, deps, scope, extra);
        rememberPattern(deps.state.patterns, plan, result.status);
        if (result.status !== 'completed') return toolFailure(result.error ?? { code: result.status, message: `the run ${result.status}` });
        return toolSuccess({
          run_id: result.runId,
          plan_id: result.planId,
          status: result.status,
          duration_ms: result.durationMs,
          estimated_ms: result.estimatedMs,
          rows_in: result.rowsIn,
          rows_out: result.rowsOut,
          steps: stepSummaries(result),
          files: result.files.map((f) => ({ output: f.output, path: f.path, format: f.format, bytes: f.bytes, rows: f.rows })),
          session_id: session.sessionId,
        });
      } catch (error) {
        return toolError(error, failureContext);
      }
    },
  );

  const explainInput = z.object({ ...suppliedPlanShape, problem: problemRequestShape.problem.optional(), input_files: problemRequestShape.input_files.optional(), outputs: problemRequestShape.outputs, feeds: problemRequestShape.feeds, sheets: problemRequestShape.sheets });
  server.registerTool(
    'explain_plan',
    {
      title: 'Explain a plan',
      description: 'Explains why a plan is what it is: the intents read, each step with the capabilities it serves and who wanted them, the alternatives with their scores, conditions, loops, adaptations, what is unavailable, and the confidence with its reasons. Give a `plan` (from generate_workflow), a `template`, or a `problem` with `input_files`. Runs nothing.',
      inputSchema: explainInput,
      outputSchema: z.object({ problem: z.string(), intents: z.array(z.unknown()), outputs: z.array(z.string()), steps: z.array(z.record(z.string(), z.unknown())), unavailable: z.array(z.string()), confidence: z.object({ score: z.number(), reasons: z.array(z.string()) }), estimated_seconds: z.number(), scoring: z.string() }),
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    guard(explainInput, async (args, extra) => {
      let plan = await suppliedPlan(args, deps);
      if (plan === null) {
        if (args.problem === undefined || args.input_files === undefined) throw new UsageError('explain_plan needs a plan, a template, or a problem with input_files', 'pass the plan generate_workflow returned');
        plan = await planFromProblem(problemRequestSchema.parse(args), deps, planLog(), extra.signal);
      }
      return { ...explainPlan(plan, deps.registry, INTENT_THRESHOLD) };
    }),
  );

  const listInput = z.object({ type: componentTypeSchema.optional().describe('Only components of this type') });
  server.registerTool(
    'list_components',
    {
      title: 'List components',
      description: 'Lists the component library (built-ins and loaded plugins): id (also its tool name), type, complexity, what it does, its capabilities, what it consumes and produces, and its parameter schema.',
      inputSchema: listInput,
      outputSchema: z.object({ components: z.array(z.object({ id: z.string(), tool: z.string(), type: z.string(), complexity: z.string(), title: z.string(), description: z.string(), capabilities: z.array(z.string()), consumes: z.array(z.string()), produces: z.array(z.string()), source: z.string(), parameters: z.unknown() })) }),
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    guard(listInput, async (args) => {
      const components = deps.registry
        .list()
        .filter((c) => args.type === undefined || c.type === args.type)
        .map((c) => ({ id: c.id, tool: c.id, type: c.type, complexity: c.complexity, title: c.title, description: c.description, capabilities: [...c.capabilities], consumes: [...c.consumes], produces: [...c.produces], source: deps.registry.sourceOf(c.id), parameters: z.toJSONSchema(c.params, { io: 'input', unrepresentable: 'any' }) }));
      return Promise.resolve({ components });
    }),
  );

  server.registerTool(
    'get_session_summary',
    {
      title: 'Session summary',
      description: "Counts for this connection's session log so far: tool calls, workflow steps, errors, decisions, data operations, and the log's resource URI (session://<id>, readable once the session has ended).",
      inputSchema: z.object({}),
      outputSchema: z.object({ session_id: z.string(), session_name: z.string(), resource: z.string(), duration_ms: z.number(), total_tool_calls: z.number(), total_workflow_steps: z.number(), total_errors: z.number(), total_decisions: z.number(), total_data_operations: z.number() }),
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    guard(z.object({}), async () => {
      const summary = session.getSessionSummary();
      return Promise.resolve({
        session_id: summary.session_id,
        session_name: summary.session_name,
        resource: `session://${summary.session_id}`,
        duration_ms: summary.duration_ms,
        total_tool_calls: summary.total_tool_calls,
        total_workflow_steps: summary.total_workflow_steps,
        total_errors: summary.total_errors,
        total_decisions: summary.total_decisions,
        total_data_operations: summary.total_data_operations,
      });
    }),
  );
}

function planSummary(plan: WorkflowPlan): z.infer<typeof planSummarySchema> {
  const stageOf = new Map(plan.stages.flatMap((s) => s.nodes.map((n) => [n, s.index + 1] as const)));
  return {
    plan_id: plan.id,
    steps: plan.nodes.map((n) => ({ node: n.id, component: n.component, stage: stageOf.get(n.id) ?? 0, reason: n.reason, estimated_ms: n.estimated_ms })),
    outputs: plan.outputs.map((o) => `${o.name}.${o.format}`),
    confidence: plan.confidence.score,
    estimated_seconds: plan.estimated_seconds,
    unavailable: plan.unavailable.map((u) => `${u.capability}: ${u.reason}`),
  };
}
