// Recognises logs by content: Zeek TSV logs by their `#separator` first line and `#fields`/`#types` header; Apache and
// Nginx access logs when most sampled lines have the combined or common shape. Columns, types and roles come from the
// header (Zeek) or the fixed format (access logs), with sampled values for the roles names cannot tell.
import { ACCESS_LOG_COLUMNS, ACCESS_LOG_PATTERN, MAX_SAMPLED_LINE, isAccessLogLine } from '../data/logs/access-log-format.js';
import { AUDITD_FIELD_PATTERN, AUDITD_GROUPS, AUDITD_LINE, isAuditdLine } from '../data/logs/auditd-format.js';
import { S3_ACCESS_LOG_COLUMNS, S3_ACCESS_LOG_GROUPS, S3_ACCESS_LOG_PATTERN, isS3AccessLogLine } from '../data/logs/s3-access-log-format.js';
import { parseZeekHeader, zeekColumnKind, type ZeekColumnKind, type ZeekHeader } from '../data/logs/zeek-header.js';
import type { ColumnProfile, FileProfile } from '../model/file-profile.js';
import { columnProfile, encodingNotes, finishProfile, type FileDetector, type FileHead } from './file-detector.js';

const SAMPLE_LINES = 200;
/** Share of sampled lines that must be records of a line log's format: scanners' access logs hold a few odd lines. */
const ACCESS_LOG_SHARE = 0.8;

const ZEEK_TYPES: Readonly<Record<ZeekColumnKind, ColumnProfile['inferred_type']>> = { time: 'timestamp', integer: 'integer', port: 'integer', number: 'number', bool: 'boolean', list: 'nested', text: 'string' };

export const zeekDetector: FileDetector = {
  id: 'zeek',
  detect(head) {
    if (head.encoding === null) return null;
    const header = parseZeekHeader(head.text, head.displayPath);
    return header === null ? null : profileZeek(head, header);
  },
};

/** A detector for a log of one record per line: most sampled lines (ACCESS_LOG_SHARE) must be records. */
function lineLogDetector(id: string, isRecord: (line: string) => boolean, profile: (head: FileHead, lines: readonly string[], records: readonly string[]) => FileProfile): FileDetector {
  return {
    id,
    detect(head) {
      if (head.encoding === null) return null;
      const lines = sampleLines(head);
      if (lines.length === 0) return null;
      const records = lines.filter(isRecord);
      return records.length / lines.length < ACCESS_LOG_SHARE ? null : profile(head, lines, records);
    },
  };
}

export const accessLogDetector = lineLogDetector('access-log', isAccessLogLine, (head, lines, records) => profileAccessLog(head, lines, records.length));
export const auditdDetector = lineLogDetector('auditd', isAuditdLine, profileAuditd);

