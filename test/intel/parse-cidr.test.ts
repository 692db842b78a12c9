// parseCidr: plain IPv4 ranges are computed from their octets, IPv6 ranges are read by ipaddr.js; the network text
// must be what ipaddr.js alone gives, and no other IPv4 form is read at all.
import ipaddr from 'ipaddr.js';
import { describe, expect, it } from 'vitest';
import { parseCidr } from '../../src/intel/feeds/feed-indicator.js';

/** The network text ipaddr.js alone gives (the code before the IPv4 shortcut), or null. */
function byIpaddr(value: string): string | null {
  if (!ipaddr.isValidCIDR(value)) return null;
  const [address, bits] = ipaddr.parseCIDR(value);
  const network = address.kind() === 'ipv4' ? ipaddr.IPv4.networkAddressFromCIDR(value) : ipaddr.IPv6.networkAddressFromCIDR(value);
  return `${network.toString()}/${bits}`;
}

describe('parseCidr', () => {
  it('clears the host bits of an IPv4 range at every prefix length, as ipaddr.js does', () => {
    for (const address of ['255.255.255.255', '203.0.113.77', '10.1.2.3', '0.0.0.0', '128.0.0.1']) {
      for (let bits = 0; bits <= 32; bits += 1) expect(parseCidr(`${address}/${bits}`), `${address}/${bits}`).toBe(byIpaddr(`${address}/${bits}`));
    }
    expect(parseCidr('203.0.113.77/24')).toBe('203.0.113.0/24');
    expect(parseCidr('255.255.255.255/1')).toBe('128.0.0.0/1');
    expect(parseCidr('1.2.3.4/0')).toBe('0.0.0.0/0');
  });

  it('refuses what is no range, and every IPv4 form but four plain decimal octets; IPv6 is read by ipaddr.js', () => {
    for (const value of ['256.0.0.0/8', '10.0.0.0/33', '10.0.0.0', '10.0.0.0/', 'a.b.c.d/8', '10.0.0.0/8 ', ' 10.0.0.0/8']) {
      expect(parseCidr(value), value).toBeNull();
      expect(byIpaddr(value), value).toBeNull();
    }
    // ipaddr.js reads octal (`010` is 8), hexadecimal and three-part forms: a feed never means those, so they are refused.
    for (const value of ['010.0.0.1/8', '10.0.0.0/08', '10.0.0/8', '0x0a.0.0.0/8', '167772160/8']) expect(parseCidr(value), value).toBeNull();
    expect(byIpaddr('010.0.0.1/8')).toBe('8.0.0.0/8');
    for (const value of ['2001:db8:1::5/48', '2001:DB8::/32', '::ffff:0:0/95', '64:ff9b::/64']) expect(parseCidr(value), value).toBe(byIpaddr(value));
    expect(parseCidr(`${'1'.repeat(70)}/8`)).toBeNull();
  });

  it('stores an IPv6 range inside the IPv4-mapped or NAT64 prefix as the IPv4 range it holds', () => {
    expect(parseCidr('::ffff:10.0.0.1/104')).toBe('10.0.0.0/8');
    expect(parseCidr('::FFFF:c000:0200/120')).toBe('192.0.2.0/24');
    expect(parseCidr('::ffff:0:0/96')).toBe('0.0.0.0/0');
    expect(parseCidr('64:ff9b::203.0.113.9/128')).toBe('203.0.113.9/32');
    expect(parseCidr('64:ff9b::c633:6400/120')).toBe('198.51.100.0/24');
    // The local-use NAT64 prefix carries no fixed embedding.
    expect(parseCidr('64:ff9b:1::/112')).toBe('64:ff9b:1::/112');
  });
});
