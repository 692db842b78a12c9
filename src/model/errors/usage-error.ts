// The command line or a parameter is wrong: an unknown option value, a bad combination.
import { CsHelperError } from './cs-helper-error.js';

export class UsageError extends CsHelperError {
  override readonly name = 'UsageError';

  constructor(message: string, hint?: string) {
    super('usage', message, hint === undefined ? {} : { hint });
  }
}
