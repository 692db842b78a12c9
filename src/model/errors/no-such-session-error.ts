// A session id or prefix given by the user matches no session, or more than one.
import { CsHelperError } from './cs-helper-error.js';

export class NoSuchSessionError extends CsHelperError {
  override readonly name = 'NoSuchSessionError';
  readonly query: string;
  /** The ids that start with the query: empty when unknown, two or more when ambiguous. */
  readonly matches: readonly string[];

  constructor(query: string, matches: readonly string[], logDir: string) {
    const ambiguous = matches.length > 1;
    super(
      ambiguous ? 'session-ambiguous' : 'session-not-found',
      ambiguous ? `'${query}' matches ${matches.length} sessions in ${logDir}` : `no session '${query}' in ${logDir}`,
      {
        hint: ambiguous
          ? `type more of the id: ${matches.slice(0, 5).join(', ')}${matches.length > 5 ? ', ...' : ''}`
          : 'run `cs-helper sessions list` to see the sessions; use --log-dir if they are in another folder',
      },
    );
    this.query = query;
    this.matches = matches;
  }
}
