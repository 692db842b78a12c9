// The `cidr` modifier. An IPv4 range becomes text prefixes, so it runs as starts_with in the engine (172.16.0.0/12
// becomes 172.16. .. 172.31.): event logs write a dotted quad one way. An IPv6 range is tested on the address as a number,
// because IPv6 text is written many ways (Sysmon writes the loopback 0:0:0:0:0:0:0:1, a rule names ::1/128) and a
// range such as 2603:1016::/36 would need thousands of prefixes. No network extension is downloaded for either.
import type { ValueTest } from './detection-ir.js';
import { SigmaRuleError } from './sigma-rule-error.js';

/** The value tests a cidr range compiles to (detection-ir.ts): text prefixes (IPv4) or a number range (IPv6). */
export type CidrTest = Extract<ValueTest, { readonly kind: 'prefixes' | 'ipv6-range' }>;

export function cidrTest(range: string): CidrTest {
  const [address = '', bitsText] = range.trim().split('/');
  if (address.includes(':')) return ipv6(address, bitsText === undefined ? 128 : parseBits(bitsText, 128, range));
  return ipv4(address, bitsText === undefined ? 32 : parseBits(bitsText, 32, range), range);
}

function parseBits(text: string, max: number, range: string): number {
  const bits = Number(text);
  if (!Number.isInteger(bits) || bits < 0 || bits > max) throw new SigmaRuleError('invalid', `cidr '${range}' has an invalid prefix length`);
  return bits;
}

/**
 * An IPv4 range as text prefixes, each also written inside IPv6 as logs write it: IPv4-mapped (`::ffff:10.`, Windows
 * logs the IPv4 peers of a dual-stack socket that way, logon events' IpAddress) and behind NAT64's well-known prefix
 * (`64:ff9b::10.`, an IPv6-only network reaching an IPv4 host); the address is the IPv4 one, as Elastic's ip fields
 * read it. (The same addresses written in hex groups are not read as IPv4 here; indicator matching does read them.)
 */
function ipv4(address: string, bits: number, range: string): CidrTest {
  const test = ipv4Prefixes(address, bits, range);
  if (test.kind !== 'prefixes') return test;
  const mapped = (texts: readonly string[]): string[] => [...texts, ...texts.map((t) => `::ffff:${t}`), ...texts.map((t) => `64:ff9b::${t}`)];
  // A /0 (the prefix '') holds every text already.
  return { kind: 'prefixes', prefixes: test.prefixes.includes('') ? [''] : mapped(test.prefixes), exact: mapped(test.exact) };
}

function ipv4Prefixes(address: string, bits: number, range: string): CidrTest {
  const octets = address.split('.').map(Number);
  if (octets.length !== 4 || octets.some((o) => !Number.isInteger(o) || o < 0 || o > 255)) throw new SigmaRuleError('invalid', `cidr '${range}' is not an IPv4 or IPv6 range`);
  if (bits === 32) return { kind: 'prefixes', prefixes: [], exact: [octets.join('.')] };
  const whole = Math.floor(bits / 8);
  const head = octets.slice(0, whole);
  const rest = bits % 8;
  if (rest === 0) return { kind: 'prefixes', prefixes: [head.length === 0 ? '' : `${head.join('.')}.`], exact: [] };
  const size = 2 ** (8 - rest);
  const start = (octets[whole] ?? 0) & ~(size - 1) & 0xff;
  const prefixes: string[] = [];
  for (let value = start; value < start + size; value += 1) prefixes.push([...head, value].join('.') + (whole === 3 ? '' : '.'));
  // A /25../31 range: the last octet is whole, so the address must end there (10.0.0.1 is not in 10.0.0.12/31).
  return whole === 3 ? { kind: 'prefixes', prefixes: [], exact: prefixes } : { kind: 'prefixes', prefixes, exact: [] };
}

function ipv6(address: string, bits: number): CidrTest {
  const value = expandIpv6(address).reduce((n, group) => (n << 16n) | BigInt(group), 0n);
  const host = (1n << BigInt(128 - bits)) - 1n;
  const lo = value & ~host & ((1n << 128n) - 1n);
  return { kind: 'ipv6-range', lo: lo.toString(), hi: (lo | host).toString() };
}

function expandIpv6(address: string): number[] {
  const halves = address.toLowerCase().split('::');
  if (halves.length > 2) throw new SigmaRuleError('invalid', `cidr '${address}' is not an IPv6 address`);
  const [left = '', right] = halves;
  const parse = (part: string): number[] => (part === '' ? [] : part.split(':').map((g) => (/^[0-9a-f]{1,4}$/.test(g) ? parseInt(g, 16) : Number.NaN)));
  const head = parse(left);
  const tail = right === undefined ? [] : parse(right);
  const fill = right === undefined ? 0 : 8 - head.length - tail.length;
  const groups = [...head, ...Array<number>(Math.max(fill, 0)).fill(0), ...tail];
  // A `::` stands for one zero group or more (RFC 4291): eight groups written around one are no address.
  if (groups.length !== 8 || fill < 0 || (right !== undefined && fill === 0) || groups.some((g) => Number.isNaN(g))) throw new SigmaRuleError('invalid', `cidr '${address}' is not an IPv6 address`);
  return groups;
}
