// Tool results as MCP wants them: structured content with its JSON text beside it for clients that read only text,
// and failures as tool errors (`isError`) whose text says what went wrong and what to do, never a crashed server.
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { isCsHelperError } from '../model/errors/cs-helper-error.js';

export function toolSuccess(structured: Record<string, unknown>): CallToolResult {
  return { content: [{ type: 'text', text: JSON.stringify(structured) }], structuredContent: structured };
}

/** `error: ...` and `hint: ...`, as the CLI prints them: a model can act on the hint as a person would. */
export function toolError(error: unknown): CallToolResult {
  return toolFailure(describeFailure(error));
}

export function toolFailure(failure: { readonly code: string; readonly message: string; readonly hint?: string | undefined }): CallToolResult {
  const text = `error: ${failure.message}${failure.hint === undefined ? '' : `\nhint: ${failure.hint}`}`;
  return { content: [{ type: 'text', text }], isError: true, _meta: { code: failure.code } };
}

export function describeFailure(error: unknown): { code: string; message: string; hint?: string } {
  if (error instanceof AggregateError) {
    const first: unknown = error.errors[0];
    const hint = isCsHelperError(first) ? first.hint : undefined;
    return { code: isCsHelperError(first) ? first.code : 'failed', message: error.message, ...(hint === undefined ? {} : { hint }) };
  }
  if (isCsHelperError(error)) return { code: error.code, message: error.message, ...(error.hint === undefined ? {} : { hint: error.hint }) };
  return { code: 'internal', message: error instanceof Error ? error.message : String(error), hint: 'this is a bug in CS Helper; the session log holds the details' };
}
