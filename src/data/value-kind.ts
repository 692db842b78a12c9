// What kind of value a cell's text is (a number, a time, an address, a hash...), or null for plain text: what tells a
// header row from data. A column name is never an IP address or a time, and the cells below a name are values.
import { EMAIL, IPV4, NUMBER, URL_VALUE, isHash, isIp, looksLikeDomain } from './value-patterns.js';

export type ValueKind = 'number' | 'timestamp' | 'ip' | 'url' | 'email' | 'hash' | 'boolean' | 'mac' | 'guid' | 'defanged' | 'domain';

/**
 * Kinds no column name ever has. `domain` is not among them: dotted names (`source.ip`, `alert.signature`, ECS and
 * Suricata fields) read as domains, so a domain-like cell only counts as a value where the column below holds domains.
 */
export const NEVER_A_NAME: ReadonlySet<ValueKind> = new Set<ValueKind>(['number', 'timestamp', 'ip', 'url', 'email', 'hash', 'boolean', 'mac', 'guid', 'defanged']);

/** Longer cells are text: no value of these kinds is longer (a URL is, but a header cell that long is no name either). */
const MAX_VALUE_CHARS = 2_100;

const MONTH = String.raw`(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]{0,6}\.?`;
const WEEKDAY = String.raw`(?:mon|tue|wed|thu|fri|sat|sun)[a-z]{0,6}\.?,?\s`;
/** A time of day: `12:00`, `12:00:00.123`, `12:00:00 PM`, with an optional zone (`Z`, `UTC`, `+0100`). */
const TIME = String.raw`\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d{1,9})?)?(?:\s?[ap]\.?m\.?)?(?:\s?(?:z|[a-z]{2,5}|[+-]\d{2}:?\d{2}))?`;
/** Times as exports write them; each form is anchored and its repetitions bounded, so no input makes them slow. */
const TIMESTAMPS: readonly RegExp[] = [
  // ISO 8601 and its relatives: 2024-01-01, 2024/01/01 12:00:00, 2024-01-01T00:00:00.000Z
  new RegExp(String.raw`^\d{4}[-/.]\d{1,2}[-/.]\d{1,2}(?:[T\s]${TIME})?$`, 'i'),
  // Day and month as numbers: 01/02/2024, 1.2.24 12:00, 01/02/2024, 12:00:00 PM
  new RegExp(String.raw`^\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4},?(?:\s{1,2}${TIME})?$`, 'i'),
  // Month named first: Nov 28, 2026, 12:00:00 PM (QRadar), Nov 28 12:00:00 (syslog), Tue Nov 28 12:00:00 2026 (ctime)
  new RegExp(String.raw`^(?:${WEEKDAY})?${MONTH}\s{1,2}\d{1,2}(?:st|nd|rd|th)?,?\s(?:\d{4}(?:,?\s${TIME})?|${TIME}(?:\s\d{4})?)$`, 'i'),
  // Day first: 28 Nov 2026 12:00:00, 28/Nov/2026:12:00:00 +0000 (access logs), Mon, 28 Nov 2026 12:00:00 GMT (RFC 2822)
  new RegExp(String.raw`^(?:${WEEKDAY})?\d{1,2}[\s/-]${MONTH}[\s/-]\d{2,4}(?:[\s:]${TIME})?$`, 'i'),
  // A time of day alone.
  new RegExp(String.raw`^${TIME}$`, 'i'),
];

const BOOLEAN = /^(?:true|false)$/i;
const MAC = /^[0-9a-f]{2}([:-])[0-9a-f]{2}(?:\1[0-9a-f]{2}){4}$/i;
const GUID = /^\{?[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\}?$/i;
/** Indicators written so that nothing can click them: `evil[.]com`, `hxxp://`, `10[.]0[.]0[.]1`, `bad(dot)org`. */
const DEFANGED = /\[\.\]|\[dot\]|\(dot\)|\[:\]|^hxxps?(?::|\[:\])\/\//i;
/** An IPv4 address with a port or a prefix length: `10.0.0.1:443`, `10.0.0.0/8`. */
const IPV4_WITH_SUFFIX = /^([\d.]{7,15})(?::\d{1,5}|\/\d{1,2})$/;

/** The kind of value `text` is (trimmed first), or null when it is plain text or empty. */
export function valueKind(text: string): ValueKind | null {
  const value = text.trim();
  if (value === '' || value.length > MAX_VALUE_CHARS) return null;
  if (NUMBER.test(value)) return 'number';
  if (BOOLEAN.test(value)) return 'boolean';
  if (isIp(value) || IPV4.test(IPV4_WITH_SUFFIX.exec(value)?.[1] ?? '')) return 'ip';
  if (value.length <= 64 && TIMESTAMPS.some((pattern) => pattern.test(value))) return 'timestamp';
  if (MAC.test(value)) return 'mac';
  if (GUID.test(value)) return 'guid';
  if (isHash(value)) return 'hash';
  if (URL_VALUE.test(value)) return 'url';
  if (EMAIL.test(value)) return 'email';
  if (DEFANGED.test(value)) return 'defanged';
  if (looksLikeDomain(value)) return 'domain';
  return null;
}
