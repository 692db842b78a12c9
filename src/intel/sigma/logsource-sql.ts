// Logsource matching against an event table. A table of Windows events (Channel and EventID columns) is filtered by
// the channel and event ids of each rule's logsource; a rule for another product does not apply to it. A web server
// access log (import.log's columns) takes the webserver rules, a Zeek log the Zeek rules of its service (told by the
// fields that log type has), a Linux audit log the auditd rules. Other tables carry no logsource information: a rule applies when the table holds at least
// one field it names, so a rule about other data (`not selection` on a field the table lacks) cannot fire on every row,
// and never when it is written for one of the log types told above, which the table is not.
import { quoteIdent, quoteLiteral } from '../../data/sql-text.js';
import { ACCESS_LOG_COLUMNS, type ColumnScope } from './column-scope.js';
import type { SigmaLogsource } from './compile-rule.js';
import { WINDOWS_CATEGORIES, WINDOWS_SERVICES, type ChannelEvents } from './windows-logsources.js';

export type LogsourceMode = 'windows-events' | 'access-log' | 's3-access' | 'zeek' | 'auditd' | 'unchecked';

/** The columns import.log gives an S3 server access log beside the access-log ones. */
const S3_ACCESS_COLUMNS: readonly string[] = ['bucket', 'operation', 'request_id'];

/** The columns import.log gives a Linux audit log that no other table has together. */
const AUDITD_COLUMNS: readonly string[] = ['type', 'serial', 'command_line'];

/** Zeek log types the shipped rules name (`service`), each told by fields only that log has. */
const ZEEK_SERVICES: readonly (readonly [service: string, fields: readonly string[]])[] = [
  ['dns', ['query', 'qtype_name', 'rcode_name']],
  ['http', ['method', 'uri', 'status_code']],
  ['rdp', ['cookie', 'security_protocol']],
  ['smb_files', ['fuid', 'action', 'path', 'name']],
  ['dce_rpc', ['endpoint', 'operation', 'named_pipe']],
  ['kerberos', ['request_type', 'client', 'service']],
  ['x509', ['certificate.subject', 'certificate.issuer']],
  ['conn', ['conn_state', 'history', 'orig_bytes']],
];

/** The Zeek log type of a table with Zeek's connection fields, or null when its fields do not tell. */
export function zeekService(scope: ColumnScope): string | null {
  return ZEEK_SERVICES.find(([, fields]) => fields.every((f) => scope.column(f) !== undefined))?.[0] ?? null;
}

export type LogsourceFilter =
  | { readonly applies: false; readonly reason: string }
  | { readonly applies: true; readonly sql: string; readonly note: string | null };

export function logsourceMode(scope: ColumnScope): LogsourceMode {
  if (scope.column('Channel') !== undefined && scope.column('EventID') !== undefined) return 'windows-events';
  if (ACCESS_LOG_COLUMNS.every((c) => scope.column(c) !== undefined)) return S3_ACCESS_COLUMNS.every((c) => scope.column(c) !== undefined) ? 's3-access' : 'access-log';
  if (scope.column('uid') !== undefined && scope.column('id.orig_h') !== undefined && scope.column('id.resp_h') !== undefined) return 'zeek';
  if (AUDITD_COLUMNS.every((c) => scope.column(c) !== undefined)) return 'auditd';
  return 'unchecked';
}

/** The log types whose tables logsourceMode tells by their columns, named for a rule's logsource, or null. */
function recognisedLogType(product: string | null, service: string | null): { name: string; told: string } | null {
  if (product === 'zeek') return { name: 'Zeek logs', told: 'it has no uid, id.orig_h and id.resp_h columns' };
  if (product === 'linux' && service === 'auditd') return { name: 'Linux audit logs', told: `it has no ${AUDITD_COLUMNS.join(', ')} columns` };
  if (product === 'aws' && service === 's3') return { name: 'S3 server access logs', told: 'it is not an access log with bucket, operation and request_id' };
  return null;
}

