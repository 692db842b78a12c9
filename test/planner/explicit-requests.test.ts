import { describe, expect, it } from 'vitest';
import { findExplicitRequests } from '../../src/planner/explicit-requests.js';
import { parseProblem } from '../../src/planner/parse-problem.js';

function requests(text: string): string[] {
  return findExplicitRequests(text).map((r) => `${r.kind} ${r.value}`);
}

describe('explicit requests', () => {
  it('reads rules to apply, keeping the path as written', () => {
    expect(requests('use the Sigma rules in ./rules')).toEqual(['rules ./rules']);
    expect(requests('Apply the detection rules from rules/windows to the event log.')).toEqual(['rules rules/windows']);
    expect(requests('Hunt with the rules under /opt/Sigma/Rules')).toEqual(['rules /opt/Sigma/Rules']);
    expect(requests('our rules in the folder ./hunting/')).toEqual(['rules ./hunting/']);
  });

  it('reads feeds to match against, only when they look like files', () => {
    expect(requests('match against feed.txt')).toEqual(['feed feed.txt']);
    expect(requests('Check these connections against bad-ips.txt, please')).toEqual(['feed bad-ips.txt']);
    expect(requests('match the IPs against the blocklist at /srv/intel/blocklist.csv')).toEqual(['feed /srv/intel/blocklist.csv']);
    expect(requests('using the IOC list iocs.txt')).toEqual(['feed iocs.txt']);
    expect(requests('match against known bad IPs')).toEqual([]);
    expect(requests('Analyze threats in export.csv')).toEqual([]);
  });

  it('reads the part of the data to look at', () => {
    expect(requests('Only the proxy logs: look for malware downloads')).toEqual(['scope proxy logs']);
    expect(requests('hunt, only the outbound traffic')).toEqual(['scope outbound traffic']);
    expect(requests('just the DNS queries please')).toEqual(['scope dns queries']);
    // "just" is an adverb before a verb.
    expect(requests('Just transform the file to json')).toEqual(['format json']);
  });

  it('reads time ranges', () => {
    expect(requests('Triage last night\'s alerts')).toEqual(['time_range last night']);
    expect(requests('in the last 24 hours')).toEqual(['time_range last 24 hours']);
    expect(requests('DFIR between 08:00 and 09:00')).toEqual(['time_range between 08:00 and 09:00']);
    expect(requests('everything since 2026-03-01')).toEqual(['time_range since 2026-03-01']);
  });

  it('reads a wanted data format, by its file extension', () => {
    expect(requests('export them as JSON')).toEqual(['format json']);
    expect(requests('Turn the export into JSON Lines')).toEqual(['format jsonl']);
    expect(requests('give me a CSV export')).toEqual(['format csv']);
    // Describing the input is not a wish.
    expect(requests('Analyze this CSV file')).toEqual([]);
  });

  it('drops a format the problem rules out', () => {
    expect(parseProblem("don't export as JSON").requests).toEqual([]);
    expect(parseProblem('Export enriched data as CSV instead of JSON').requests.map((r) => `${r.kind} ${r.value}`)).toEqual(['format csv']);
  });

  it('quotes the words each request was read from', () => {
    expect(findExplicitRequests('Use the Sigma rules in ./rules to hunt')).toEqual([{ kind: 'rules', value: './rules', text: 'rules in ./rules' }]);
  });

  it('stays fast on hostile text', () => {
    const hostile = `against ${'a'.repeat(3000)} rules in ${'/a'.repeat(400)} only ${'x '.repeat(200)}`;
    const started = performance.now();
    findExplicitRequests(hostile);
    expect(performance.now() - started).toBeLessThan(50);
  });
});

describe('parseProblem, asked again', () => {
  it('gives each caller its own copy of a remembered analysis', () => {
    const text = 'Hunt for beaconing in these Zeek logs and export the findings as JSON';
    const first = parseProblem(text);
    first.intents.splice(0);
    first.requests.push({ kind: 'format', value: 'csv', text: 'csv' });
    const second = parseProblem(text);
    expect(second.intents.length).toBeGreaterThan(0);
    expect(second.requests.map((r) => `${r.kind} ${r.value}`)).toEqual(['format json']);
    expect(second).not.toBe(first);
  });
});
