// intel.ioc-match on IPv6 addresses written in other forms than the feed's canonical text: Sysmon writes the zero
// groups out (2a00:1450:4001:81c:0:0:0:200e; the OTRF recordings hold 0:0:0:0:0:0:0:1), other sources pad groups or
// write upper case. An IPv6 IP indicator is matched on the address as a number, one finding per row and indicator.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { plainText } from '../../../src/data/plain-value.js';
import type { PlainRow } from '../../../src/data/sql-session.js';
import { matchWrittenCase, type WrittenCase } from '../../helpers/ioc-match-run.js';

// Written for these cases: a public address and a documentation address, as a feed writes them.
const FEED = ['2a00:1450:4001:81c::200e', '2001:DB8:0:0:0:0:0:1', '192.9.135.73'].join('\n');

const DATA = [
  'UtcTime,DestinationIp,Image',
  '2026-03-02 08:00:00,2a00:1450:4001:81c:0:0:0:200e,chrome.exe', // 0: zero groups written out (Sysmon)
  '2026-03-02 08:00:01,2A00:1450:4001:81C::200E,chrome.exe', // 1: upper case
  '2026-03-02 08:00:02,2a00:1450:4001:081c:0000:0000:0000:200e,chrome.exe', // 2: groups padded
  '2026-03-02 08:00:03,2a00:1450:4001:81c::200e,chrome.exe', // 3: the canonical text
  '2026-03-02 08:00:04,2a00:1450:4001:81c::200f,chrome.exe', // 4: the next address
  '2026-03-02 08:00:05,2001:db8::1,svchost.exe', // 5: the feed wrote it out, the data compressed it
  '2026-03-02 08:00:06,192.9.135.73,svchost.exe', // 6: IPv4, as before
  '2026-03-02 08:00:07,0:0:0:0:0:0:0:1,svchost.exe', // 7: loopback, no indicator
].join('\n');

let run: WrittenCase;
let found: PlainRow[];
beforeAll(async () => {
  run = await matchWrittenCase(FEED, DATA);
  found = await run.harness.sql.all(`SELECT row_id, label, detail->>'match' AS how FROM "${run.findings}" ORDER BY row_id, label`);
});
afterAll(async () => {
  await run.close();
});

describe('intel.ioc-match on IPv6 addresses in any written form', () => {
  it('matches each form of the indicator once, and not the next address', () => {
    expect(found.map((h) => [Number(h['row_id']), plainText(h['label']), plainText(h['how'])])).toEqual([
      [0, 'ip:2a00:1450:4001:81c::200e', 'exact'],
      [1, 'ip:2a00:1450:4001:81c::200e', 'exact'],
      [2, 'ip:2a00:1450:4001:81c::200e', 'exact'],
      [3, 'ip:2a00:1450:4001:81c::200e', 'exact'],
      [5, 'ip:2001:db8::1', 'exact'],
      [6, 'ip:192.9.135.73', 'exact'],
    ]);
  });
});
