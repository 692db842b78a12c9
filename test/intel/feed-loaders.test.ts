// Every feed loader on a real sample (test/fixtures/intel/feeds, see SOURCE.md): formats recognised from content,
// values, metadata, and what is left out counted rather than silently dropped.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CollectedFeed, FeedIndicator } from '../../src/intel/feeds/feed-indicator.js';
import { BUNDLED_FEED_PATH } from '../../src/intel/bundled-feed.js';
import { loadFeed } from '../../src/intel/feeds/load-feed.js';
import { parsePattern } from '../../src/intel/feeds/stix-bundle.js';
import { InputFileError } from '../../src/model/errors/input-file-error.js';
import { zipArchive } from '../helpers/zip-writer.js';

const FEEDS = fileURLToPath(new URL('../fixtures/intel/feeds/', import.meta.url));
const load = (name: string): Promise<CollectedFeed> => loadFeed(join(FEEDS, name), { display: name });
const byType = (feed: CollectedFeed): Record<string, number> => {
  const counts: Record<string, number> = {};
  for (const i of feed.indicators) counts[i.type] = (counts[i.type] ?? 0) + 1;
  return counts;
};
const find = (feed: CollectedFeed, value: string): FeedIndicator | undefined => feed.indicators.find((i) => i.value === value);

let temp: string;
beforeAll(async () => {
  temp = await mkdtemp(join(tmpdir(), 'cs-helper-feeds-'));
});
afterAll(async () => {
  await rm(temp, { recursive: true, force: true });
});

