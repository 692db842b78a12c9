// The base of every error CS Helper raises on purpose: a stable code for programs, a hint for people.

export interface CsHelperErrorOptions {
  readonly hint?: string;
  readonly cause?: unknown;
  /** Whether trying the same thing again may succeed (a property of the error, never read from its text). */
  readonly retryable?: boolean;
}

export class CsHelperError extends Error {
  override readonly name: string = 'CsHelperError';
  readonly code: string;
  readonly hint: string | undefined;
  readonly retryable: boolean;

  constructor(code: string, message: string, options: CsHelperErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.hint = options.hint;
    this.retryable = options.retryable ?? false;
  }
}

export function isCsHelperError(value: unknown): value is CsHelperError {
  return value instanceof CsHelperError;
}
