// The one indicator row every feed loader produces, and the collector that classifies, normalises and bounds them.
import ipaddr from 'ipaddr.js';
import { getPublicSuffix } from 'tldts';
import { DOMAIN, IPV4, MD5, SHA1, SHA256, URL_VALUE, isIp } from '../../data/value-patterns.js';
import { classifyIndicator, normaliseIndicator, refang, type IndicatorType } from '../indicator-type.js';

/** What a value declared of a type must look like: a feed's type column does not make `domain autuo.xicp.net` a domain. */
const SHAPES: Readonly<Record<Exclude<FeedIndicatorType, 'ip' | 'cidr'>, RegExp>> = { domain: DOMAIN, url: URL_VALUE, md5: MD5, sha1: SHA1, sha256: SHA256 };

/** `cidr` is an IPv4 or IPv6 range (`10.0.0.0/8`, `2001:db8::/32`); every other type is matched exactly or, for domains, by suffix. */
export type FeedIndicatorType = IndicatorType | 'cidr';
export const FEED_INDICATOR_TYPES: readonly FeedIndicatorType[] = ['ip', 'cidr', 'domain', 'url', 'md5', 'sha1', 'sha256'];

export interface FeedIndicator {
  readonly type: FeedIndicatorType;
  /** Canonical form: lower-case, refanged; IPv6 compressed; a CIDR with its host bits cleared. */
  readonly value: string;
  readonly source: string;
  /** 0..1. */
  readonly confidence: number;
  /** ISO 8601 text as the feed gave it (date or timestamp), or null. */
  readonly firstSeen: string | null;
  readonly lastSeen: string | null;
  readonly tags: readonly string[];
  readonly malwareFamily: string | null;
  /** What the indicator is for: `botnet_cc`, `malware_download`, `payload`, ... */
  readonly threatType: string | null;
}

/** Bounds that keep a hostile or runaway feed from exhausting memory. */
export const MAX_INDICATORS_PER_FEED = 5_000_000;
export const MAX_VALUE_CHARS = 2048;
const MAX_TAGS = 32;
const MAX_TEXT_CHARS = 256;
export const DEFAULT_CONFIDENCE = 0.7;

export interface IndicatorFields {
  readonly type?: FeedIndicatorType | null;
  readonly confidence?: number | null;
  readonly firstSeen?: string | null;
  readonly lastSeen?: string | null;
  readonly tags?: readonly string[];
  readonly malwareFamily?: string | null;
  readonly threatType?: string | null;
  readonly source?: string | null;
}

export interface CollectedFeed {
  readonly format: FeedFormat;
  readonly source: string;
  readonly indicators: readonly FeedIndicator[];
  /** Values that are no indicator CS Helper can match (a file name, a registry key), with a few examples. */
  readonly skipped: number;
  readonly skippedExamples: readonly string[];
  /** Constructs of the format that are understood but not matched (STIX `AND` patterns, OpenIOC registry terms), by kind. */
  readonly unsupported: Readonly<Record<string, number>>;
  /** Objects kept for context, not matched (STIX malware, relationships; MISP events of a manifest), by kind. */
  readonly context: Readonly<Record<string, number>>;
}

export type FeedFormat = 'plain' | 'value-csv' | 'abuse-ch-csv' | 'misp-event' | 'misp-manifest' | 'stix-bundle' | 'openioc';

export class IndicatorCollector {
  readonly indicators: FeedIndicator[] = [];
  skipped = 0;
  readonly skippedExamples: string[] = [];
  readonly unsupported: Record<string, number> = Object.create(null) as Record<string, number>;
  readonly context: Record<string, number> = Object.create(null) as Record<string, number>;

  constructor(
    readonly source: string,
    private readonly defaults: IndicatorFields = {},
  ) {}

