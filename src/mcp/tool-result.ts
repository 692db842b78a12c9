// Tool results as MCP wants them: structured content with its JSON text beside it for clients that read only text,
// and failures as tool errors (`isError`) whose text says what went wrong and what to do, never a crashed server.
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { isCsHelperError, type CsHelperError } from '../model/errors/cs-helper-error.js';
import { InputFileError } from '../model/errors/input-file-error.js';

export interface ToolFailure {
  readonly code: string;
  readonly message: string;
  readonly hint?: string | undefined;
}

/** What the MCP door knows that an error raised below it does not. */
export interface FailureContext {
  /** Where relative paths in requests are read from: the first root. */
  readonly relativeBase: string;
}

export function toolSuccess(structured: Record<string, unknown>): CallToolResult {
  return { content: [{ type: 'text', text: JSON.stringify(structured) }], structuredContent: structured };
}

/** `error: ...` and `hint: ...`, as the CLI prints them: a model can act on the hint as a person would. */
export function toolError(error: unknown, context: FailureContext): CallToolResult {
  return toolFailure(describeFailure(error, context));
}

export function toolFailure(failure: ToolFailure): CallToolResult {
  const text = `error: ${failure.message}${failure.hint === undefined ? '' : `\nhint: ${failure.hint}`}`;
  return { content: [{ type: 'text', text }], isError: true, _meta: { code: failure.code } };
}

export function describeFailure(error: unknown, context: FailureContext): ToolFailure {
  if (error instanceof AggregateError) {
    const first: unknown = error.errors[0];
    const hint = isCsHelperError(first) ? hintOf(first, context) : undefined;
    return { code: isCsHelperError(first) ? first.code : 'failed', message: error.message, ...(hint === undefined ? {} : { hint }) };
  }
  if (isCsHelperError(error)) {
    const hint = hintOf(error, context);
    return { code: error.code, message: error.message, ...(hint === undefined ? {} : { hint }) };
  }
  return { code: 'internal', message: error instanceof Error ? error.message : String(error), hint: 'this is a bug in CS Helper; the session log holds the details' };
}

/** The error's hint, restated where it speaks of the CLI: a missing file's default hint names the current directory. */
function hintOf(error: CsHelperError, context: FailureContext): string | undefined {
  if (error instanceof InputFileError && error.problem === 'not-found' && error.hintIsDefault) return `check the path; relative paths are read from the first root, ${context.relativeBase}`;
  return error.hint;
}
