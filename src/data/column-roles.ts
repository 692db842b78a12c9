// Gives columns their semantic role from the column name and sampled values; values win where they are unambiguous.
import type { SemanticRole } from '../model/semantic-role.js';
import { EMAIL, INTEGER, ISO_TIMESTAMP, NUMBER, URL_VALUE, isHash, isIp, looksLikeDomain } from './value-patterns.js';
import { isTimestampType } from './sql-types.js';

export interface ColumnEvidence {
  readonly name: string;
  /** Engine type when known (import time); null when profiling raw text. */
  readonly sqlType: string | null;
  readonly samples: readonly string[];
}

export interface RoleGuess {
  readonly role: SemanticRole | null;
  readonly confidence: number;
}

const VALUE_ROLES: readonly { role: SemanticRole; test: (v: string) => boolean }[] = [
  { role: 'ip', test: isIp },
  { role: 'url', test: (v) => URL_VALUE.test(v) },
  { role: 'hash', test: isHash },
  { role: 'email', test: (v) => EMAIL.test(v) },
  { role: 'timestamp', test: (v) => ISO_TIMESTAMP.test(v) },
  { role: 'domain', test: looksLikeDomain },
];

/** Name tokens that announce a role; matched on whole tokens of snake_case, kebab-case, dotted or camelCase names. */
const NAME_ROLES: readonly { role: SemanticRole; tokens: readonly string[] }[] = [
  { role: 'label', tokens: ['label', 'class', 'attack_cat', 'attack_type', 'is_malicious', 'malicious', 'verdict', 'target'] },
  // `orig_p` and `resp_p` are Zeek's (`id.orig_p`, `id.resp_p`): matched as the end of the name.
  { role: 'port', tokens: ['port', 'sport', 'dport', 'srcport', 'dstport', 'orig_p', 'resp_p'] },
  { role: 'timestamp', tokens: ['timestamp', 'time', 'ts', 'date', 'datetime', 'created', 'eventtime', 'utctime', 'first_seen', 'last_seen'] },
  { role: 'ip', tokens: ['ip', 'ipaddr', 'ipaddress', 'addr', 'address', 'src', 'dst', 'srcip', 'dstip'] },
  { role: 'url', tokens: ['url', 'uri', 'link', 'referrer', 'referer'] },
  { role: 'domain', tokens: ['domain', 'fqdn', 'query', 'sni', 'server_name'] },
  { role: 'hash', tokens: ['hash', 'md5', 'sha1', 'sha256', 'sha', 'imphash'] },
  { role: 'email', tokens: ['email', 'mail', 'sender', 'recipient'] },
  { role: 'user', tokens: ['user', 'username', 'account', 'login', 'uid_name', 'subjectusername', 'targetusername', 'owner', 'requester'] },
  { role: 'hostname', tokens: ['host', 'hostname', 'computer', 'workstation', 'device', 'machine'] },
  { role: 'process', tokens: ['process', 'image', 'exe', 'cmd', 'command', 'commandline', 'parentimage'] },
  // Windows event logs number their records (RecordNumber, EventRecordID): a sequence, not a measure to find outliers in.
  { role: 'identifier', tokens: ['id', 'uuid', 'guid', 'uid', 'key', 'recordnumber', 'record_number', 'sequence_number'] },
  // Codes that name a kind, however many there are: Windows events' Task, Opcode, Level and Version, a severity.
  { role: 'category', tokens: ['task', 'opcode', 'level', 'version', 'severity'] },
];

const MATCH_SHARE = 0.8;

/** A host name in the wide sense: dot-separated labels of letters, digits, `-` and `_`, a trailing dot allowed (bounded: 253 characters). */
const HOST_NAME = /^(?=.{1,253}$)[a-z0-9_*-]+(?:\.[a-z0-9_-]+)*\.?$/i;

/** A byte Zeek (or another logger) wrote as an escape, `\x00`: a name that is not text. */
const ESCAPED_BYTES = /\\x[0-9a-f]{2}/i;

