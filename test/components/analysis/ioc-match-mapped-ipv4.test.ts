// intel.ioc-match on IPv4 addresses inside IPv6: Windows logon events write the IPv4 peer of a dual-stack socket as
// ::ffff:a.b.c.d (the OTRF recordings hold ::ffff:172.18.39.5), an IPv6-only network reaches IPv4 hosts through NAT64
// as 64:ff9b::a.b.c.d, and feeds store such an indicator as its IPv4 address, so the data side is read the same way:
// exact IPs and IPv4 ranges match, in either case, written out in full or in hex groups.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { plainText } from '../../../src/data/plain-value.js';
import type { PlainRow } from '../../../src/data/sql-session.js';
import { matchWrittenCase, type WrittenCase } from '../../helpers/ioc-match-run.js';

// 192.9.135.73 is a Feodo Tracker botnet C2 address; the ranges are documentation ranges, the second written as the
// IPv4-mapped IPv6 range that holds 192.0.2.0/24.
const FEED = ['192.9.135.73', '198.51.100.0/24', '::ffff:203.0.113.9', '::ffff:192.0.2.0/120'].join('\n');

const DATA = [
  'EventID,IpAddress,TargetUserName',
  '4624,::ffff:192.9.135.73,alice', // 0: mapped, exact
  '4624,::FFFF:198.51.100.7,bob', // 1: mapped upper case, in the range
  '4625,0:0:0:0:0:ffff:192.9.135.73,carol', // 2: mapped, written out
  '4624,192.9.135.73,dave', // 3: plain IPv4
  '4624,::ffff:198.51.101.7,erin', // 4: mapped, past the range
  '4624,::ffff:c009:8749,frank', // 5: the same address in hex groups
  '4624,::1,grace', // 6: loopback
  '4624,203.0.113.9,heidi', // 7: the feed's mapped indicator, stored as IPv4
  '4624,::ffff:192.9.135.73.1,ivan', // 8: no address
  '4624,64:ff9b::192.9.135.73,judy', // 9: NAT64, dotted
  '4624,64:FF9B::C633:6407,mallory', // 10: NAT64 in hex groups, upper case: 198.51.100.7, in the range
  '4624,0:0:0:0:0:ffff:c009:8749,niaj', // 11: mapped, hex groups written out
  '4624,2001:db8::c009:8749,olivia', // 12: the same low 32 bits under another prefix: no IPv4 address
  '4624,64:ff9b:1::c009:8749,peggy', // 13: NAT64's local-use prefix 64:ff9b:1::/48 is not the well-known /96
  '4624,192.0.2.44,trent', // 14: plain IPv4 in the range the feed wrote as IPv4-mapped IPv6
  '4624,::ffff:c000:22d,victor', // 15: 192.0.2.45 in hex groups, in that range
  '4624,64:ff9b::192.0.2.46,walter', // 16: NAT64, dotted, in that range
  '4624,192.0.3.1,xavier', // 17: past it
].join('\n');

let run: WrittenCase;
let found: PlainRow[];
beforeAll(async () => {
  run = await matchWrittenCase(FEED, DATA);
  expect(run.dataset.columns.find((c) => c.name === 'IpAddress')?.role).toBe('ip');
  found = await run.harness.sql.all(`SELECT row_id, label, detail->>'match' AS how, detail->>'value' AS value FROM "${run.findings}" ORDER BY row_id, label`);
});
afterAll(async () => {
  await run.close();
});

describe('intel.ioc-match on IPv4 addresses inside IPv6', () => {
  it('matches them as their IPv4 address, exactly and in ranges, and reports the value as written', () => {
    expect(found.map((h) => [Number(h['row_id']), plainText(h['label']), plainText(h['how']), plainText(h['value'])])).toEqual([
      [0, 'ip:192.9.135.73', 'exact', '::ffff:192.9.135.73'],
      [1, 'cidr:198.51.100.0/24', 'cidr', '::ffff:198.51.100.7'],
      [2, 'ip:192.9.135.73', 'exact', '0:0:0:0:0:ffff:192.9.135.73'],
      [3, 'ip:192.9.135.73', 'exact', '192.9.135.73'],
      [5, 'ip:192.9.135.73', 'exact', '::ffff:c009:8749'],
      [7, 'ip:203.0.113.9', 'exact', '203.0.113.9'],
      [9, 'ip:192.9.135.73', 'exact', '64:ff9b::192.9.135.73'],
      [10, 'cidr:198.51.100.0/24', 'cidr', '64:ff9b::c633:6407'],
      [11, 'ip:192.9.135.73', 'exact', '0:0:0:0:0:ffff:c009:8749'],
      [14, 'cidr:192.0.2.0/24', 'cidr', '192.0.2.44'],
      [15, 'cidr:192.0.2.0/24', 'cidr', '::ffff:c000:22d'],
      [16, 'cidr:192.0.2.0/24', 'cidr', '64:ff9b::192.0.2.46'],
    ]);
  });
});
