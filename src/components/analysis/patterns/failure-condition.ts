// What a failed attempt at a credential looks like in a log, as SQL over the columns that can say so, and what the
// attempt was against (the unit a brute force repeats on). A failure counts only in an authentication context:
// - the log says it was a logon: a Windows failed-logon event id, a success flag that is false (Zeek ssh
//   `auth_success`, ntlm `success`), a message of an authentication failure (sshd's `Failed password`, PAM's
//   `authentication failure`); against any account, so password spraying counts;
// - HTTP 401 (the credentials were refused), or 403 on a sign-in path; against the path requested;
// - an outcome of deny/fail/reject/block (an `action`, `outcome`, `result` column) against a service that takes
//   credentials (a destination port of SSH, RDP, SMB, LDAP, a database...), counted per port; in a log without
//   destination ports, when the row names a user or requests a sign-in path.
// A firewall denying one host on 49 different ports is a port scan, not a brute force: each port sees one failure.
import type { DatasetColumn } from '../../../model/dataset.js';
import { notBlankSql, q } from './detector.js';
import { isLoginPathSql, isStatusCode, pathWithoutQuerySql, requestPathColumn } from './http-columns.js';
import { isNumeric, nameWords, type PatternColumns } from './pattern-columns.js';

const OUTCOME_WORDS: ReadonlySet<string> = new Set(['action', 'outcome', 'result', 'status', 'disposition', 'verdict', 'decision', 'state']);
const SUCCESS_WORDS: ReadonlySet<string> = new Set(['success', 'succeeded', 'successful']);
const EVENT_ID_NAMES: ReadonlySet<string> = new Set(['eventid', 'event_id', 'eventcode', 'event_code']);
/** Free-text columns that may tell of a failed logon in words (syslog's message, an event's description). */
const MESSAGE_WORDS: ReadonlySet<string> = new Set(['message', 'msg', 'description', 'reason', 'details', 'detail', 'summary']);

const FAILURE_WORDS = ['deny', 'denied', 'fail', 'failed', 'failure', 'reject', 'rejected', 'block', 'blocked', 'drop', 'dropped', 'unauthorized', 'forbidden'];
/** Windows Security: 4625 an account failed to log on, 4771 Kerberos pre-authentication failed. */
const FAILED_LOGON_EVENTS = [4625, 4771];
/**
 * How failed logons read in words: sshd (`Failed password for`, `Invalid user`), PAM (`authentication failure`),
 * Windows (`An account failed to log on`, `Unknown user name or bad password`), SQL Server (`Login failed for user`).
 * RE2, case-insensitive: linear in the message's length.
 */
const FAILED_LOGON_TEXT =
  '(failed|invalid|bad|wrong|incorrect) (password|passwd|user|login|logon|credentials?)|(authentication|auth|login|logon|sign-?in) (fail|failed|failure)|failed to log ?[io]n|unknown user name';
/**
 * Destination ports of services that take credentials: FTP, SSH, Telnet, SMTP submission, Kerberos, POP3, IMAP,
 * NetBIOS session, LDAP(S), SMB, rexec/rlogin, MS SQL, Oracle, PPTP, MySQL, RDP, PostgreSQL, VNC, WinRM, Redis, MongoDB.
 * A deny on another port (a blocked app retrying 443) is the firewall's policy at work, not a guessed password.
 */
const LOGIN_SERVICE_PORTS = [21, 22, 23, 25, 88, 110, 139, 143, 389, 445, 465, 512, 513, 587, 636, 993, 995, 1433, 1521, 1723, 3306, 3389, 5432, 5900, 5985, 5986, 6379, 27017];

export interface FailureCondition {
  /** SQL true on a row that is a failed attempt at a credential. */
  readonly sql: string;
  /** SQL for what the attempt was against (a port, a path; '' for any account): failures are counted per target. */
  readonly target: string;
  /** The columns whose values say "failed", for the evidence. */
  readonly columns: readonly string[];
}

/** The columns of the dataset the context of a failure is read from. */
export type FailureContext = Pick<PatternColumns, 'destinationPort' | 'user'>;