/** The columns import.log makes of an audit log: the stamp's, then the sampled records' field names, most frequent first. */
function profileAuditd(head: FileHead, lines: readonly string[], records: readonly string[]): FileProfile {
  const header = AUDITD_LINE;
  const field = new RegExp(AUDITD_FIELD_PATTERN, 'g');
  const samples = new Map<string, string[]>();
  for (const line of records) {
    const fields = header.exec(line)?.[AUDITD_GROUPS.indexOf('fields') + 1] ?? '';
    for (const m of fields.split('\u001d')[0]?.replace(/msg='([^']*)'/, '$1').matchAll(field) ?? []) {
      const [, name = '', value = ''] = m;
      const list = samples.get(name) ?? [];
      list.push(value.replace(/^["']|["']$/g, ''));
      samples.set(name, list);
    }
  }
  const fields = [...samples.entries()].sort((a, b) => b[1].length - a[1].length || a[0].localeCompare(b[0]));
  const columns: ColumnProfile[] = [
    { name: 'node', role: null, role_confidence: 0, inferred_type: 'string' },
    { name: 'type', role: null, role_confidence: 0, inferred_type: 'string' },
    { name: 'timestamp', role: 'timestamp', role_confidence: 1, inferred_type: 'timestamp' },
    { name: 'serial', role: null, role_confidence: 0, inferred_type: 'integer' },
    ...fields.map(([name, values]) => columnProfile(name, values)),
    { name: 'command_line', role: null, role_confidence: 0, inferred_type: 'string' },
    { name: 'raw', role: null, role_confidence: 0, inferred_type: 'string' },
  ];
  const notes = [...encodingNotes(head), 'Linux audit log (auditd)'];
  if (records.length < lines.length) notes.push(`${lines.length - records.length} of ${lines.length} sampled lines are not audit records (kept with their raw text)`);
  return finishProfile({ path: head.displayPath, kind: 'auditd', bytes: head.bytes, encoding: head.encoding?.encoding ?? 'utf-8', delimiter: null, has_header: false, columns, estimated_rows: estimateRows(head, lines), notes });
}

export const s3AccessLogDetector = lineLogDetector('s3-access-log', isS3AccessLogLine, profileS3AccessLog);

/** The columns import.log makes of an S3 server access log, with the sampled values for the roles names cannot tell. */
function profileS3AccessLog(head: FileHead, lines: readonly string[], records: readonly string[]): FileProfile {
  const pattern = new RegExp(S3_ACCESS_LOG_PATTERN);
  const parsed = records.map((l) => pattern.exec(l)).filter((m): m is RegExpExecArray => m !== null);
  const group = (name: (typeof S3_ACCESS_LOG_GROUPS)[number]): string[] => parsed.map((m) => m[S3_ACCESS_LOG_GROUPS.indexOf(name) + 1] ?? '').filter((v) => v !== '-' && v !== '');
  const request = (part: number): string[] => group('request').map((r) => r.split(' ')[part] ?? '');
  const samples: Partial<Record<(typeof S3_ACCESS_LOG_COLUMNS)[number], string[]>> = { method: request(0), path: request(1), protocol: request(2), user: group('requester') };
  for (const name of S3_ACCESS_LOG_GROUPS) if ((S3_ACCESS_LOG_COLUMNS as readonly string[]).includes(name)) samples[name as (typeof S3_ACCESS_LOG_COLUMNS)[number]] ??= group(name);
  const columns = S3_ACCESS_LOG_COLUMNS.map((name): ColumnProfile => {
    if (name === 'timestamp') return { name, role: 'timestamp', role_confidence: 1, inferred_type: 'timestamp' };
    if (name === 'client_ip') return { ...columnProfile(name, samples[name] ?? []), role: 'ip', role_confidence: 1 };
    return columnProfile(name, samples[name] ?? []);
  });
  const notes = [...encodingNotes(head), 'Amazon S3 server access log'];
  if (records.length < lines.length) notes.push(`${lines.length - records.length} of ${lines.length} sampled lines are not S3 access-log records (kept with their raw text)`);
  return finishProfile({ path: head.displayPath, kind: 's3-access-log', bytes: head.bytes, encoding: head.encoding?.encoding ?? 'utf-8', delimiter: null, has_header: false, columns, estimated_rows: estimateRows(head, lines), notes });
}

function profileZeek(head: FileHead, header: ZeekHeader): FileProfile {
  const lines = sampleLines(head).filter((l) => !l.startsWith('#'));
  const cells = lines.map((l) => l.split(header.separator));
  const columns = header.fields.map((field, i): ColumnProfile => {
    const kind = zeekColumnKind(header.types[i] ?? 'string');
    const samples = cells.map((c) => c[i] ?? '').filter((v) => v !== header.unsetField && v !== header.emptyField && v !== '');
    const guessed = columnProfile(field, samples);
    // The header's type is the truth: an addr is an IP, a port a port, a time a timestamp, whatever the samples say.
    if (header.types[i] === 'addr') return { ...guessed, role: 'ip', role_confidence: 1, inferred_type: 'string' };
    if (kind === 'port') return { ...guessed, role: 'port', role_confidence: 1, inferred_type: 'integer' };
    if (kind === 'time') return { ...guessed, role: 'timestamp', role_confidence: 1, inferred_type: 'timestamp' };
    return { ...guessed, inferred_type: ZEEK_TYPES[kind] };
  });
  const notes = [...encodingNotes(head), `Zeek ${header.path ?? 'unnamed'} log`];
  return finishProfile({ path: head.displayPath, kind: 'zeek', bytes: head.bytes, encoding: head.encoding?.encoding ?? 'utf-8', delimiter: header.separator, has_header: true, columns, estimated_rows: estimateRows(head, lines), notes });
}

function profileAccessLog(head: FileHead, lines: readonly string[], matching: number): FileProfile {
  const pattern = new RegExp(ACCESS_LOG_PATTERN);
  const parsed = lines.map((l) => pattern.exec(l)).filter((m): m is RegExpExecArray => m !== null);
  const request = (m: RegExpExecArray): string[] => (m[5] ?? '').split(' ');
  const samples: Record<(typeof ACCESS_LOG_COLUMNS)[number], string[]> = {
    client_ip: parsed.map((m) => m[1] ?? ''),
    ident: parsed.map((m) => m[2] ?? ''),
    user: parsed.map((m) => m[3] ?? ''),
    timestamp: [],
    method: parsed.map((m) => request(m)[0] ?? ''),
    path: parsed.map((m) => request(m)[1] ?? ''),
    protocol: parsed.map((m) => request(m).at(-1) ?? ''),
    status: parsed.map((m) => m[6] ?? ''),
    bytes: parsed.map((m) => (m[7] === '-' ? '0' : (m[7] ?? ''))),
    referrer: parsed.map((m) => m[8] ?? ''),
    user_agent: parsed.map((m) => m[9] ?? ''),
    raw: [],
  };
  const columns = ACCESS_LOG_COLUMNS.map((name): ColumnProfile => {
    if (name === 'timestamp') return { name, role: 'timestamp', role_confidence: 1, inferred_type: 'timestamp' };
    if (name === 'client_ip') return { ...columnProfile(name, samples[name]), role: 'ip', role_confidence: 1 };
    return columnProfile(name, samples[name].filter((s) => s !== '-' && s !== ''));
  });
  const combined = parsed.some((m) => m[9] !== undefined);
  const notes = [...encodingNotes(head), `${combined ? 'combined' : 'common'} access-log format`];
  if (matching < lines.length) notes.push(`${lines.length - matching} of ${lines.length} sampled lines do not fit the format (kept with their raw text)`);
  return finishProfile({ path: head.displayPath, kind: 'access-log', bytes: head.bytes, encoding: head.encoding?.encoding ?? 'utf-8', delimiter: null, has_header: false, columns, estimated_rows: estimateRows(head, lines), notes });
}

/** The first non-blank lines of the head, without a partial last line, each cut to a bounded length. */
function sampleLines(head: FileHead): string[] {
  return head.text
    .split('\n')
    .map((l) => l.replace(/\r$/, ''))
    .filter((l) => l.trim() !== '')
    .slice(0, SAMPLE_LINES)
    .map((l) => (l.length > MAX_SAMPLED_LINE ? l.slice(0, MAX_SAMPLED_LINE + 1) : l));
}

function estimateRows(head: FileHead, sampled: readonly string[]): number {
  const dataLines = head.text.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('#')).length;
  if (head.complete) return dataLines;
  const sampledBytes = sampled.reduce((sum, l) => sum + Buffer.byteLength(l) + 1, 0);
  return Math.round((head.bytes / Math.max(sampledBytes, 1)) * sampled.length);
}
