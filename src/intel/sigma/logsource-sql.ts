// Logsource matching against an event table. A table of Windows events (Channel and EventID columns) is filtered by
// the channel and event ids of each rule's logsource; a rule for another product does not apply to it. Other tables
// carry no logsource information, so every rule applies and its fields decide.
import { quoteIdent, quoteLiteral } from '../../data/sql-text.js';
import type { ColumnScope } from './column-scope.js';
import type { SigmaLogsource } from './compile-rule.js';
import { WINDOWS_CATEGORIES, WINDOWS_SERVICES, type ChannelEvents } from './windows-logsources.js';

export type LogsourceMode = 'windows-events' | 'unchecked';

export type LogsourceFilter =
  | { readonly applies: false; readonly reason: string }
  | { readonly applies: true; readonly sql: string; readonly note: string | null };

export function logsourceMode(scope: ColumnScope): LogsourceMode {
  return scope.column('Channel') !== undefined && scope.column('EventID') !== undefined ? 'windows-events' : 'unchecked';
}

export function logsourceFilter(logsource: SigmaLogsource, scope: ColumnScope, mode: LogsourceMode): LogsourceFilter {
  if (mode === 'unchecked') return { applies: true, sql: 'true', note: null };
  const product = logsource.product?.toLowerCase() ?? null;
  if (product !== null && product !== 'windows') return { applies: false, reason: `logsource product '${product}' is not Windows` };
  const category = logsource.category?.toLowerCase() ?? null;
  const service = logsource.service?.toLowerCase() ?? null;
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