describe('abuse.ch CSV dumps', () => {
  it('reads MalwareBazaar: banner header, padded quoted fields, three hashes a row', async () => {
    const feed = await load('malwarebazaar-dump.csv');
    expect([feed.format, feed.source, byType(feed)]).toEqual(['abuse-ch-csv', 'abuse.ch/malwarebazaar', { sha256: 5, md5: 5, sha1: 5 }]);
    expect(find(feed, '601dd90719729f87caf388d4a9bc9be91d5443c3181f1fb3b337a21df5de4bb9')).toEqual({
      type: 'sha256',
      value: '601dd90719729f87caf388d4a9bc9be91d5443c3181f1fb3b337a21df5de4bb9',
      source: 'abuse.ch/malwarebazaar',
      confidence: 0.9,
      firstSeen: '2026-02-26 13:31:34',
      lastSeen: null,
      tags: ['elf'],
      malwareFamily: 'Mirai',
      threatType: 'payload',
    });
    // "n/a" signatures are no family.
    expect(find(feed, '9363fa2625198beb1fcce0ef07f558ff')?.malwareFamily).toBeNull();
  });

  it('reads a dump as abuse.ch ships it zipped, and gzipped, the same as the plain file', async () => {
    const plain = await load('malwarebazaar-dump.csv');
    const text = await readFile(join(FEEDS, 'malwarebazaar-dump.csv'));
    const zipped = join(temp, 'full.csv.zip');
    await writeFile(zipped, zipArchive([{ name: 'full.csv', data: text }]));
    const gzipped = join(temp, 'full.csv.gz');
    await writeFile(gzipped, gzipSync(text));
    for (const path of [zipped, gzipped]) {
      const feed = await loadFeed(path, { display: 'malwarebazaar-dump.csv' });
      expect([feed.format, feed.source]).toEqual([plain.format, plain.source]);
      expect(feed.indicators).toEqual(plain.indicators);
    }
    // A ZIP of several files is no feed: it says which files it holds.
    const several = join(temp, 'several.zip');
    await writeFile(several, zipArchive([{ name: 'a.csv', data: text }, { name: 'b.csv', data: text }]));
    await expect(loadFeed(several, { display: 'several.zip' })).rejects.toThrow('several.zip: the ZIP archive holds 2 files (a.csv, b.csv); CS Helper reads an archive holding one');
  });

  it('refuses a folder or a device as a feed, naming it, as a user mistake', async () => {
    // `feeds import ioc-feeds/abuse.ch` read the folder and failed with EISDIR, reported as a bug in CS Helper.
    const folder = loadFeed(temp, { display: 'abuse.ch' });
    await expect(folder).rejects.toThrow(InputFileError);
    await expect(folder).rejects.toThrow('abuse.ch: a folder, not a feed file');
    await expect(loadFeed('/dev/null', { display: '/dev/null' })).rejects.toThrow('/dev/null: not a regular file (a device, a pipe or a socket)');
  });

  it('reads URLhaus with its quoted tag lists and empty last_online', async () => {
    const feed = await load('urlhaus-recent.csv');
    expect([feed.source, byType(feed)]).toEqual(['abuse.ch/urlhaus', { url: 10 }]);
    expect(find(feed, 'http://182.126.120.150:58801/i')).toEqual(
      expect.objectContaining({ confidence: 0.8, firstSeen: '2026-02-26 12:05:20', lastSeen: '2026-02-26 12:05:20', tags: ['32-bit', 'elf', 'mips', 'Mozi'], threatType: 'malware_download' }),
    );
  });

  it('reads Feodo Tracker, SSLBL and ViriBack', async () => {
    const feodo = await load('feodotracker-ipblocklist.csv');
    expect([feodo.source, byType(feodo)]).toEqual(['abuse.ch/feodotracker', { ip: 28 }]);
    expect(find(feodo, '192.9.135.73')).toEqual(expect.objectContaining({ malwareFamily: 'Pikabot', threatType: 'botnet_cc', tags: ['port:1194'], lastSeen: '2024-04-01' }));
    const sslbl = await load('sslblacklist.csv');
    expect([sslbl.source, byType(sslbl)]).toEqual(['abuse.ch/sslbl', { sha1: 5 }]);
    expect(find(sslbl, '84260b67bb540e01384d2254ad8a7dcfefc81013')).toEqual(expect.objectContaining({ malwareFamily: 'DCRat', tags: ['x509-certificate'], firstSeen: '2024-07-14 07:44:10' }));
    // Columns named after indicator types, no value column (Mandiant's list of the hashes in its OpenIOC files).
    const hashes = await load('openioc-all-hashes.csv');
    expect([hashes.format, byType(hashes)]).toEqual(['value-csv', { md5: 5, sha1: 5, sha256: 5 }]);
    expect(find(hashes, '77bdcb2a9873c4629d8675c8ce9cc8a0cf35c514e27f7a6dc2bc4b31f79dd9e2')).toEqual(expect.objectContaining({ type: 'sha256', source: 'feed:openioc-all-hashes.csv' }));
    expect(find(hashes, '5968670c0345b0ab5404bd84cb60d7af7a625020')).toEqual(expect.objectContaining({ type: 'sha1' }));
    const viriback = await load('viriback-dump.csv');
    expect([viriback.source, byType(viriback)]).toEqual(['viriback', { url: 10, ip: 10 }]);
    expect(find(viriback, 'http://unimasa.icu/dapper/five/pvqdq929bsx_a_d_m1n_a.php')).toEqual(expect.objectContaining({ malwareFamily: 'Lokibot', firstSeen: '2026-10-17' }));
  });

  it('reads the ThreatFox layout: ip:port loses its port, confidence_level is a percentage', async () => {
    // The real header of the ThreatFox CSV export (abuse_ch_threatfox__README.md); the row's values are Feodo's.
    const path = join(temp, 'threatfox.csv');
    await writeFile(
      path,
      [
        '################################################################',
        '# ThreatFox IOCs: CSV export                                   #',
        '################################################################',
        '#',
        '# "first_seen_utc","ioc_id","ioc_value","ioc_type","threat_type","fk_malware","malware_alias","malware_printable","last_seen_utc","confidence_level","is_compromised","reference","tags","anonymous","reporter"',
        '"2024-02-08 19:20:49", "1234567", "85.239.243.155:5000", "ip:port", "botnet_cc", "win.pikabot", "None", "Pikabot", "", "100", "0", "None", "Pikabot", "0", "abuse_ch"',
      ].join('\n'),
    );
    const feed = await loadFeed(path);
    expect(feed.indicators).toEqual([
      { type: 'ip', value: '85.239.243.155', source: 'abuse.ch/threatfox', confidence: 1, firstSeen: '2024-02-08 19:20:49', lastSeen: null, tags: ['Pikabot'], malwareFamily: 'Pikabot', threatType: 'botnet_cc' },
    ]);
  });
});

