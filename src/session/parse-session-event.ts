// Turns one parsed JSON line of a session stream into a typed SessionEvent, or null when it is not one.
// Log files are inputs like any other (copied around, edited, truncated), so nothing is trusted: every field is checked,
// unknown keys are dropped, and the output objects are built fresh (zod copies only the keys it knows, and its records
// drop `__proto__`), so no parsed key is ever assigned onto an existing object.
// Older streams are read too: before the contract gained them, `debug` was absent, `input_type` lived in the
// interaction's metadata, and a data operation's kind was in `operation` (now the OpenTelemetry operation name).
import { z } from 'zod';
import { workflowStatusSchema } from './compiled-session.js';
import type { Operation, SessionEvent, TraceIds } from './session-event.js';

const OPERATIONS: readonly Operation[] = ['plan', 'invoke_workflow', 'execute_tool'];

const timestamp = z.string().refine((text) => !Number.isNaN(Date.parse(text)), 'not a timestamp');
const bag = z.record(z.string(), z.unknown());
const nullableNumber = z.number().nullable().catch(null);
const nullableString = z.string().nullable().catch(null);
const base = { timestamp, session_id: z.string() };

const sessionStart = z.object({
  ...base,
  event: z.literal('session-start'),
  session_name: z.string(),
  user_agent: z.string(),
  tool_version: z.string(),
  platform: z.string(),
  node_version: z.string(),
  argv: z.array(z.string()).catch([]),
  debug: z.boolean().catch(false),
  pid: z.number().int().positive().optional().catch(undefined),
  host: z.string().max(255).optional().catch(undefined),
});

const sessionEnd = z.object({
  ...base,
  event: z.literal('session-end'),
  status: z.enum(['completed', 'failed', 'cancelled']),
  duration_ms: z.number().nonnegative(),
  summary: bag.catch({}),
});

const interaction = z
  .object({
    ...base,
    event: z.literal('interaction'),
    type: z.enum(['question', 'answer']),
    text: z.string(),
    context: z.string(),
    input_type: z.string().nullable().optional(),
    metadata: bag.catch({}),
  })
  .transform(({ input_type, ...rest }) => {
    const legacy = rest.metadata['input_type'];
    return { ...rest, input_type: input_type ?? (typeof legacy === 'string' ? legacy : null) };
  });

const workflowExecution = z.object({
  ...base,
  event: z.literal('workflow-execution'),
  workflow_name: z.string(),
  step_name: z.string(),
  status: workflowStatusSchema,
  metadata: bag.catch({}),
});

const toolCall = z.object({
  ...base,
  event: z.literal('tool-call'),
  tool: z.string(),
  parameters: bag.catch({}),
  duration_ms: z.number().nonnegative(),
  rows_in: nullableNumber,
  rows_out: nullableNumber,
  result: nullableString,
  error: nullableString,
});

const decision = z.object({
  ...base,
  event: z.literal('decision'),
  decision: z.string(),
  chosen: z.string(),
  alternatives: z.array(z.object({ option: z.string(), score: nullableNumber })).catch([]),
  confidence: nullableNumber,
  threshold: nullableNumber,
  reasoning: z.string().catch(''),
});

const dataOperation = z
  .object({
    ...base,
    event: z.literal('data-operation'),
    operation_type: z.string().optional(),
    operation: z.unknown(),
    target: z.string(),
    rows: nullableNumber,
    bytes: nullableNumber,
    columns: z.array(z.string()).nullable().catch(null),
    detail: bag.catch({}),
  })
  .transform(({ operation_type, operation, ...rest }) => ({ ...rest, operation_type: operation_type ?? (typeof operation === 'string' && !isOperation(operation) ? operation : 'unknown') }));

const info = z.object({
  ...base,
  event: z.literal('info'),
  level: z.enum(['info', 'warn', 'debug']).catch('info'),
  type: z.string(),
  description: z.string(),
  metadata: bag.catch({}),
});

const error = z
  .object({
    ...base,
    event: z.literal('error'),
    type: z.string(),
    message: z.string(),
    code: nullableString,
    metadata: bag.catch({}),
    stack: z.string().optional(),
  })
  .transform(({ stack, ...rest }) => (stack === undefined ? rest : { ...rest, stack }));

const sessionEvent = z.discriminatedUnion('event', [sessionStart, sessionEnd, interaction, workflowExecution, toolCall, decision, dataOperation, info, error]);

/** A SessionEvent from a parsed JSON value, or null when the value is not a well-formed event of a known kind. */
export function parseSessionEvent(value: unknown): SessionEvent | null {
  const parsed = sessionEvent.safeParse(value);
  if (!parsed.success) return null;
  const event: SessionEvent = { ...parsed.data, ...traceIdsOf(value) };
  return event;
}

/** The span ids of an event, keeping only well-formed ones (a legacy `operation: 'read'` is not a span operation). */
function traceIdsOf(value: unknown): TraceIds {
  if (value === null || typeof value !== 'object') return {};
  const record = value as Readonly<Record<string, unknown>>;
  const ids: { trace_id?: string; span_id?: string; parent_span_id?: string; operation?: Operation } = {};
  const trace = ownString(record, 'trace_id');
  const span = ownString(record, 'span_id');
  const parent = ownString(record, 'parent_span_id');
  const operation = ownString(record, 'operation');
  if (trace !== undefined) ids.trace_id = trace;
  if (span !== undefined) ids.span_id = span;
  if (parent !== undefined) ids.parent_span_id = parent;
  if (operation !== undefined && isOperation(operation)) ids.operation = operation;
  return ids;
}

function ownString(record: Readonly<Record<string, unknown>>, key: string): string | undefined {
  if (!Object.hasOwn(record, key)) return undefined;
  const value = record[key];
  return typeof value === 'string' ? value : undefined;
}

function isOperation(value: string): value is Operation {
  return (OPERATIONS as readonly string[]).includes(value);
}
