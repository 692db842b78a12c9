// The queue (Redis) cannot be reached, refuses the credentials, or does not hold the job asked for.
import { CsHelperError } from '../model/errors/cs-helper-error.js';

export type QueueProblem = 'unreachable' | 'auth' | 'no-such-job' | 'bad-url';

const HINTS: Readonly<Record<QueueProblem, string>> = {
  unreachable: 'check that Redis runs and that the host and port are right (e.g. redis-server --port 6379); for TLS use rediss://',
  auth: 'check the password in the URL (redis://:PASSWORD@HOST:PORT) or the ACL user (redis://USER:PASSWORD@HOST:PORT)',
  'no-such-job': 'list the jobs with `cs-helper jobs list --queue URL`; finished jobs are kept 7 days',
  'bad-url': 'write the queue as redis://[:PASSWORD@]HOST[:PORT][/DB], or rediss://... for TLS',
};

export class QueueError extends CsHelperError {
  override readonly name = 'QueueError';
  readonly problem: QueueProblem;

  constructor(problem: QueueProblem, message: string, options: { cause?: unknown; hint?: string } = {}) {
    super(`queue-${problem}`, message, { hint: options.hint ?? HINTS[problem], cause: options.cause, retryable: problem === 'unreachable' });
    this.problem = problem;
  }
}
