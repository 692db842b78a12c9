// The `cidr` modifier as text prefixes, so it runs as starts_with in the engine (no network extension to download):
// 172.16.0.0/12 becomes the prefixes 172.16. .. 172.31.; fe80::/10 becomes fe8 fe9 fea feb.
import { SigmaRuleError } from './sigma-rule-error.js';

/** Prefix variants at most for one range (a /1 IPv4 range needs 128). */
const MAX_PREFIXES = 256;

export interface CidrText {
  /** The address text starts with one of these. */
  readonly prefixes: readonly string[];
  /** Or equals one of these (host ranges: /32, /128). */
  readonly exact: readonly string[];
}

export function cidrToText(range: string): CidrText {
  const [address = '', bitsText] = range.trim().split('/');
  if (address.includes(':')) return ipv6(address, bitsText === undefined ? 128 : parseBits(bitsText, 128, range));
  return ipv4(address, bitsText === undefined ? 32 : parseBits(bitsText, 32, range), range);
}

function parseBits(text: string, max: number, range: string): number {
  const bits = Number(text);
  if (!Number.isInteger(bits) || bits < 0 || bits > max) throw new SigmaRuleError('invalid', `cidr '${range}' has an invalid prefix length`);
  return bits;
}

function ipv4(address: string, bits: number, range: string): CidrText {
  const octets = address.split('.').map(Number);
  if (octets.length !== 4 || octets.some((o) => !Number.isInteger(o) || o < 0 || o > 255)) throw new SigmaRuleError('invalid', `cidr '${range}' is not an IPv4 or IPv6 range`);
  if (bits === 32) return { prefixes: [], exact: [octets.join('.')] };
  const whole = Math.floor(bits / 8);
  const head = octets.slice(0, whole);
  const rest = bits % 8;
  if (rest === 0) return { prefixes: [head.length === 0 ? '' : `${head.join('.')}.`], exact: [] };
  const size = 2 ** (8 - rest);
  const start = (octets[whole] ?? 0) & ~(size - 1) & 0xff;
  const prefixes: string[] = [];
  for (let value = start; value < start + size; value += 1) prefixes.push([...head, value].join('.') + (whole === 3 ? '' : '.'));
  // A /25../31 range: the last octet is whole, so the address must end there (10.0.0.1 is not in 10.0.0.12/31).
  return whole === 3 ? { prefixes: [], exact: prefixes } : { prefixes, exact: [] };
}

function ipv6(address: string, bits: number): CidrText {
  const groups = expandIpv6(address);
  if (bits === 128) return { prefixes: [], exact: [compressIpv6(groups)] };
  if (bits === 0) return { prefixes: [''], exact: [] };
  const nibbles = groups.map((g) => g.toString(16).padStart(4, '0')).join('');
  const wholeGroups = Math.floor(bits / 16);
  const head = groups.slice(0, wholeGroups).map((g) => g.toString(16));
  // Text prefixes only describe the range when no whole leading group is zero (a zero group may be written `::`).
  if (groups.slice(0, wholeGroups).some((g) => g === 0)) throw new SigmaRuleError('unsupported', `cidr '${address}/${bits}': IPv6 ranges with zero leading groups`);
  const partialBits = bits % 16;
  const headText = head.length === 0 ? '' : `${head.join(':')}:`;
  if (partialBits === 0) return { prefixes: [headText], exact: [] };
  const size = 2 ** (16 - partialBits);
  const start = (groups[wholeGroups] ?? 0) & ~(size - 1) & 0xffff;
  if (start >= 0x1000) {
    // The group is written with four digits: its fixed leading nibbles are a text prefix.
    const groupNibbles = nibbles.slice(wholeGroups * 4, wholeGroups * 4 + 4);
    const fixed = Math.floor(partialBits / 4);
    const spare = partialBits % 4;
    const base = `${headText}${groupNibbles.slice(0, fixed)}`;
    if (spare === 0) return { prefixes: [base], exact: [] };
    const count = 2 ** (4 - spare);
    const first = parseInt(groupNibbles.charAt(fixed), 16) & ~(count - 1);
    const prefixes: string[] = [];
    for (let v = first; v < first + count; v += 1) prefixes.push(base + v.toString(16));
    return { prefixes, exact: [] };
  }
  // Shorter group text (leading zeros dropped): every value of the group, and `::` for zero.
  if (size > MAX_PREFIXES) throw new SigmaRuleError('unsupported', `cidr '${address}/${bits}': more than ${MAX_PREFIXES} text prefixes`);
  const prefixes: string[] = [];
  for (let v = start; v < start + size; v += 1) prefixes.push(`${headText}${v.toString(16)}:`);
  if (start === 0) prefixes.push(`${headText}:`);
  return { prefixes, exact: [] };
}

function expandIpv6(address: string): number[] {
  const [left = '', right] = address.toLowerCase().split('::');
  const parse = (part: string): number[] => (part === '' ? [] : part.split(':').map((g) => (/^[0-9a-f]{1,4}$/.test(g) ? parseInt(g, 16) : Number.NaN)));
  const head = parse(left);
  const tail = right === undefined ? [] : parse(right);
  const fill = right === undefined ? 0 : 8 - head.length - tail.length;
  const groups = [...head, ...Array<number>(Math.max(fill, 0)).fill(0), ...tail];
  // A `::` stands for one zero group or more (RFC 4291): eight groups written around one are no address.
  if (groups.length !== 8 || fill < 0 || (right !== undefined && fill === 0) || groups.some((g) => Number.isNaN(g))) throw new SigmaRuleError('invalid', `cidr '${address}' is not an IPv6 address`);
  return groups;
}

/** RFC 5952 text: lower case, no leading zeros, the longest run of two or more zero groups as `::`. */
function compressIpv6(groups: readonly number[]): string {
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i += 1;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j += 1;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const text = groups.map((g) => g.toString(16));
  if (bestStart < 0) return text.join(':');
  return `${text.slice(0, bestStart).join(':')}::${text.slice(bestStart + bestLength).join(':')}`;
}
