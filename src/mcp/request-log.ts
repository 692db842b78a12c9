// Every MCP request of a connection becomes a tool call in its session log: the method (and tool name), the arguments
// redacted, the measured duration, and the size of the result or the error. It watches the transport, so requests the
// SDK answers itself (initialize, tools/list, a tool's input validation) are logged like the tools' own work. A failed
// request is also an error of the session (counted in its summary), unless the session log holds it already.
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { uuidV7 } from '../ids/uuid-v7.js';
import { redact } from '../session/redact.js';
import type { SessionLog } from '../session/session-log.js';

interface Pending {
  readonly tool: string;
  readonly parameters: Record<string, unknown>;
  readonly started: number;
}

/**
 * Failure codes that are no new error of the session. A failed step (`step-failed`, alone or first of several) was
 * written as an error by the engine when it failed, as on the command line; a cancellation is no error at all.
 */
const NOT_NEW_ERRORS: ReadonlySet<string> = new Set(['step-failed', 'cancelled']);

/** Requests logged at once: a client that never reads its answers cannot grow this without bound. */
const MAX_PENDING = 10_000;

/** Call after `server.connect(transport)`: the SDK sets the transport's handlers there, and these wrap them. */
export function logRequests(transport: Transport, log: SessionLog): void {
  const pending = new Map<string, Pending>();
  const receive = transport.onmessage;
  transport.onmessage = (message, extra) => {
    if ('method' in message && 'id' in message && pending.size < MAX_PENDING) {
      const params = (message.params ?? {}) as Record<string, unknown>;
      const isCall = message.method === 'tools/call';
      const tool = isCall ? String(params['name']) : message.method;
      const args = isCall ? ((params['arguments'] ?? {}) as Record<string, unknown>) : withoutMeta(params);
      pending.set(String(message.id), { tool, parameters: redact(args) as Record<string, unknown>, started: performance.now() });
    }
    receive?.(message, extra);
  };
  const send = transport.send.bind(transport);
  transport.send = async (message, options) => {
    finish(message);
    return send(message, options);
  };

  function finish(message: JSONRPCMessage): void {
    if (!('id' in message) || 'method' in message) return;
    const key = String(message.id);
    const request = pending.get(key);
    if (request === undefined) return;
    pending.delete(key);
    const durationMs = performance.now() - request.started;
    const size = Buffer.byteLength(JSON.stringify(message), 'utf8');
    const error = 'error' in message ? message.error.message : toolErrorText(message.result);
    // Its own span, traced by the protocol's request id: the engine's step calls carry their run's trace id instead.
    const callLog = log.child({ trace_id: `mcp:${key}`, span_id: uuidV7(), operation: 'execute_tool' });
    callLog.logToolCall({ tool: request.tool, parameters: request.parameters, durationMs, result: `${size} bytes`, ...(error === null ? {} : { error }) });
    if (error === null) return;
    const code = failureCode(message);
    if (code !== null && NOT_NEW_ERRORS.has(code)) return;
    // logError reads the code off its error argument: the tool's own code (`_meta.code`), none when the SDK answered.
    callLog.logError('tool-call-failed', error, { tool: request.tool, request_id: key }, code === null ? undefined : { code });
  }
}

function withoutMeta(params: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(params).filter(([key]) => key !== '_meta'));
}

/** The text of a tool error (`isError: true`), which is a result to the protocol but a failure to the log. */
function toolErrorText(result: unknown): string | null {
  if (result === null || typeof result !== 'object' || !('isError' in result) || result.isError !== true) return null;
  const content = 'content' in result && Array.isArray(result.content) ? (result.content as unknown[]) : [];
  const first = content[0];
  return first !== null && typeof first === 'object' && 'text' in first && typeof first.text === 'string' ? first.text.slice(0, 2000) : 'tool error';
}

/** The code a tool of ours gave its failure (tool-result.ts puts it in `_meta.code`); null when the SDK made the answer. */
function failureCode(message: JSONRPCMessage): string | null {
  if (!('result' in message)) return null;
  const code = message.result._meta?.['code'];
  return typeof code === 'string' ? code : null;
}
