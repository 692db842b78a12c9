// An event's members as JSON text (the object without its braces), secrets redacted: what the logger puts between a
// line's timestamp and session id and its scope's ids.
//
// The frequent kinds (tool calls, step changes, data operations, info lines) are written by hand, member by member: a
// run logs these by the thousand, and V8's JSON.stringify of the whole event cost ~1.6x the hand-written members
// (measured; the whole logger, with its writes, gains less: see docs/performance.md).
// Only what a caller supplies is searched, rather than the whole line with its fixed keys and numbers, in two searches:
// - its free texts (names, results, descriptions), joined by spaces, for anything secret-looking or any character JSON
//   escapes, both in one search (every match inside one text is still found; a space can only add matches): when it
//   finds nothing, every text is written between quotes as it is, the usual case;
//   The keys and strings of flat records and lists (parameters, metadata, detail, column names, written by hand in
//   flat-json.ts) join that search;
// - the JSON of any other object member (nested, a Date, a toJSON) for anything secret-looking.
// One search for the texts rather than a secret search and an escape search cost 0.85x the members, measured. The
// output is exactly JSON.stringify's (a test checks it on every kind, with quotes, control characters, lone surrogates
// and non-finite numbers); anything else (a member of another type, a secret-looking text, a text to escape, such as a
// quoted name or a Windows path) takes the general path: JSON.stringify, and a redacted copy when the line could hold a
// secret.
import { mayHoldSecret, mayHoldSecretOrEscape, redact } from './redact.js';
import { flatListJson, flatRecordJson, type FlatJson } from './flat-json.js';
import { num } from './json-number.js';
import type { SessionEventInput } from './session-event.js';

const NULL_MEMBER: FlatJson = { json: 'null', texts: '' };

export function eventMembers(event: SessionEventInput): string {
  return handWritten(event) ?? generalMembers(event);
}

function generalMembers(event: SessionEventInput): string {
  const own = JSON.stringify(event);
  const safe = mayHoldSecret(own) ? JSON.stringify(redact(event)) : own;
  // `safe` is a JSON object that always has members (`event` at least): its braces are dropped.
  return safe.slice(1, -1);
}

/** The members written by hand, or null when the event must take the general path. */
function handWritten(event: SessionEventInput): string | null {
  switch (event.event) {
    case 'tool-call': {
      const { tool, parameters, duration_ms, rows_in, rows_out, result, error } = event;
      if (typeof tool !== 'string' || !isNumber(duration_ms) || !isNumberOrNull(rows_in) || !isNumberOrNull(rows_out) || !isTextOrNull(result) || !isTextOrNull(error)) return null;
      const params = objectMember(parameters);
      if (params === null || mayHoldSecretOrEscape(`${tool} ${result ?? ''} ${error ?? ''}${params.texts}`)) return null;
      return `"event":"tool-call","tool":"${tool}","parameters":${params.json},"duration_ms":${num(duration_ms)},"rows_in":${num(rows_in)},"rows_out":${num(rows_out)},"result":${result === null ? 'null' : `"${result}"`},"error":${error === null ? 'null' : `"${error}"`}`;
    }
    case 'workflow-execution': {
      const { workflow_name, step_name, status, metadata } = event;
      if (typeof workflow_name !== 'string' || typeof step_name !== 'string' || typeof status !== 'string') return null;
      const meta = objectMember(metadata);
      if (meta === null || mayHoldSecretOrEscape(`${workflow_name} ${step_name} ${status}${meta.texts}`)) return null;
      return `"event":"workflow-execution","workflow_name":"${workflow_name}","step_name":"${step_name}","status":"${status}","metadata":${meta.json}`;
    }
    case 'data-operation': {
      const { operation_type, target, rows, bytes, columns, detail } = event;
      if (typeof operation_type !== 'string' || typeof target !== 'string' || !isNumberOrNull(rows) || !isNumberOrNull(bytes) || !(columns === null || Array.isArray(columns))) return null;
      const list = columns === null ? NULL_MEMBER : listMember(columns);
      const more = objectMember(detail);
      if (list === null || more === null || mayHoldSecretOrEscape(`${operation_type} ${target}${list.texts}${more.texts}`)) return null;
      return `"event":"data-operation","operation_type":"${operation_type}","target":"${target}","rows":${num(rows)},"bytes":${num(bytes)},"columns":${list.json},"detail":${more.json}`;
    }
    case 'info': {
      const { level, type, description, metadata } = event;
      if (typeof level !== 'string' || typeof type !== 'string' || typeof description !== 'string') return null;
      const meta = objectMember(metadata);
      if (meta === null || mayHoldSecretOrEscape(`${level} ${type} ${description}${meta.texts}`)) return null;
      return `"event":"info","level":"${level}","type":"${type}","description":"${description}","metadata":${meta.json}`;
    }
    default:
      return null;
  }
}

/**
 * A member that must be an object (parameters, metadata, detail): its JSON, and the texts to search with the event's
 * own. A flat record is written by hand with its keys and strings as texts; any other object by JSON.stringify, its JSON
 * searched for secrets on its own (its quotes would send every event the general way). Null when the member is not an
 * object, or its JSON may hold a secret: the event then takes the general path.
 */
function objectMember(value: unknown): FlatJson | null {
  if (value === null || typeof value !== 'object') return null;
  const flat = flatRecordJson(value);
  if (flat !== null) return flat;
  // A toJSON that returns undefined makes JSON.stringify drop the member: the general path writes it as it would.
  const json = JSON.stringify(value) as unknown;
  return typeof json === 'string' && !mayHoldSecret(json) ? { json, texts: '' } : null;
}

/** The column list of a data operation, as objectMember does for objects. */
function listMember(value: readonly unknown[]): FlatJson | null {
  const flat = flatListJson(value);
  if (flat !== null) return flat;
  const json = JSON.stringify(value);
  return mayHoldSecret(json) ? null : { json, texts: '' };
}

function isNumber(value: unknown): value is number {
  return typeof value === 'number';
}

function isNumberOrNull(value: unknown): value is number | null {
  return value === null || typeof value === 'number';
}

function isTextOrNull(value: unknown): value is string | null {
  return value === null || typeof value === 'string';
}