describe('MISP', () => {
  it('reads a bare MISP event: ip-dst, domain and sha1 attributes with the event tags and its galaxy family', async () => {
    const feed = await load('misp-existing-event.json');
    expect([feed.format, byType(feed)]).toEqual(['misp-event', { domain: 19, sha1: 37, ip: 12 }]);
    expect(feed.context).toEqual(expect.objectContaining({ 'misp event': 1, 'misp attribute filename': 15, 'misp attribute text': 38 }));
    const domain = find(feed, 'movieultimate.com');
    expect(domain?.malwareFamily).toBe('GAMEFISH');
    expect(domain?.tags).toContain('misp-galaxy:threat-actor="Sofacy"');
    expect(domain?.threatType).toBe('Network activity');
  });

  it('reads a MISP feed through its manifest, counting a listed event whose file is missing', async () => {
    const feed = await load('misp-feed/manifest.json');
    expect(feed.format).toBe('misp-manifest');
    expect(feed.indicators.map((i) => [i.type, i.value, i.confidence])).toEqual([
      ['md5', '0749bae92ca336a02c83d126e04ec628', 0.5],
      ['sha1', '77b0c41b7d340b8a3d903f21347bbf06aa766b5b', 0.5],
      ['sha256', 'b3c4ae251f8094fa15b510051835c657eaef2a6cea46075d3aec964b14a99f68', 0.5],
    ]);
    // Links and comments are references (to_ids false); the regkey is no matchable value.
    expect(feed.unsupported).toEqual({ 'manifest event file missing': 1 });
    expect(feed.context).toEqual(expect.objectContaining({ 'misp attribute link': 2, 'misp attribute regkey|value': 1 }));
  });
});

describe('STIX 2.1 bundles', () => {
  it('reads ipv4-addr indicators of a feeds2stix bundle, keeping the other objects as context', async () => {
    const feed = await load('stix-cinsscore.json');
    expect(feed.indicators.map((i) => i.value)).toEqual(['1.0.164.165', '1.10.247.65', '1.11.132.194']);
    expect(feed.context).toEqual({ identity: 2, 'marking-definition': 2, 'ipv4-addr': 3 });
  });

  it('reads x509 SHA-1 patterns with a quoted path, and file hashes', async () => {
    const brat = await load('stix-sslbl-brat.json');
    expect(brat.indicators.map((i) => [i.type, i.value])).toEqual([['sha1', '5336e04495132330a766b2332013eff8bd9481e6']]);
    const oasis = await load('stix-oasis-c2-coa.json');
    expect(oasis.indicators.map((i) => [i.type, i.value, i.malwareFamily])).toEqual([
      ['ip', '10.0.0.0', 'Poison Ivy'],
      ['sha256', 'ef537f25c895bfa782526529a9b63d97aa631564d5d789c2b765448c8635fb6c', 'Poison Ivy'],
    ]);
  });

  it('splits OR patterns, counts file-name patterns as unsupported and skips a malformed domain', async () => {
    const feed = await load('stix-oasis-poisonivy.json');
    expect(byType(feed)).toEqual({ ip: 40, domain: 24 });
    expect(feed.unsupported).toEqual({ 'pattern on file:name': 2 });
    expect(feed.skippedExamples).toEqual(['"domain autuo.xicp.net"']);
    expect(feed.context).toEqual(expect.objectContaining({ malware: 25, relationship: 90, campaign: 3 }));
  });

  it('parses pattern forms: OR lists and ranges are supported; AND, MATCHES and qualifiers are not', () => {
    expect(parsePattern("[ipv4-addr:value = '10.0.0.0/8'] OR [domain-name:value = 'a\\'b.com']")).toEqual([
      { path: 'ipv4-addr:value', value: '10.0.0.0/8' },
      { path: 'domain-name:value', value: "a'b.com" },
    ]);
    expect(parsePattern("[ipv4-addr:value ISSUBSET '198.51.100.0/24']")).toEqual([{ path: 'ipv4-addr:value', value: '198.51.100.0/24' }]);
    expect(parsePattern("[x509-certificate:issuer = 'CN=WEBMAIL' AND x509-certificate:serial_number = '4c:0b']")).toBeNull();
    expect(parsePattern("[url:value MATCHES '^http']")).toBeNull();
    expect(parsePattern("[ipv4-addr:value = '1.2.3.4'] REPEATS 5 TIMES")).toBeNull();
    expect(parsePattern("[ipv4-addr:value = '1.2.3.4")).toBeNull();
  });
});

