// Which rules apply to which data: Windows events by channel and event id (engine.test.ts), web server access logs
// take the webserver rules (read through the W3C field names), Zeek logs the Zeek rules of their own log type, and
// other tables the rules that test at least one field they hold.
import { describe, expect, it } from 'vitest';
import { ColumnScope, type EventColumn } from '../../../src/intel/sigma/column-scope.js';
import { logsourceFilter, logsourceMode, zeekService } from '../../../src/intel/sigma/logsource-sql.js';
import { namedFields } from '../../../src/intel/sigma/detection-ir.js';
import type { SigmaLogsource } from '../../../src/intel/sigma/compile-rule.js';
import { parseRuleText } from '../../../src/intel/sigma/load-rules.js';

const text = (...names: string[]): EventColumn[] => names.map((name) => ({ name, sqlType: 'VARCHAR' }));
const ACCESS_LOG = new ColumnScope([...text('client_ip', 'ident', 'user', 'method', 'path', 'protocol', 'referrer', 'user_agent', 'raw'), { name: 'time', sqlType: 'TIMESTAMP WITH TIME ZONE' }, { name: 'status', sqlType: 'INTEGER' }, { name: 'bytes', sqlType: 'BIGINT' }]);
const ZEEK_ID = ['ts', 'uid', 'id.orig_h', 'id.orig_p', 'id.resp_h', 'id.resp_p'];
const ZEEK_CONN = new ColumnScope(text(...ZEEK_ID, 'proto', 'service', 'duration', 'orig_bytes', 'resp_bytes', 'conn_state', 'history'));
const ZEEK_RDP = new ColumnScope(text(...ZEEK_ID, 'cookie', 'result', 'security_protocol'));

function rule(yaml: string): { logsource: SigmaLogsource; fields: string[] } {
  const parsed = parseRuleText(yaml, 'rule.yml');
  if (!('rule' in parsed)) throw new Error(parsed.problem.detail);
  return { logsource: parsed.rule.logsource, fields: namedFields(parsed.rule.detection) };
}

const RDP_PUBLIC = rule(`title: Publicly Accessible RDP Service
logsource: {product: zeek, service: rdp}
detection:
  selection: {id.orig_h|cidr: ['10.0.0.0/8', '192.168.0.0/16']}
  condition: not selection
`);
const SQLI = rule(`title: SQL Injection Strings In URI
logsource: {category: webserver}
detection:
  selection: {cs-method: GET}
  keywords: ['=select ', 'pg_sleep']
  condition: selection and keywords
`);
const PROCESS = rule(`title: Whoami
logsource: {product: windows, category: process_creation}
detection:
  sel: {Image|endswith: '\\\\whoami.exe'}
  condition: sel
`);

