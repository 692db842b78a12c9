// The cidr modifier on IPv6 ranges: tested on the address as a number, so every way an address is written is the same
// address. Sysmon writes the loopback as 0:0:0:0:0:0:0:1 (the OTRF recordings hold it), where rules name ::1/128;
// SigmaHQ's Office network rule filters /36 ranges that text prefixes could not describe. IPv4 ranges also hold the
// IPv4-mapped form of their addresses (::ffff:10.1.2.3), as Windows writes IPv4 peers of dual-stack sockets.
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { cidrTest } from '../../../src/intel/sigma/cidr.js';
import type { CompiledRule } from '../../../src/intel/sigma/compile-rule.js';
import { parseRuleText } from '../../../src/intel/sigma/load-rules.js';
import { matchRules } from '../../../src/intel/sigma/match-rules.js';
import { engineSession } from '../../helpers/engine-session.js';

const OFFICE_RULE = 'rules/sigma/rules/windows/network_connection/net_connection_win_office_outbound_non_local_ip.yml';

/** Network connection events (Sysmon event 3 fields, all tcp to port 443): the address as each source writes it. */
const EVENTS: readonly (readonly [string, string | null])[] = [
  ['C:\\Program Files\\Microsoft Office\\root\\Office16\\EXCEL.EXE', '0:0:0:0:0:0:0:1'], // 0: Sysmon's loopback
  ['C:\\Program Files\\Microsoft Office\\root\\Office16\\EXCEL.EXE', '::1'], // 1: the loopback compressed
  ['C:\\Program Files\\Microsoft Office\\root\\Office16\\WINWORD.EXE', '2603:1016:0:1::5'], // 2: in 2603:1016::/36 (Exchange Online)
  ['C:\\Program Files\\Microsoft Office\\root\\Office16\\WINWORD.EXE', '2603:1016:0FFF:FFFF:FFFF:FFFF:FFFF:FFFF'], // 3: the last address of the /36, upper case
  ['C:\\Program Files\\Microsoft Office\\root\\Office16\\WINWORD.EXE', '2603:1016:1000::'], // 4: the first address past it
  ['C:\\Program Files\\Microsoft Office\\root\\Office16\\OUTLOOK.EXE', 'fe80:0:0:0:9582:39e0:356b:ef4e'], // 5: link-local, uncompressed
  ['C:\\Program Files\\Microsoft Office\\root\\Office16\\OUTLOOK.EXE', '2a00:1450:4001:81c::200e'], // 6: a public address
  ['C:\\Program Files\\Microsoft Office\\root\\Office16\\OUTLOOK.EXE', '8.8.8.8'], // 7: a public IPv4 address
  ['C:\\Program Files\\Microsoft Office\\root\\Office16\\OUTLOOK.EXE', '10.1.2.3'], // 8: a private IPv4 address
  ['C:\\Program Files\\Microsoft Office\\root\\Office16\\OUTLOOK.EXE', '1:2:3:4::5:6:7:8'], // 9: not an address (:: among eight groups)
  ['C:\\Program Files\\Microsoft Office\\root\\Office16\\OUTLOOK.EXE', null], // 10: no address
  ['C:\\Program Files\\Microsoft Office\\root\\Office16\\OUTLOOK.EXE', '::ffff:10.1.2.3'], // 11: a private IPv4 address, IPv4-mapped
  ['C:\\Program Files\\Microsoft Office\\root\\Office16\\OUTLOOK.EXE', '::FFFF:8.8.8.8'], // 12: a public IPv4 address, IPv4-mapped
  ['C:\\Program Files\\Microsoft Office\\root\\Office16\\OUTLOOK.EXE', '64:ff9b::8.8.8.8'], // 13: a public IPv4 address through NAT64
  ['C:\\Program Files\\Microsoft Office\\root\\Office16\\OUTLOOK.EXE', '64:FF9B::10.1.2.3'], // 14: a private IPv4 address through NAT64
];

let tables = 0;

const engine = engineSession({ threads: 2 }, async (sql) => {
  await sql.run(`CREATE TABLE net (Image VARCHAR, Initiated VARCHAR, DestinationIp VARCHAR, DestinationPort BIGINT, Protocol VARCHAR)`);
  await sql.append('net', EVENTS.map(([image, ip]) => [image, 'true', ip, 443, 'tcp']));
});

