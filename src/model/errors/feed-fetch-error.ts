// `cs-helper feeds import --fetch URL` could not download the feed: offline, refused, too large, not http(s).
import { CsHelperError } from './cs-helper-error.js';

export type FeedFetchProblem = 'offline' | 'http-status' | 'too-large' | 'bad-url';

export class FeedFetchError extends CsHelperError {
  override readonly name = 'FeedFetchError';
  readonly url: string;
  readonly problem: FeedFetchProblem;

  constructor(url: string, problem: FeedFetchProblem, detail: string, options: { cause?: unknown } = {}) {
    super(`feed-fetch-${problem}`, `${url}: ${detail}`, {
      hint:
        problem === 'offline'
          ? 'this machine has no network connection to the feed; download the file where there is one and run `cs-helper feeds import FILE`'
          : problem === 'bad-url'
            ? 'give an http:// or https:// address of a feed file'
            : 'check the address, or download the file and run `cs-helper feeds import FILE`',
      cause: options.cause,
      retryable: problem === 'offline' || problem === 'http-status',
    });
    this.url = url;
    this.problem = problem;
  }
}
