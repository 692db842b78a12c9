// What a valid value looks like for each column role, as SQL over the value's text; shared by validation.quality
// (validity by role) and validation.schema (column-spec types such as `ip` or `port`). Patterns run in DuckDB's RE2.
import type { SemanticRole } from '../../model/semantic-role.js';

export interface RoleValidity {
  /** SQL that is true when the text expression `v` is a valid value of the role. */
  readonly test: (v: string) => string;
  /**
   * Whether to test once per distinct value (weighted by its count) rather than once per row: addresses, domains and
   * e-mails repeat a lot, and their patterns cost more than the grouping; URLs, hashes and timestamps rarely repeat.
   */
  readonly perValue: boolean;
  /** What an invalid value is not, for messages: `not a valid IP address`. */
  readonly noun: string;
}

const IPV4 = String.raw`((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)`;

export const ROLE_VALIDITY: Partial<Record<SemanticRole, RoleValidity>> = {
  ip: { test: (v) => `(regexp_full_match(${v}, '${IPV4}') OR regexp_full_match(${v}, '[0-9A-Fa-f:.]{2,45}') AND contains(${v}, ':'))`, perValue: true, noun: 'IP address' },
  hash: { test: (v) => `(length(${v}) IN (32, 40, 64) AND regexp_full_match(${v}, '[0-9A-Fa-f]+'))`, perValue: false, noun: 'MD5, SHA-1 or SHA-256 hash' },
  url: { test: (v) => `regexp_matches(${v}, '^(https?|ftp|HTTPS?)://[^\\s/]')`, perValue: false, noun: 'URL' },
  email: { test: (v) => `regexp_full_match(${v}, '[^\\s@]+@[^\\s@]+\\.[A-Za-z]{2,}')`, perValue: true, noun: 'e-mail address' },
  // A DNS name: labels with a lettered top label (a reverse lookup's in-addr.arpa too), or one label with a letter
  // (wpad, a NetBIOS or intranet name a DNS log queries), a trailing dot allowed.
  domain: { test: (v) => `regexp_full_match(${v}, '(([A-Za-z0-9_-]+\\.)+[A-Za-z][A-Za-z0-9-]*|[A-Za-z0-9_-]*[A-Za-z][A-Za-z0-9_-]*)\\.?')`, perValue: true, noun: 'host or domain name' },
  port: { test: (v) => `(TRY_CAST(${v} AS BIGINT) BETWEEN 0 AND 65535)`, perValue: true, noun: 'port (0-65535)' },
  // Only text columns are tested (typed timestamp columns are valid by construction): ISO 8601 text the engine can read.
  timestamp: { test: (v) => `(TRY_CAST(${v} AS TIMESTAMPTZ) IS NOT NULL)`, perValue: false, noun: 'timestamp (ISO 8601)' },
};

/** The validity rule for a column of this role and engine type, if it has one. */
export function validityFor(role: SemanticRole | null, sqlType: string): RoleValidity | undefined {
  if (role === null) return undefined;
  if (role === 'timestamp' && sqlType !== 'VARCHAR') return undefined;
  return ROLE_VALIDITY[role];
}
