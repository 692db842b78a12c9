// A workflow step failed: names the step and its component, keeps the cause.
import { CsHelperError, isCsHelperError } from './cs-helper-error.js';

export class StepFailedError extends CsHelperError {
  override readonly name = 'StepFailedError';
  readonly nodeId: string;
  readonly componentId: string;

  constructor(nodeId: string, componentId: string, cause: unknown) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super('step-failed', `step '${nodeId}' (${componentId}) failed: ${reason}`, {
      hint: isCsHelperError(cause) ? cause.hint ?? 'see the session log for details' : 'see the session log for details; rerun with --debug for the stack trace',
      cause,
      retryable: isCsHelperError(cause) ? cause.retryable : false,
    });
    this.nodeId = nodeId;
    this.componentId = componentId;
  }
}
