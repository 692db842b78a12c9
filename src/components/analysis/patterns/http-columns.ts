// The columns of a web or proxy log the detectors read: the HTTP status and the requested path, recognised by the
// words of their names; and which requested paths are logins, where a refusal (403) is a failed sign-in.
import type { DatasetColumn } from '../../../model/dataset.js';
import { q } from './detector.js';
import { isNumeric, nameWords } from './pattern-columns.js';

/** `status`, `sc-status`, `status_code`, `response_code`, `http_code`; not `response_ms` (a time) or `zip_code`. */
export function isStatusCode(words: readonly string[]): boolean {
  return words.includes('status') || words.includes('statuscode') || (words.includes('code') && words.some((w) => w === 'response' || w === 'http' || w === 'reply'));
}

/** The HTTP status column: numeric, named status (`status`, `sc-status`, `status_code`, `response_code`). */
export function statusColumn(columns: readonly DatasetColumn[]): DatasetColumn | undefined {
  return columns.find((c) => isNumeric(c) && isStatusCode(nameWords(c.name)));
}

/** The requested path or URL: the access log's `path`, a `uri`/`url` column, `cs-uri-stem`. */
export function requestPathColumn(columns: readonly DatasetColumn[]): DatasetColumn | undefined {
  const named = (c: DatasetColumn): boolean => {
    const words = nameWords(c.name);
    return c.sqlType === 'VARCHAR' && (words.includes('path') || words.includes('uri') || words.includes('url') || words.join('_') === 'cs_uri_stem');
  };
  return columns.find((c) => named(c) && c.role !== 'text') ?? columns.find((c) => c.role === 'url');
}

/**
 * Path segments of sign-in endpoints: form logins (`/login`, `/signin`, `/user/logon.aspx`), token and session
 * endpoints (`/oauth/token`, `/api/session`), WordPress's `wp-login.php` and `xmlrpc.php`, Java's `j_security_check`.
 * Matched on the path before its query, case-insensitively (RE2: linear in the path's length).
 */
const LOGIN_PATH = '(^|[/._-])(log[_-]?[io]n|sign[_-]?[io]n|auth|authenticate|oauth2?|sso|saml|session|sessions|token|wp-login|xmlrpc|j_security_check)([/._?-]|$)';

/** SQL for a request path without its query string: attempts on `/login?next=/a` and `/login?next=/b` hit one page. */
export function pathWithoutQuerySql(path: DatasetColumn): string {
  return `split_part(CAST(${q(path.name)} AS VARCHAR), '?', 1)`;
}

/** SQL true when the request went to a sign-in endpoint. */
export function isLoginPathSql(path: DatasetColumn): string {
  return `regexp_matches(${pathWithoutQuerySql(path)}, '${LOGIN_PATH}', 'i')`;
}

