// What a failed attempt looks like in a log, as a SQL condition over the columns that can say so: an action or outcome
// of deny/fail/reject/block, an HTTP status 401 or 403, a success flag that is false (Zeek ssh `auth_success`, ntlm
// `success`), a Windows failed-logon event id. Columns are recognised by the words of their names.
import type { DatasetColumn } from '../../../model/dataset.js';
import { isNumeric, nameWords } from './pattern-columns.js';
import { q } from './detector.js';

const OUTCOME_WORDS: ReadonlySet<string> = new Set(['action', 'outcome', 'result', 'status', 'disposition', 'verdict', 'decision', 'state']);
const SUCCESS_WORDS: ReadonlySet<string> = new Set(['success', 'succeeded', 'successful']);
const EVENT_ID_NAMES: ReadonlySet<string> = new Set(['eventid', 'event_id', 'eventcode', 'event_code']);

const FAILURE_WORDS = ['deny', 'denied', 'fail', 'failed', 'failure', 'reject', 'rejected', 'block', 'blocked', 'drop', 'dropped', 'unauthorized', 'forbidden'];
/** Windows Security: 4625 an account failed to log on, 4771 Kerberos pre-authentication failed. */
const FAILED_LOGON_EVENTS = [4625, 4771];

export interface FailureCondition {
  readonly sql: string;
  /** The columns it reads, for the evidence. */
  readonly columns: readonly string[];
}

export function failureCondition(columns: readonly DatasetColumn[]): FailureCondition | null {
  const parts: string[] = [];
  const used: string[] = [];
  for (const column of columns) {
    const words = nameWords(column.name);
    const c = q(column.name);
    const text = column.sqlType === 'VARCHAR';
    if (EVENT_ID_NAMES.has(words.join('_')) || EVENT_ID_NAMES.has(words.join(''))) {
      parts.push(isNumeric(column) ? `${c} IN (${FAILED_LOGON_EVENTS.join(', ')})` : `trim(CAST(${c} AS VARCHAR)) IN (${FAILED_LOGON_EVENTS.map((n) => `'${n}'`).join(', ')})`);
    } else if (words.some((w) => SUCCESS_WORDS.has(w))) {
      parts.push(column.sqlType === 'BOOLEAN' ? `${c} = false` : `lower(trim(CAST(${c} AS VARCHAR))) IN ('f', 'false', '0', 'no')`);
    } else if (isNumeric(column) && isStatusCode(words)) {
      parts.push(`${c} IN (401, 403)`);
    } else if (text && (words.some((w) => OUTCOME_WORDS.has(w)) || isStatusCode(words))) {
      // Text compared as text: a TRY_CAST of every value to a number costs five times the scan.
      parts.push(`lower(trim(${c})) IN (${[...FAILURE_WORDS, '401', '403'].map((w) => `'${w}'`).join(', ')})`);
    } else {
      continue;
    }
    used.push(column.name);
  }
  return parts.length === 0 ? null : { sql: parts.map((p) => `(${p})`).join(' OR '), columns: used };
}

/** `status`, `sc-status`, `status_code`, `response_code`, `http_code`; not `response_ms` (a time) or `zip_code`. */
export function isStatusCode(words: readonly string[]): boolean {
  return words.includes('status') || words.includes('statuscode') || (words.includes('code') && words.some((w) => w === 'response' || w === 'http' || w === 'reply'));
}