describe('OpenIOC', () => {
  it('reads OpenIOC 1.1 md5 items and counts the file-path and process terms as unsupported', async () => {
    const feed = await load('openioc11-duedlligence-filewrites.ioc');
    expect([feed.format, byType(feed)]).toEqual(['openioc', { md5: 13 }]);
    expect(find(feed, 'f23b3df6470cc1d080f2542c6fd34dde')).toEqual(expect.objectContaining({ malwareFamily: 'DueDLLigence FileWrites (Utility)', firstSeen: '2020-12-02T00:36:59Z' }));
    expect(feed.unsupported).toEqual({ 'term fileWriteEvent/filePath': 6, 'term fileWriteEvent/writes': 4, 'term fileWriteEvent/process': 16 });
  });

  it('refuses an OpenIOC file with no matchable item, naming it', async () => {
    const error = await load('openioc11-libvlc-hijack.ioc').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputFileError);
    expect((error as InputFileError).message).toBe('openioc11-libvlc-hijack.ioc: no indicators found in the openioc feed');
  });

  it('reads OpenIOC 1.0: IP, URI, DNS and md5 terms; a contains condition is unsupported', async () => {
    const feed = await load('openioc10-feodo-c2.ioc');
    expect(feed.indicators.map((i) => [i.type, i.value])).toEqual([
      ['ip', '192.9.135.73'],
      ['url', 'http://182.126.120.150:58801/i'],
      ['domain', 'officeman.tk'],
      ['md5', '9363fa2625198beb1fcce0ef07f558ff'],
    ]);
    expect(feed.unsupported).toEqual({ 'term FileItem/FileName': 1 });
  });
});

describe('the bundled feed', () => {
  it('gives a MalwareBazaar sample its signature as the threat, and an unclassified one none, its file type as a tag', async () => {
    const feed = await loadFeed(BUNDLED_FEED_PATH, { display: 'bundled' });
    // Signature n/a: the file type stood in for the family, and findings said "threat: elf".
    expect(find(feed, '9363fa2625198beb1fcce0ef07f558ff')).toEqual(expect.objectContaining({ type: 'md5', malwareFamily: null, tags: ['elf'] }));
    const families = new Set(feed.indicators.filter((i) => i.source === 'abuse.ch/malwarebazaar').map((i) => i.malwareFamily));
    for (const fileType of ['elf', 'exe', 'apk', 'bat', 'vbs', '7z']) expect(families.has(fileType), fileType).toBe(false);
    expect(families.has('Mirai')).toBe(true);
  });
});