export function failureCondition(columns: readonly DatasetColumn[], context: FailureContext): FailureCondition | null {
  const path = requestPathColumn(columns);
  const loginPath = path === undefined ? null : isLoginPathSql(path);
  const logons: string[] = [];
  const http: string[] = [];
  const outcomes: string[] = [];
  const used: string[] = [];
  for (const column of columns) {
    const words = nameWords(column.name);
    const c = q(column.name);
    const text = column.sqlType === 'VARCHAR';
    if (EVENT_ID_NAMES.has(words.join('_')) || EVENT_ID_NAMES.has(words.join(''))) {
      logons.push(isNumeric(column) ? `${c} IN (${FAILED_LOGON_EVENTS.join(', ')})` : `trim(CAST(${c} AS VARCHAR)) IN (${FAILED_LOGON_EVENTS.map((n) => `'${n}'`).join(', ')})`);
    } else if (words.some((w) => SUCCESS_WORDS.has(w))) {
      logons.push(column.sqlType === 'BOOLEAN' ? `${c} = false` : `lower(trim(CAST(${c} AS VARCHAR))) IN ('f', 'false', '0', 'no')`);
    } else if (isNumeric(column) && isStatusCode(words)) {
      http.push(httpRefusal(`${c} = 401`, `${c} = 403`, loginPath));
    } else if (text && words.some((w) => MESSAGE_WORDS.has(w))) {
      // Before the outcome words: a `status_message` holds sentences, not one word.
      logons.push(`regexp_matches(${c}, '${FAILED_LOGON_TEXT}', 'i')`);
    } else if (text && (words.some((w) => OUTCOME_WORDS.has(w)) || isStatusCode(words))) {
      // Text compared as text: a TRY_CAST of every value to a number costs five times the scan.
      const value = `lower(trim(${c}))`;
      http.push(httpRefusal(`${value} = '401'`, `${value} = '403'`, loginPath));
      outcomes.push(`${value} IN (${FAILURE_WORDS.map((w) => `'${w}'`).join(', ')})`);
    } else {
      continue;
    }
    used.push(column.name);
  }
  const outcome = outcomeInContext(outcomes, context, path, loginPath);
  const kinds = [
    { when: anyOf(logons), target: "''" },
    { when: anyOf(http), target: path === undefined ? "''" : pathWithoutQuerySql(path) },
    { when: outcome?.when ?? null, target: outcome?.target ?? "''" },
  ].filter((k): k is { when: string; target: string } => k.when !== null);
  if (kinds.length === 0) return null;
  return {
    sql: kinds.map((k) => k.when).join(' OR '),
    // The first kind that holds decides: a failed-logon event is a logon whatever else its row says.
    target: `CASE ${kinds.map((k) => `WHEN ${k.when} THEN ${k.target}`).join(' ')} END`,
    columns: used,
  };
}

/** 401 wherever it is answered; 403 (forbidden, which also answers a missing permission) only on a sign-in path. */
function httpRefusal(unauthorized: string, forbidden: string, loginPath: string | null): string {
  return loginPath === null ? unauthorized : `${unauthorized} OR (${forbidden} AND ${loginPath})`;
}

/** A deny/fail outcome counts against a login service's port, else against an account or a sign-in path (see the header). */
function outcomeInContext(outcomes: readonly string[], context: FailureContext, path: DatasetColumn | undefined, loginPath: string | null): { when: string; target: string } | null {
  const failed = anyOf(outcomes);
  if (failed === null) return null;
  const port = context.destinationPort;
  if (port !== undefined) return { when: `(${failed}) AND ${q(port.name)} IN (${LOGIN_SERVICE_PORTS.join(', ')})`, target: `CAST(${q(port.name)} AS VARCHAR)` };
  const attempts = [context.user === undefined ? null : notBlankSql(`CAST(${q(context.user.name)} AS VARCHAR)`), loginPath].filter((c): c is string => c !== null);
  if (attempts.length === 0) return null;
  return { when: `(${failed}) AND (${attempts.join(' OR ')})`, target: path === undefined ? "''" : pathWithoutQuerySql(path) };
}

/** The conditions joined with OR, each in parentheses; null when there is none. */
function anyOf(conditions: readonly string[]): string | null {
  return conditions.length === 0 ? null : `(${conditions.map((c) => `(${c})`).join(' OR ')})`;
}