function compiled(text: string): CompiledRule {
  const result = parseRuleText(text, 'test.yml');
  if ('problem' in result) throw new Error(result.problem.detail);
  return result.rule;
}

/** The positions of the events the rule matches. */
async function matched(rule: CompiledRule): Promise<number[]> {
  tables += 1;
  const columns = [...['Image', 'Initiated', 'DestinationIp'].map((name) => ({ name, sqlType: 'VARCHAR' })), { name: 'DestinationPort', sqlType: 'BIGINT' }, { name: 'Protocol', sqlType: 'VARCHAR' }];
  const outcome = await matchRules(engine.sql, { table: 'net', rowId: 'rowid', columns }, [rule], `cidr_pairs_${String(tables)}`, new AbortController().signal);
  expect(outcome.problems).toEqual([]);
  const rows = await engine.sql.all(`SELECT row_id FROM cidr_pairs_${String(tables)} ORDER BY row_id`);
  return rows.map((r) => Number(r['row_id']));
}

const cidrRule = (ranges: readonly string[]): CompiledRule =>
  compiled(`title: t\nid: r\nlogsource:\n  product: windows\n  category: network_connection\ndetection:\n  sel:\n    DestinationIp|cidr:\n${ranges.map((r) => `      - '${r}'`).join('\n')}\n  condition: sel\n`);

describe('cidr on IPv6 ranges', () => {
  it('reads a range as the numbers it spans', () => {
    expect(cidrTest('::1/128')).toEqual({ kind: 'ipv6-range', lo: '1', hi: '1' });
    expect(cidrTest('2603:1016::/36')).toEqual({ kind: 'ipv6-range', lo: String(0x2603_1016n << 96n), hi: String((0x2603_1016_0fffn << 80n) | ((1n << 80n) - 1n)) });
    // Host bits set in the rule's address are cleared, as a network address.
    expect(cidrTest('fe80::1/10')).toEqual({ kind: 'ipv6-range', lo: String(0xfe80n << 112n), hi: String((0xfebfn << 112n) | ((1n << 112n) - 1n)) });
    expect(cidrTest('::/0')).toEqual({ kind: 'ipv6-range', lo: '0', hi: String((1n << 128n) - 1n) });
    // IPv4 ranges stay text prefixes, each also IPv4-mapped and behind NAT64's well-known prefix.
    expect(cidrTest('10.0.0.0/8')).toEqual({ kind: 'prefixes', prefixes: ['10.', '::ffff:10.', '64:ff9b::10.'], exact: [] });
    expect(cidrTest('192.0.2.6/31')).toEqual({ kind: 'prefixes', prefixes: [], exact: ['192.0.2.6', '192.0.2.7', '::ffff:192.0.2.6', '::ffff:192.0.2.7', '64:ff9b::192.0.2.6', '64:ff9b::192.0.2.7'] });
  });

  it('refuses text that is no IPv6 address', () => {
    for (const bad of ['1::2::3/64', '1:2:3:4::5:6:7:8/64', '12345::/16', 'fe80::/129']) expect(() => cidrTest(bad)).toThrow();
  });

  it('matches an address however it is written', async () => {
    expect(await matched(cidrRule(['::1/128']))).toEqual([0, 1]);
    expect(await matched(cidrRule(['2603:1016::/36']))).toEqual([2, 3]);
    expect(await matched(cidrRule(['fe80::/10']))).toEqual([5]);
    expect(await matched(cidrRule(['::/0']))).toEqual([0, 1, 2, 3, 4, 5, 6]);
    // IPv4 and IPv6 ranges in one list; an IPv4-mapped or NAT64 address is tested as its IPv4 address, in IPv4 ranges only.
    expect(await matched(cidrRule(['10.0.0.0/8', '::1/128']))).toEqual([0, 1, 8, 11, 14]);
    expect(await matched(cidrRule(['8.8.8.8/32']))).toEqual([7, 12, 13]);
  });

  it("runs SigmaHQ's Office rule: loopback and Microsoft ranges filtered, public addresses detected", async () => {
    const rule = compiled(await readFile(OFFICE_RULE, 'utf8'));
    // Before, the rule was refused (2603:1016::/36 needed more than 256 text prefixes), and Sysmon's loopback
    // 0:0:0:0:0:0:0:1 passed the ::1/128 filter. Text that is no address, or none, passes every filter, as the rule says.
    expect(await matched(rule)).toEqual([4, 6, 7, 9, 10, 12, 13]);
  });
});