  /** Adds one raw value; returns whether it became an indicator. */
  add(raw: string, fields: IndicatorFields = {}): boolean {
    if (this.indicators.length >= MAX_INDICATORS_PER_FEED) {
      this.count(this.unsupported, 'over the indicator limit');
      return false;
    }
    const type = fields.type ?? this.defaults.type ?? classifyFeedValue(raw);
    const value = type === null || raw.length > MAX_VALUE_CHARS ? null : canonicalValue(type, raw);
    if (type === null || value === null) {
      this.skip(raw);
      return false;
    }
    if (type === 'cidr' && isTooBroad(value)) {
      this.count(this.unsupported, TOO_BROAD);
      return false;
    }
    const confidence = fields.confidence ?? this.defaults.confidence ?? DEFAULT_CONFIDENCE;
    this.indicators.push({
      type,
      value,
      source: bounded(fields.source ?? this.defaults.source ?? null) ?? this.source,
      confidence: Number.isFinite(confidence) ? Math.min(1, Math.max(0, confidence)) : DEFAULT_CONFIDENCE,
      firstSeen: bounded(fields.firstSeen ?? this.defaults.firstSeen ?? null),
      lastSeen: bounded(fields.lastSeen ?? this.defaults.lastSeen ?? null),
      tags: [...new Set([...(this.defaults.tags ?? []), ...(fields.tags ?? [])].map((t) => t.trim().slice(0, MAX_TEXT_CHARS)).filter((t) => t !== ''))].slice(0, MAX_TAGS),
      malwareFamily: bounded(fields.malwareFamily ?? this.defaults.malwareFamily ?? null),
      threatType: bounded(fields.threatType ?? this.defaults.threatType ?? null),
    });
    return true;
  }

  skip(raw: string): void {
    this.skipped += 1;
    if (this.skippedExamples.length < 3) this.skippedExamples.push(JSON.stringify(raw.slice(0, 60)));
  }

  count(into: Record<string, number>, kind: string): void {
    into[kind] = (into[kind] ?? 0) + 1;
  }

  finish(format: FeedFormat): CollectedFeed {
    return { format, source: this.source, indicators: this.indicators, skipped: this.skipped, skippedExamples: this.skippedExamples, unsupported: { ...this.unsupported }, context: { ...this.context } };
  }
}

/**
 * Ranges broader than these are left out (counted, not matched): `0.0.0.0/0`, `::/0` or a bogon list's `224.0.0.0/3`
 * would mark most traffic as malicious (a feed of them scored 10,000 of 10,000 rows high or critical). Blocklists of
 * hostile networks list /8 and longer (Spamhaus DROP's broadest are /10-/11).
 */
const MIN_IPV4_PREFIX = 8;
const MIN_IPV6_PREFIX = 16;
const TOO_BROAD = `range broader than /${MIN_IPV4_PREFIX} (IPv4) or /${MIN_IPV6_PREFIX} (IPv6): it would mark most traffic`;

function isTooBroad(range: string): boolean {
  const bits = Number(range.slice(range.lastIndexOf('/') + 1));
  return bits < (range.includes(':') ? MIN_IPV6_PREFIX : MIN_IPV4_PREFIX);
}

/** A value's type, ranges included; null when it is no indicator. */
export function classifyFeedValue(raw: string): FeedIndicatorType | null {
  const value = refang(raw);
  if (value.includes('/') && !value.includes('://') && parseCidr(value) !== null) return 'cidr';
  return classifyIndicator(value);
}

/** The canonical value, or null when the value does not hold as the type (a bad range, a bare public suffix). */
export function canonicalValue(type: FeedIndicatorType, raw: string): string | null {
  if (type === 'cidr') {
    const range = parseCidr(refang(raw));
    if (range === null) return null;
    // A /32 (or /128) is one address: matched exactly, like any IP.
    return range;
  }
  const value = normaliseIndicator(type, raw);
  if (type === 'ip') {
    // A dotted quad without leading zeros is already in the form ipaddr.js would write (half the parse time of a feed
    // of addresses went to parsing and writing it back).
    if (IPV4.test(value)) return value;
    // Any other IPv4 text is refused: ipaddr.js reads the forms inet_aton takes (`010.1.2.3` as octal 8.1.2.3, `0x7f`,
    // `127.1`, a 32-bit number), which a feed never means and which would match the wrong address.
    if (!value.includes(':') || !ipaddr.IPv6.isValid(value)) return null;
    const parsed = ipaddr.IPv6.parse(value);
    return parsed.isIPv4MappedAddress() ? parsed.toIPv4Address().toString() : (nat64Ipv4(parsed.parts) ?? parsed.toString());
  }
  if (!SHAPES[type].test(value)) return null;
  if (type === 'domain') {
    if (isIp(value)) return null;
    // A feed entry that is itself a public suffix (`duckdns.org`, `co.uk`) would, matched by suffix, flag every site under it.
    const suffix = getPublicSuffix(value, { allowPrivateDomains: true });
    if (suffix === value) return null;
  }
  return value;
}

/**
 * The key a URL is matched by (the engine builds the same, see url-keys.ts): no scheme: no scheme, lower-case, the default port dropped, no trailing
 * slash. `HTTP://Evil.com:80/a/` and `evil.com/a` are one key.
 */
