// Reads the limits a user sets on a workflow (`--constraints '{"time_budget_seconds": 60}'`); a mistake is a UsageError with a hint.
import { UsageError } from '../model/errors/usage-error.js';
import { constraintsSchema, type Constraints } from '../model/problem-profile.js';

const EXAMPLE = `{"time_budget_seconds": 60, "no_network": true, "max_rows": 100000}`;
const KNOWN_KEYS = Object.keys(constraintsSchema.shape).join(', ');
const NO_CONSTRAINTS: Constraints = Object.freeze(constraintsSchema.parse({}));
/** A constraints text is a line of JSON; anything much larger is not one. */
const MAX_TEXT = 4096;

/** Parses `--constraints` text: JSON, then the schema. */
export function parseConstraintsJson(text: string): Constraints {
  if (text.length > MAX_TEXT) throw new UsageError(`--constraints is ${text.length} characters long; constraints are a short JSON object`, `for example --constraints '${EXAMPLE}'`);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`--constraints is not valid JSON (${error instanceof Error ? error.message : String(error)})`, `quote the JSON for your shell, for example --constraints '${EXAMPLE}'`);
  }
  return parseConstraints(value);
}

/** Validates constraints given as a value (the library's WorkflowRequest, a parsed --constraints). */
export function parseConstraints(value: unknown): Constraints {
  // No constraints, the usual case: the schema's answer is known (a schema check was ~3 us of a 50 us cached plan).
  if (value !== null && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length === 0) return { ...NO_CONSTRAINTS };
  const parsed = constraintsSchema.safeParse(value);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => {
    const where = issue.path.length > 0 ? issue.path.join('.') : 'constraints';
    return issue.code === 'unrecognized_keys' ? `unknown constraint ${issue.keys.map((k) => `'${k}'`).join(', ')}` : `${where}: ${issue.message}`;
  });
  throw new UsageError(`invalid constraints: ${problems.join('; ')}`, `constraints are a JSON object with any of ${KNOWN_KEYS}, for example '${EXAMPLE}'`);
}
