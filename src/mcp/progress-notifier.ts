// Turns the engine's run events into MCP progress notifications, when the client asked for them with a progressToken:
// progress counts finished steps (a running step adds its own fraction), total is the number of steps.
import type { RequestHandlerExtra } from '@modelcontextprotocol/sdk/shared/protocol.js';
import type { ServerNotification, ServerRequest } from '@modelcontextprotocol/sdk/types.js';
import type { RunEvent, RunEventListener } from '../engine/run-event.js';

export type ToolExtra = RequestHandlerExtra<ServerRequest, ServerNotification>;

/** Null when the client gave no progress token: nothing is sent then. */
export function progressNotifier(extra: ToolExtra): RunEventListener | null {
  const token = extra._meta?.progressToken;
  if (token === undefined) return null;
  let total = 0;
  let done = 0;
  let last = -1;
  return (event: RunEvent) => {
    const update = progressOf(event, done, total);
    if (event.type === 'run-start') total = event.plan.nodes.length;
    if (event.type === 'step-end') done = event.index;
    if (update === null) return;
    // The protocol asks for progress that only grows; a step's message with no new fraction is not worth a message.
    if (update.progress <= last) return;
    last = update.progress;
    extra
      .sendNotification({ method: 'notifications/progress', params: { progressToken: token, progress: round(update.progress), total: update.total, message: update.message } })
      .catch(() => undefined);
  };
}

function progressOf(event: RunEvent, done: number, total: number): { progress: number; total: number; message: string } | null {
  switch (event.type) {
    case 'run-start':
      return { progress: 0, total: event.plan.nodes.length, message: `starting ${event.plan.nodes.length} steps` };
    case 'step-start':
      return { progress: done + 0.01, total, message: `step ${event.index}/${event.total}: ${event.node} (${event.component})` };
    case 'step-progress':
      return { progress: done + Math.min(0.99, Math.max(0.01, event.fraction)), total, message: event.message ?? `${event.node}: ${Math.round(event.fraction * 100)}%` };
    case 'step-end':
      return { progress: event.index, total: event.total, message: `${event.step.node} ${event.step.status}: ${event.step.summary}` };
    case 'run-end':
      return { progress: total, total, message: `run ${event.result.status} in ${Math.round(event.result.durationMs)} ms` };
    default:
      return null;
  }
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
