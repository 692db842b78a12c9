// The run was cancelled (Ctrl-C, a timeout, an MCP cancellation): not a failure of the data or the plan.
import { CsHelperError } from './cs-helper-error.js';

export class CancelledError extends CsHelperError {
  override readonly name = 'CancelledError';

  constructor(reason = 'the run was cancelled') {
    super('cancelled', reason, { hint: 'nothing was left half-written; run the command again to start over' });
  }
}