/** First words of a count (`ct_`, `num_`, `nb_`, `total_`) or a flag (`is_`, `has_`) about something. */
const COUNT_OR_FLAG_FIRST: ReadonlySet<string> = new Set(['ct', 'cnt', 'count', 'num', 'nb', 'n', 'total', 'is', 'has', 'was']);
/** Last words of a count about something (`src_ip_count`, `login_cnt`). */
const COUNT_LAST: ReadonlySet<string> = new Set(['count', 'cnt', 'counts', 'total']);

/** Roles that only a name can announce; a name role from this set wins over a look-alike value. */
const NAME_FIRST: ReadonlySet<SemanticRole> = new Set(['user', 'hostname', 'process', 'label']);

/**
 * Roles that name a thing (an address, an account, a machine, a program), which a number is not: `srv_diff_host_rate`
 * (NSL-KDD) and `length_hostname` (the phishing dataset) are measures about hosts, and read as host names they had
 * pattern analysis group rows by rate values. A numeric column never takes one of these from its name.
 */
const ENTITY_ROLES: ReadonlySet<SemanticRole> = new Set(['ip', 'domain', 'url', 'hash', 'email', 'user', 'hostname', 'process']);

/** Name tokens of an id: an entity's number (`ProcessId`, `user_id`) identifies it and is no measure. */
const ID_TOKENS: ReadonlySet<string> = new Set(['id', 'uid', 'pid', 'guid', 'uuid', 'number']);

/** Free-text columns whose words would otherwise be read as role tokens (`user_agent` is not a user). */
const TEXT_NAMES = /(user[_-]?agent|description|message|comment|summary|title)$/i;


export function inferColumnRoles(columns: readonly ColumnEvidence[]): RoleGuess[] {
  return columns.map(inferColumnRole);
}

export function inferColumnRole(column: ColumnEvidence): RoleGuess {
  const samples = column.samples.map((s) => s.trim()).filter((s) => s !== '' && s !== '-');
  const sqlType = column.sqlType?.toUpperCase() ?? null;
  if (sqlType !== null && (isTimestampType(sqlType) || sqlType === 'DATE')) return { role: 'timestamp', confidence: 1 };
  if (TEXT_NAMES.test(column.name)) return { role: 'text', confidence: 0.9 };

  const numeric = isNumericColumn(sqlType, samples);
  const namedRole = roleFromName(column.name);
  if (numeric && namedRole !== null && ENTITY_ROLES.has(namedRole) && isEntityNumber(column.name, sqlType, samples)) return { role: 'identifier', confidence: 0.7 };
  // Numbers about an entity are measured or counted like any numbers, by their values below.
  const nameRole = numeric && namedRole !== null && ENTITY_ROLES.has(namedRole) ? null : namedRole;
  const valueRole = roleFromValues(samples);

  // A name like `user` or `process` beats a weak value match: `john.smith` and `svchost.exe` only look like domains, and
  // an account's 64-hex id (S3's `bucket_owner`, a canonical user id) only looks like a SHA-256.
  if (nameRole !== null && NAME_FIRST.has(nameRole) && (valueRole === null || valueRole.role === 'domain' || (nameRole === 'user' && valueRole.role === 'hash'))) {
    return { role: nameRole, confidence: samples.length === 0 ? 0.5 : 0.9 };
  }
  if (nameRole === 'port' && numeric) {
    const valid = samples.filter((s) => INTEGER.test(s) && Number(s) >= 0 && Number(s) <= 65535).length;
    if (samples.length === 0 || valid / samples.length >= MATCH_SHARE) return { role: 'port', confidence: samples.length === 0 ? 0.5 : round(valid / samples.length) };
  }
  // Values decide for the roles a pattern can prove: an IP looks like an IP whatever the column is called.
  if (valueRole !== null) return valueRole;
  // A column the name calls a domain (a DNS `query`, a `server_name`) holds host names of every sort, single labels
  // (wpad, a NetBIOS name), service records (_ldap._tcp...) and reverse lookups besides domains: values that all read
  // as host names confirm the name, though fewer pass the domain test (27% of the Trickbot capture's first queries).
  // Names Zeek had to escape (`*\x00\x00...`, a NetBIOS status query) say nothing either way: left out of the share,
  // they made 3 of a capture's 9 queries and kept its DNS log's `query` column from being matched at all.
  if (nameRole === 'domain' && samples.length > 0) {
    const readable = samples.filter((v) => !ESCAPED_BYTES.test(v));
    const share = readable.length === 0 ? 0 : readable.filter((v) => HOST_NAME.test(v)).length / readable.length;
    if (share >= MATCH_SHARE) return { role: 'domain', confidence: round(0.9 * share * (readable.length / samples.length)) };
  }
  if (nameRole !== null && nameRole !== 'port' && !VALUE_ROLES.some((r) => r.role === nameRole)) {
    return { role: nameRole, confidence: samples.length === 0 ? 0.5 : 0.9 };
  }
  const distinct = new Set(samples).size;
  if (numeric) {
    // Few distinct integers (status codes, flags, severities) are categories, not measures to find outliers in.
    if (samples.length >= 20 && distinct <= 10) return { role: 'category', confidence: 0.7 };
    return { role: 'measure', confidence: 0.8 };
  }
  if (samples.length > 0) {
    const meanLength = samples.reduce((sum, s) => sum + s.length, 0) / samples.length;
    if (meanLength > 40) return { role: 'text', confidence: 0.6 };
    if (distinct <= Math.max(2, samples.length / 4)) return { role: 'category', confidence: 0.6 };
  }
  if (nameRole !== null && samples.length === 0) return { role: nameRole, confidence: 0.3 };
  return { role: null, confidence: 0 };
}

