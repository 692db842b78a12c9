// A run id (or the start of one) given to `cs-helper resume` names no journalled run, or more than one.
import { CsHelperError } from './cs-helper-error.js';

/** How many of the matching ids the hint lists. */
const LISTED = 5;

export class NoSuchRunError extends CsHelperError {
  override readonly name = 'NoSuchRunError';
  readonly query: string;
  /** How many journalled runs start with the query: 0 when unknown, 2 or more when ambiguous. */
  readonly total: number;
  /** The newest of them (at most a few). */
  readonly matches: readonly string[];

  constructor(query: string, total: number, matches: readonly string[]) {
    const ambiguous = total > 1;
    super(ambiguous ? 'ambiguous-run' : 'no-such-run', ambiguous ? `'${query}' matches ${total} runs in the run journal` : `no run '${query}' in the run journal`, {
      hint: ambiguous
        ? `give more of the id: ${matches.slice(0, LISTED).join(', ')}${total > Math.min(matches.length, LISTED) ? ', ...' : ''}`
        : // Which runs are journalled: cli/run-with-progress.ts and mcp/run-tool-plan.ts, with or without --no-cache.
          'list the runs with `cs-helper resume list`; runs of `dynamic-workflow --execute`, `run`, `templates run`, `resume`, interactive mode and the MCP server are journalled (with --no-cache too), `batch` runs and queue jobs are not',
    });
    this.query = query;
    this.total = total;
    this.matches = matches;
  }
}