export function logsourceFilter(logsource: SigmaLogsource, scope: ColumnScope, mode: LogsourceMode, fields: readonly string[] = []): LogsourceFilter {
  const product = logsource.product?.toLowerCase() ?? null;
  const category = logsource.category?.toLowerCase() ?? null;
  const service = logsource.service?.toLowerCase() ?? null;
  if (mode === 'unchecked') {
    // The log types told by their columns (Zeek, Linux audit, S3 access) are not this data: their rules name common
    // words as fields (`query`, `key`, `type`) and test absent ones (`not Z: 0`), so on a CSV that happens to have a
    // `query` column the Zeek DNS rule fired on every row with a dot in it.
    const recognised = recognisedLogType(product, service);
    if (recognised !== null) return { applies: false, reason: `a rule for ${recognised.name}, and the data is not one (${recognised.told})` };
    // Keyword-only rules (no field) search every text column; exists/null tests are about absent fields: both apply.
    if (fields.length === 0 || fields.some((f) => scope.column(f) !== undefined)) return { applies: true, sql: 'true', note: null };
    return { applies: false, reason: `the data holds none of the rule's fields (${fields.slice(0, 4).join(', ')}${fields.length > 4 ? ', ...' : ''})` };
  }
  if (mode === 's3-access') {
    // S3 requests are no web server's pages: the rules written for S3 access logs (CS Helper's) apply, not the webserver ones.
    return product === 'aws' && service === 's3' ? { applies: true, sql: 'true', note: null } : { applies: false, reason: `logsource ${[product, category ?? service].filter((x) => x !== null).join('/') || '(none)'} is not an S3 server access log` };
  }
  if (mode === 'auditd') {
    // The auditd rules name the records' own fields (type, a0, exe, key...); Linux process_creation rules expect an
    // EDR's Image and CommandLine, which audit records do not hold as such.
    return product === 'linux' && service === 'auditd' ? { applies: true, sql: 'true', note: null } : { applies: false, reason: `logsource ${[product, category ?? service].filter((x) => x !== null).join('/') || '(none)'} is not a Linux audit log` };
  }
  if (mode === 'access-log') {
    return category === 'webserver' ? { applies: true, sql: 'true', note: null } : { applies: false, reason: `logsource ${category ?? product ?? service ?? '(none)'} is not a web server access log` };
  }
  if (mode === 'zeek') {
    if (product !== 'zeek') return { applies: false, reason: `logsource ${product ?? category ?? service ?? '(none)'} is not Zeek` };
    const own = zeekService(scope);
    if (service !== null && own !== null && service !== own) return { applies: false, reason: `a rule for Zeek ${service} logs, and this is a Zeek ${own} log` };
    return { applies: true, sql: 'true', note: own === null && service !== null ? `the Zeek log type is not told by its fields: the ${service} rule runs on every event` : null };
  }
  if (product !== null && product !== 'windows') return { applies: false, reason: `logsource product '${product}' is not Windows` };
  // No product and a category Windows does not log (proxy, webserver, dns, firewall): another kind of log.
  if (product === null && (category === null || !WINDOWS_CATEGORIES.has(category)) && (service === null || !WINDOWS_SERVICES.has(service))) {
    return { applies: false, reason: `logsource ${category ?? service ?? '(none)'} is not recorded in Windows event logs` };
  }
  const channel = scope.column('Channel');
  const eventId = scope.column('EventID');
  if (channel === undefined || eventId === undefined) return { applies: true, sql: 'true', note: null };
  // On the table's own columns: the filter runs in the scan, before any projection.
  const channelText = scope.lowerOfTable(channel);
  const idNumber = `TRY_CAST(${quoteIdent(eventId.name)} AS BIGINT)`;
  const parts: string[] = [];
  const notes: string[] = [];
  if (service !== null) {
    const channels = WINDOWS_SERVICES.get(service);
    if (channels === undefined) notes.push(`service '${service}' has no known channel`);
    else parts.push(`${channelText} IN (${channels.map((c) => quoteLiteral(c.toLowerCase())).join(', ')})`);
  }
  if (category !== null) {
    const places = WINDOWS_CATEGORIES.get(category);
    if (places === undefined) notes.push(`category '${category}' has no known channel and event ids`);
    else parts.push(`(${places.map((p) => placeSql(p, channelText, idNumber)).join(' OR ')})`);
  }
  return {
    applies: true,
    sql: parts.length === 0 ? 'true' : parts.join(' AND '),
    note: notes.length === 0 ? null : `${notes.join('; ')}: the rule runs on every event`,
  };
}

function placeSql(place: ChannelEvents, channelText: string, idNumber: string): string {
  const channel = `${channelText} = ${quoteLiteral(place.channel.toLowerCase())}`;
  return place.eventIds.length === 0 ? channel : `(${channel} AND ${idNumber} IN (${place.eventIds.join(', ')}))`;
}
