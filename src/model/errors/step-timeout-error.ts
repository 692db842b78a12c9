// A step ran past its time limit and was aborted through its signal.
import { CsHelperError } from './cs-helper-error.js';

export class StepTimeoutError extends CsHelperError {
  override readonly name = 'StepTimeoutError';
  readonly timeoutMs: number;

  constructor(nodeId: string, timeoutMs: number) {
    super('step-timeout', `step '${nodeId}' took longer than ${timeoutMs} ms and was stopped`, {
      hint: 'raise the step\'s timeout_ms in the plan, or give it less data',
      // A slow disk or a busy machine may not be slow the next time.
      retryable: true,
    });
    this.timeoutMs = timeoutMs;
  }
}