describe('hostile and odd input', () => {
  it('reads plain lists with CIDR ranges, defanged values, and drops bare public suffixes', async () => {
    const path = join(temp, 'list.txt');
    await writeFile(path, '# list\n10.1.2.3/8\n2001:DB8::/32\nevil[.]com\nco.uk\nhxxp://evil[.]com/a/\nnot an indicator\n');
    const feed = await loadFeed(path, { name: 'soc' });
    expect(feed.indicators.map((i) => [i.type, i.value, i.source])).toEqual([
      ['cidr', '10.0.0.0/8', 'soc'],
      ['cidr', '2001:db8::/32', 'soc'],
      ['domain', 'evil.com', 'soc'],
      ['url', 'http://evil.com/a', 'soc'],
    ]);
    expect(feed.skipped).toBe(2);
  });

  it('leaves out ranges so broad they would mark most traffic (0.0.0.0/0, ::/0, a /3), counting them', async () => {
    const path = join(temp, 'broad.txt');
    await writeFile(path, '0.0.0.0/0\n::/0\n224.0.0.0/3\n2000::/3\n10.0.0.0/8\n2001:db8::/16\n192.0.2.0/24\n');
    const feed = await loadFeed(path, { name: 'soc' });
    expect(feed.indicators.map((i) => i.value)).toEqual(['10.0.0.0/8', '2001::/16', '192.0.2.0/24']);
    expect(feed.unsupported).toEqual({ 'range broader than /8 (IPv4) or /16 (IPv6): it would mark most traffic': 4 });
  });

  it('refuses IPv4 written in the forms inet_aton reads (octal, hexadecimal, short, a number), even when typed ip', async () => {
    // ipaddr.js reads `010.1.2.3` as octal 8.1.2.3: a feed never means that, and it would match the wrong address.
    const path = join(temp, 'typed.csv');
    await writeFile(path, 'value,type\n010.1.2.3,ip\n0x7f.0.0.1,ip\n127.1,ip\n2130706433,ip\n010.1.2.0/24,cidr\n::ffff:1.2.3.4,ip\n10.1.2.3,ip\n2001:db8::1,ip\n');
    const feed = await loadFeed(path, { name: 'soc' });
    expect(feed.indicators.map((i) => [i.type, i.value])).toEqual([
      ['ip', '1.2.3.4'],
      ['ip', '10.1.2.3'],
      ['ip', '2001:db8::1'],
    ]);
    expect(feed.skipped).toBe(5);
  });

  it('stores an IPv4 address inside IPv6 (IPv4-mapped, NAT64 well-known prefix, dotted or hex) as that IPv4 address', async () => {
    const path = join(temp, 'embedded.csv');
    await writeFile(path, 'value,type\n::ffff:c009:8749,ip\n64:ff9b::192.9.135.73,ip\n64:FF9B::C633:6407,ip\n64:ff9b:1::c633:6407,ip\n2001:db8::c633:6407,ip\n');
    const feed = await loadFeed(path, { name: 'soc' });
    // The local-use NAT64 prefix and a documentation prefix carry no fixed IPv4 address: they stay IPv6.
    expect(feed.indicators.map((i) => [i.type, i.value])).toEqual([
      ['ip', '192.9.135.73'],
      ['ip', '192.9.135.73'],
      ['ip', '198.51.100.7'],
      ['ip', '64:ff9b:1::c633:6407'],
      ['ip', '2001:db8::c633:6407'],
    ]);
  });

  it('refuses JSON that is no feed, XML that is no OpenIOC, broken XML and binary content', async () => {
    const cases: [string, string, string][] = [
      ['other.json', '{"__proto__": {"polluted": true}, "a": 1}', 'unsupported'],
      ['other.xml', '<rss><channel/></rss>', 'unsupported'],
      ['broken.ioc', '<ioc xmlns="http://schemas.mandiant.com/2010/ioc"><definition><IndicatorItem>', 'malformed'],
      ['binary.txt', 'a\u0000b', 'malformed'],
      ['bad.json', '{"type": "bundle", "objects": [', 'malformed'],
    ];
    for (const [name, text, problem] of cases) {
      await writeFile(join(temp, name), text);
      const error = await loadFeed(join(temp, name), { display: name }).catch((e: unknown) => e);
      expect(error, name).toBeInstanceOf(InputFileError);
      expect((error as InputFileError).problem, name).toBe(problem);
      expect((error as InputFileError).message.startsWith(name), name).toBe(true);
    }
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('does not expand entities declared in an OpenIOC DOCTYPE', async () => {
    const path = join(temp, 'xxe.ioc');
    await writeFile(path, '<?xml version="1.0"?><!DOCTYPE ioc [<!ENTITY x SYSTEM "file:///etc/passwd">]><ioc xmlns="http://schemas.mandiant.com/2010/ioc"><definition><IndicatorItem condition="is"><Context search="FileItem/Md5sum"/><Content type="md5">&x;</Content></IndicatorItem></definition></ioc>');
    const error = await loadFeed(path, { display: 'xxe.ioc' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputFileError);
  });
});