describe('logsource modes', () => {
  it('tells an access log, a Zeek log and its log type from their columns', () => {
    expect(logsourceMode(ACCESS_LOG)).toBe('access-log');
    expect(logsourceMode(ZEEK_CONN)).toBe('zeek');
    expect(zeekService(ZEEK_CONN)).toBe('conn');
    expect(zeekService(ZEEK_RDP)).toBe('rdp');
    expect(logsourceMode(new ColumnScope(text('timestamp', 'src_ip', 'dst_ip')))).toBe('unchecked');
  });

  it('gives an access log the webserver rules only', () => {
    expect(logsourceFilter(SQLI.logsource, ACCESS_LOG, 'access-log', SQLI.fields).applies).toBe(true);
    expect(logsourceFilter(RDP_PUBLIC.logsource, ACCESS_LOG, 'access-log', RDP_PUBLIC.fields)).toEqual({ applies: false, reason: 'logsource zeek is not a web server access log' });
    expect(logsourceFilter(PROCESS.logsource, ACCESS_LOG, 'access-log', PROCESS.fields).applies).toBe(false);
  });

  it('gives a Zeek log the Zeek rules of its own type: the RDP rule does not fire on every public connection', () => {
    expect(logsourceFilter(RDP_PUBLIC.logsource, ZEEK_CONN, 'zeek', RDP_PUBLIC.fields)).toEqual({ applies: false, reason: 'a rule for Zeek rdp logs, and this is a Zeek conn log' });
    expect(logsourceFilter(RDP_PUBLIC.logsource, ZEEK_RDP, 'zeek', RDP_PUBLIC.fields).applies).toBe(true);
    expect(logsourceFilter(SQLI.logsource, ZEEK_CONN, 'zeek', SQLI.fields).applies).toBe(false);
  });

  it('applies a rule to other data only when the data holds a field the rule tests', () => {
    const csv = new ColumnScope(text('timestamp', 'src_ip', 'dst_ip', 'Image'));
    expect(RDP_PUBLIC.fields).toEqual(['id.orig_h']);
    expect(logsourceFilter(PROCESS.logsource, csv, 'unchecked', PROCESS.fields).applies).toBe(true);
    expect(logsourceFilter(SQLI.logsource, csv, 'unchecked', SQLI.fields)).toEqual({ applies: false, reason: "the data holds none of the rule's fields (cs-method)" });
    // Keyword-only rules and absence tests name no field to hold.
    expect(logsourceFilter({ product: null, category: null, service: null }, csv, 'unchecked', []).applies).toBe(true);
  });

  it('never applies the rules of a log type told by its columns (Zeek, Linux audit, S3) to other data, though it holds their fields', () => {
    // A CSV with a DNS `query` column: SigmaHQ's Zeek rule "Suspicious DNS Z Flag Bit Set" tests `not Z: 0` and
    // `query|contains: '.'`, so it fired on every row with a dot in the query.
    const csv = new ColumnScope(text('timestamp', 'src_ip', 'query', 'key', 'type'));
    const zbit = rule(`title: Suspicious DNS Z Flag Bit Set
logsource: {product: zeek, service: dns}
detection:
  z_flag_unset: {Z: 0}
  most_probable_valid_domain: {query|contains: '.'}
  condition: not z_flag_unset and most_probable_valid_domain
`);
    expect(logsourceFilter(zbit.logsource, csv, 'unchecked', zbit.fields)).toEqual({ applies: false, reason: 'a rule for Zeek logs, and the data is not one (it has no uid, id.orig_h and id.resp_h columns)' });
    expect(logsourceFilter(RDP_PUBLIC.logsource, csv, 'unchecked', RDP_PUBLIC.fields).applies).toBe(false);
    expect(logsourceFilter({ product: 'linux', category: null, service: 'auditd' }, csv, 'unchecked', ['type', 'key']).applies).toBe(false);
    expect(logsourceFilter({ product: 'aws', category: null, service: 's3' }, csv, 'unchecked', ['key']).applies).toBe(false);
    // Other products' rules still apply to data holding their fields: Linux process creation from an EDR export, CloudTrail.
    expect(logsourceFilter({ product: 'linux', category: 'process_creation', service: null }, new ColumnScope(text('Image', 'CommandLine')), 'unchecked', ['Image']).applies).toBe(true);
    expect(logsourceFilter({ product: 'aws', category: null, service: 'cloudtrail' }, new ColumnScope(text('eventName', 'eventSource')), 'unchecked', ['eventName']).applies).toBe(true);
  });
});

describe('W3C field names on an access log', () => {
  it('reads cs-method, cs-uri-stem, cs-uri-query, sc-status and the others from the access log columns', () => {
    expect(ACCESS_LOG.column('cs-method')?.expression).toBe('"method"');
    expect(ACCESS_LOG.column('sc-status')).toEqual({ name: 'sc-status', sqlType: 'INTEGER', expression: '"status"' });
    expect(ACCESS_LOG.column('cs-uri-stem')?.expression).toBe(`split_part("path", '?', 1)`);
    expect(ACCESS_LOG.column('cs-uri-query')?.expression).toBe(`CASE WHEN contains("path", '?') THEN substr("path", strpos("path", '?') + 1) END`);
    expect(ACCESS_LOG.column('c-useragent')?.expression).toBe('"user_agent"');
    // Keyword searches read each column once, not again through its W3C name.
    expect(ACCESS_LOG.textColumns().map((c) => c.name)).toEqual(['client_ip', 'ident', 'user', 'method', 'path', 'protocol', 'referrer', 'user_agent', 'raw']);
  });

  it('leaves a table that is not an access log alone', () => {
    expect(new ColumnScope(text('path', 'method')).column('cs-uri')).toBeUndefined();
  });
});