function roleFromValues(samples: readonly string[]): RoleGuess | null {
  if (samples.length === 0) return null;
  for (const candidate of VALUE_ROLES) {
    const share = samples.filter(candidate.test).length / samples.length;
    if (share >= MATCH_SHARE) return { role: candidate.role, confidence: round(share) };
  }
  return null;
}

/**
 * Whether whole numbers in a column named after an entity are that entity's ids, by an id word in the name
 * (`ProcessId`, `host_id`). A one-word name is not enough: the phishing dataset's `ip` is a 0/1 flag.
 */
function isEntityNumber(name: string, sqlType: string | null, samples: readonly string[]): boolean {
  const integers = sqlType !== null ? /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT)/.test(sqlType) : samples.every((s) => INTEGER.test(s));
  return integers && nameTokens(name).some((t) => ID_TOKENS.has(t));
}

function isNumericColumn(sqlType: string | null, samples: readonly string[]): boolean {
  if (sqlType !== null) return /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|FLOAT|DOUBLE|DECIMAL)/.test(sqlType);
  return samples.length > 0 && samples.every((s) => NUMBER.test(s));
}

/** Splits `dst_ip`, `dstIp`, `Event.System.Computer`, `client-ip` into lower-case tokens and looks for a role word. */
export function roleFromName(name: string): SemanticRole | null {
  const tokens = nameTokens(name);
  const whole = tokens.join('_');
  // A whole-name match first: `TargetUserName` is a user, though its `target` token alone would read as a label.
  const compact = tokens.join('');
  for (const entry of NAME_ROLES) {
    if (entry.tokens.includes(whole) || entry.tokens.includes(compact)) return entry.role;
  }
  // A count or a flag about a thing is not the thing (UNSW-NB15: `ct_src_dport_ltm` counts connections, `is_ftp_login`
  // is 0 or 1, `ct_ftp_cmd` counts commands): such columns are measures or categories, whatever else their name says.
  const first = tokens[0] ?? '';
  const last = tokens.at(-1) ?? '';
  if (tokens.length > 1 && (COUNT_OR_FLAG_FIRST.has(first) || COUNT_LAST.has(last))) return null;
  for (const entry of NAME_ROLES) {
    // Label words name the whole column: `ip_class` or `TargetImage` are not labels.
    if (entry.role === 'label') continue;
    for (const token of entry.tokens) {
      if (whole === token || tokens.includes(token) || (token.includes('_') && whole.endsWith(token))) return entry.role;
    }
  }
  return null;
}

function nameTokens(name: string): string[] {
  const spaced = name.replace(/([a-z0-9])([A-Z])/g, '$1_$2');
  return spaced.toLowerCase().split(/[^a-z0-9]+/).filter((t) => t !== '');
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