export function canonicalUrl(url: string): string {
  return refang(url)
    .toLowerCase()
    .replace(/^[a-z][a-z0-9+.-]{0,15}:\/\//, '')
    .replace(/^([^/?#:]*):(80|443)([/?#]|$)/, '$1$3')
    .replace(/\/+$/, '');
}

/** A dotted quad and prefix length, each part without leading zeros. */
const PLAIN_IPV4_CIDR = /^(0|[1-9]\d{0,2})\.(0|[1-9]\d{0,2})\.(0|[1-9]\d{0,2})\.(0|[1-9]\d{0,2})\/(0|[1-9]\d?)$/;

/** `a.b.c.d/n` or `v6::/n` with its host bits cleared, or null. */
export function parseCidr(value: string): string | null {
  if (value.length > 64) return null;
  const plain = plainIpv4Cidr(value);
  if (plain !== undefined) return plain;
  // An IPv4 range is four plain decimal octets and a plain length, nothing else (see canonicalValue: `010.0.0.0/8` is
  // octal to ipaddr.js); IPv6 ranges are read by ipaddr.js.
  if (!value.slice(0, value.indexOf('/')).includes(':') || !ipaddr.IPv6.isValidCIDR(value)) return null;
  const [, bits] = ipaddr.IPv6.parseCIDR(value);
  const network = ipaddr.IPv6.networkAddressFromCIDR(value);
  return embeddedIpv4Cidr(network, bits) ?? `${network.toString()}/${bits}`;
}

/**
 * An IPv6 range inside ::ffff:0:0/96 (IPv4-mapped) or 64:ff9b::/96 (NAT64) as the IPv4 range it holds
 * (`::ffff:10.0.0.0/104` is 10.0.0.0/8), or null: stored as IPv4, as an address in those prefixes is (canonicalValue),
 * so it matches the addresses however the data writes them (`10.0.0.5`, `::ffff:10.0.0.5`, `::ffff:a00:5`); indicator
 * matching reads both embeddings as IPv4. A shorter range that covers one of the prefixes (`::/0`) stays IPv6.
 */
function embeddedIpv4Cidr(network: ipaddr.IPv6, bits: number): string | null {
  if (bits < 96) return null;
  const ipv4 = network.isIPv4MappedAddress() ? network.toIPv4Address().toString() : nat64Ipv4(network.parts);
  return ipv4 === null ? null : `${ipv4}/${bits - 96}`;
}

/**
 * parseCidr of a plain IPv4 range, computed from the octets; undefined for any other text.
 * ipaddr.js tries the text as IPv6 first and parses it three times (valid? parse, network): 10k IPv4 ranges cost
 * ~200 ms of a 200k-line feed's first read that way (measured; a test compares both on every prefix length).
 */
function plainIpv4Cidr(value: string): string | null | undefined {
  const match = PLAIN_IPV4_CIDR.exec(value);
  if (match === null) return undefined;
  const octets = match.slice(1, 5).map(Number);
  const bits = Number(match[5]);
  if (octets.some((o) => o > 255) || bits > 32) return null;
  const address = (((octets[0] ?? 0) << 24) | ((octets[1] ?? 0) << 16) | ((octets[2] ?? 0) << 8) | (octets[3] ?? 0)) >>> 0;
  const network = bits === 0 ? 0 : (address & (0xffffffff << (32 - bits))) >>> 0;
  return `${network >>> 24}.${(network >>> 16) & 255}.${(network >>> 8) & 255}.${network & 255}/${bits}`;
}

function bounded(text: string | null): string | null {
  if (text === null) return null;
  const trimmed = text.trim();
  return trimmed === '' ? null : trimmed.slice(0, MAX_TEXT_CHARS);
}

/**
 * The IPv4 address behind NAT64's well-known prefix 64:ff9b::/96 (RFC 6052), or null: stored as that IPv4 address, as
 * an IPv4-mapped one is, so it matches the address however the data writes it (indicator matching reads both
 * embeddings as IPv4). The local-use prefix 64:ff9b:1::/48 carries no fixed embedding and stays IPv6.
 */
function nat64Ipv4(parts: readonly number[]): string | null {
  const [a, b, c, d, e, f, g = 0, h = 0] = parts;
  if (a !== 0x64 || b !== 0xff9b || c !== 0 || d !== 0 || e !== 0 || f !== 0) return null;
  return [g >> 8, g & 0xff, h >> 8, h & 0xff].join('.');
}
