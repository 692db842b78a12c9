// A plan cannot be built or loaded as asked: unknown output, invalid plan file, unsupported combination.
import { CsHelperError } from './cs-helper-error.js';

export class PlanError extends CsHelperError {
  override readonly name = 'PlanError';

  constructor(code: string, message: string, hint?: string) {
    super(code, message, hint === undefined ? {} : { hint });
  }
}
