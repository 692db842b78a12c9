// processing.enrich's <ip>_class is NULL for text that is no IPv4 address in any octet (10.0.0.256),
// and for octets written with leading zeros, which value-patterns.ts does not read as an address either.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { enrichment } from '../../../src/components/processing/enrich.js';
import { ipClassFromOctetsSql, ipOctetsSql } from '../../../src/components/processing/ip-class-sql.js';
import { ComponentHarness, datasetOf } from '../../helpers/component-harness.js';

/** [address, expected class]: the valid ones make the column an IP column (80% of values). */
const CASES: readonly [string, string | null][] = [
  ['10.0.0.1', 'private'],
  ['10.0.0.255', 'private'],
  ['192.168.1.10', 'private'],
  ['8.8.8.8', 'public'],
  ['127.0.0.1', 'loopback'],
  ['::ffff:10.0.0.5', 'private'],
  ['::FFFF:8.8.4.4', 'public'],
  ['172.16.0.1', 'private'],
  ['2001:db8::1', 'documentation'],
  ['fe80::1', 'link-local'],
  ['52.96.166.130', 'public'],
  ['100.64.5.6', 'cgnat'],
  ['224.0.0.251', 'multicast'],
  ['203.0.113.50', 'reserved'],
  ['10.0.0.256', null],
  ['10.0.300.1', null],
  ['10.0.0.999', null],
];

describe('IP class of invalid addresses', () => {
  let harness: ComponentHarness;
  beforeEach(async () => {
    harness = await ComponentHarness.open();
  });
  afterEach(async () => {
    await harness.close();
  });

  it('writes no class for 10.0.0.256 and other out-of-range octets in the enriched data', async () => {
    const values = CASES.map(([ip], i) => `(${i}, '${ip}')`).join(', ');
    const events = await harness.table('events', `SELECT * FROM (VALUES ${values}) AS t(seq, src_ip)`);
    expect(events.columns.find((c) => c.name === 'src_ip')?.role).toBe('ip');
    const rows = await harness.rows(datasetOf(await harness.run(enrichment, { datasets: [events] }, {})));
    expect(rows.map((r) => [r['src_ip'], r['src_ip_class']])).toEqual(CASES);
  });

  it('classes no address written with leading zeros, a fifth octet, or a bad IPv4 tail', async () => {
    const texts = ['010.0.0.1', '10.00.0.1', '10.0.0.01', '10.0.0.1.5', '10.0.0', ' 10.0.0.1 ', '64:ff9b::1.2.3.300', '64:ff9b::1.2.3.4', '1::ffff:10.0.0.1'];
    const rows = await harness.sql.all(
      `SELECT value, ${ipClassFromOctetsSql('value', 'o')} AS class
       FROM (SELECT i, value, ${ipOctetsSql('value', 'o')} FROM (VALUES ${texts.map((t, i) => `(${i}, '${t}')`).join(', ')}) AS t(i, value))
       ORDER BY i`,
    );
    expect(rows.map((r) => [r['value'], r['class']])).toEqual([
      ['010.0.0.1', null],
      ['10.00.0.1', null],
      ['10.0.0.01', null],
      ['10.0.0.1.5', null],
      ['10.0.0', null],
      // Surrounding blanks are no part of the address (as before).
      [' 10.0.0.1 ', 'private'],
      ['64:ff9b::1.2.3.300', null],
      ['64:ff9b::1.2.3.4', 'public'],
      // Not the IPv4-mapped prefix: an IPv6 address outside global unicast.
      ['1::ffff:10.0.0.1', 'reserved'],
    ]);
  });
});
