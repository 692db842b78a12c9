#!/usr/bin/env node
// Builds assets/feeds/abuse-ch-bundled.csv (the indicator feed shipped with CS Helper)
// and assets/feeds/SOURCE.md (its provenance) from verbatim abuse.ch / ViriBack dumps.
//
// Usage: node scripts/build-bundled-feed.mjs [DIR]
//   DIR defaults to ../shared/data/ioc-feeds/abuse.ch relative to the repository root.
// Output is deterministic: running it twice on the same inputs gives byte-identical files.

import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const DEFAULT_DIR = '../shared/data/ioc-feeds/abuse.ch';
const OUT_DIR = join(REPO_ROOT, 'assets', 'feeds');
const OUT_CSV = join(OUT_DIR, 'abuse-ch-bundled.csv');
const OUT_MD = join(OUT_DIR, 'SOURCE.md');
const HEADER = ['type', 'value', 'source', 'confidence', 'threat', 'first_seen', 'tags'];
const TYPE_ORDER = ['ip', 'domain', 'url', 'md5', 'sha1', 'sha256'];

// Upstream provenance copied from shared/data/ioc-feeds/SOURCE.txt; kept here rather than
// parsed because SOURCE.txt is free text and a silent mis-parse would corrupt SOURCE.md.
const FEEDS2STIX = {
  repository: 'https://github.com/muchdogesec/feeds2stix',
  commit: 'd2431876093ee09d0e38a844c2a1506cc90e092e',
  commitDate: '2026-06-16',
  repoLicence: 'Apache-2.0',
};
const SOURCES = [
  {
    file: 'feodotracker_ipblocklist.csv',
    source: 'abuse.ch/feodotracker',
    confidence: 0.9,
    upstream: {
      repository: 'https://github.com/wizard-projects/abuse.chC2Feeds',
      commit: '57009e00ba2beddff0c0a89c64c494d7f332b5f5',
      commitDate: '2024-04-04',
      path: 'ipblocklist.csv',
      repoLicence: 'none declared (data is abuse.ch CC0)',
    },
    columns: ['first_seen_utc', 'dst_ip', 'dst_port', 'c2_status', 'last_online', 'malware'],
    extract: (r) => [ind('ip', r.dst_ip, r.malware, r.first_seen_utc)],
  },
  {
    file: 'urlhaus_csv_recent_sample.csv',
    source: 'abuse.ch/urlhaus',
    confidence: 0.8,
    upstream: { ...FEEDS2STIX, path: 'processors/abuse_ch_urlhaus/README.md (lines 23-41)' },
    columns: ['id', 'dateadded', 'url', 'url_status', 'last_online', 'threat', 'tags', 'urlhaus_link', 'reporter'],
    extract: (r) => {
      const threat = [r.threat, ...urlhausFamilies(r.tags)].join(' ');
      return [ind('url', r.url, threat, r.dateadded), hostIndicator(r.url, threat, r.dateadded)];
    },
  },
  {
    file: 'abuse_ch_malwarebazaar__dump_20260226.csv',
    source: 'abuse.ch/malwarebazaar',
    confidence: 0.9,
    upstream: { ...FEEDS2STIX, path: 'processors/abuse_ch_malwarebazaar/sample_data/dump_20260226.csv' },
    columns: ['first_seen_utc', 'sha256_hash', 'md5_hash', 'sha1_hash', 'reporter', 'file_name', 'file_type_guess',
      'mime_type', 'signature', 'clamav', 'vtpercent', 'imphash', 'ssdeep', 'tlsh'],
    extract: (r) => {
      // Unclassified samples carry signature "n/a": no threat then. The file type is a tag, as the MalwareBazaar
      // loader keeps it (a finding said "threat: elf" when it stood in for the family).
      const threat = isNa(r.signature) ? '' : r.signature;
      const tags = isNa(r.file_type_guess) ? '' : r.file_type_guess;
      return [
        { ...ind('sha256', r.sha256_hash, threat, r.first_seen_utc), tags },
        { ...ind('md5', r.md5_hash, threat, r.first_seen_utc), tags },
        { ...ind('sha1', r.sha1_hash, threat, r.first_seen_utc), tags },
      ];
    },
  },
  {
    file: 'abuse_ch_sslblacklist__sslblacklist_1.csv',
    source: 'abuse.ch/sslbl',
    confidence: 0.8,
    upstream: { ...FEEDS2STIX, path: 'processors/abuse_ch_sslblacklist/sample_data/sslblacklist_1.csv' },
    columns: ['Listingdate', 'SHA1', 'Listingreason'],
    extract: (r) => [ind('sha1', r.SHA1, r.Listingreason, r.Listingdate)],
  },
  {
    file: 'viriback__dump.csv',
    source: 'viriback',
    confidence: 0.7,
    dataTerms: 'ViriBack (not abuse.ch); no data licence stated in the snapshot',
    upstream: { ...FEEDS2STIX, path: 'processors/viriback/sample_data/dump.csv' },
    columns: ['Family', 'URL', 'IP', 'FirstSeen'],
    extract: (r) => {
      const seen = viribackDate(r.FirstSeen);
      return [
        ind('url', r.URL, r.Family, seen),
        hostIndicator(r.URL, r.Family, seen),
        ind('ip', r.IP, r.Family, seen),
      ];
    },
  },
];

// URLhaus lists shared file-hosting URLs (one Dropbox link among thousands of benign ones).
// Turning their host into a domain indicator would flag all traffic to the service, so for
// these hosts only the exact URL is kept.
const SHARED_HOSTING = ['dropbox.com', 'dropboxusercontent.com', 'drive.google.com', 'docs.google.com',
  'github.com', 'raw.githubusercontent.com', 'objects.githubusercontent.com', 'onedrive.live.com',
  '1drv.ms', 'cdn.discordapp.com', 'bitbucket.org', 'gitlab.com'];

// URLhaus tags mix generic descriptors (32-bit, elf, mips) with family names; families are
// the capitalised tags, and "None" is URLhaus's placeholder for "no tags".
function urlhausFamilies(tags) {
  return tags.split(',').map((t) => t.trim()).filter((t) => /^[A-Z]/.test(t) && t !== 'None');
}

function isNa(v) {
  return v === '' || v.toLowerCase() === 'n/a';
}

function ind(type, value, threat, firstSeen) {
  return { type, value, threat: threat.trim(), firstSeen: isoDateTime(firstSeen) };
}

function hostIndicator(url, threat, firstSeen) {
  const host = urlHost(url);
  if (host === null || isIpv4(host)) return null;
  if (SHARED_HOSTING.some((h) => host === h || host.endsWith(`.${h}`))) return null;
  return { type: 'domain', value: host, threat: threat.trim(), firstSeen: isoDateTime(firstSeen) };
}

function urlHost(url) {
  try {
    return new URL(url.trim()).hostname.toLowerCase();
  } catch {
    return null;
  }
}

function isIpv4(s) {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s);
  return m !== null && m.slice(1).every((o) => Number(o) <= 255);
}

// abuse.ch timestamps are UTC "YYYY-MM-DD HH:MM:SS"; the T/Z form is unambiguous and is
// what DuckDB and Date.parse both read as UTC.
function isoDateTime(s) {
  const v = s.trim();
  if (v === '' || isNa(v)) return '';
  let m = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})$/.exec(v);
  if (m) return `${m[1]}T${m[2]}Z`;
  m = /^(\d{4}-\d{2}-\d{2})$/.exec(v);
  if (m) return m[1];
  throw new Error(`unrecognised date-time "${s}"`);
}

// ViriBack writes DD-MM-YYYY (e.g. 14-02-2026, so not MM-DD); dates only, no time of day.
function viribackDate(s) {
  const m = /^(\d{2})-(\d{2})-(\d{4})$/.exec(s.trim());
  if (!m) throw new Error(`unrecognised ViriBack date "${s}"`);
  return `${m[3]}-${m[2]}-${m[1]}`;
}

const VALIDATORS = {
  ip: isIpv4,
  domain: (v) => /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$/.test(v),
  url: (v) => /^https?:\/\/\S+$/i.test(v),
  md5: (v) => /^[0-9a-f]{32}$/.test(v),
  sha1: (v) => /^[0-9a-f]{40}$/.test(v),
  sha256: (v) => /^[0-9a-f]{64}$/.test(v),
};

function normalise(type, value) {
  const v = value.trim();
  if (type === 'ip' || type === 'url') return v;
  return v.toLowerCase();
}

// Minimal RFC 4180 reader. It also accepts blanks between a separator and an opening quote,
// because the MalwareBazaar dump separates fields with ", ".
function parseCsv(text) {
  const rows = [];
  let row = [];
  let field = '';
  let i = 0;
  let quoted = false;
  let atFieldStart = true;
  while (i < text.length) {
    const c = text[i];
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') { field += '"'; i += 2; continue; }
        quoted = false; i += 1; continue;
      }
      field += c; i += 1; continue;
    }
    if (atFieldStart && (c === ' ' || c === '\t') && /^[ \t]*"/.test(text.slice(i, i + 8))) { i += 1; continue; }
    if (c === '"' && atFieldStart) { quoted = true; atFieldStart = false; i += 1; continue; }
    if (c === ',') { row.push(field); field = ''; atFieldStart = true; i += 1; continue; }
    if (c === '\r' || c === '\n') {
      row.push(field); rows.push(row); row = []; field = ''; atFieldStart = true;
      i += c === '\r' && text[i + 1] === '\n' ? 2 : 1;
      continue;
    }
    field += c; atFieldStart = false; i += 1;
  }
  if (field !== '' || row.length > 0) { row.push(field); rows.push(row); }
  return rows;
}

// abuse.ch dumps put the header inside the '#' comment block (sometimes quoted) and end with
// a '# END' / '# Number of entries' line; Feodo and ViriBack use a plain first-line header.
function readFeed(path, expected) {
  const lines = readFileSync(path, 'utf8').split(/\r?\n/);
  const comments = lines.filter((l) => l.startsWith('#'));
  const data = lines.filter((l) => l.trim() !== '' && !l.startsWith('#'));
  const rows = parseCsv(data.join('\n'));
  let header;
  if (rows.length > 0 && rows[0][0] === expected[0]) {
    header = rows.shift();
  } else {
    const line = comments.reverse().find((l) => l.includes(','));
    if (!line) throw new Error(`${path}: no header line found`);
    header = parseCsv(line.replace(/^#\s*/, ''))[0];
  }
  const missing = expected.filter((c) => !header.includes(c));
  if (missing.length > 0) throw new Error(`${path}: header lacks column(s) ${missing.join(', ')}`);
  return rows.map((cells, n) => {
    if (cells.length !== header.length) {
      throw new Error(`${path}: data row ${n + 1} has ${cells.length} fields, header has ${header.length}`);
    }
    return Object.fromEntries(header.map((h, j) => [h, cells[j]]));
  });
}

function csvField(v) {
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function sha256File(path) {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

function main() {
  const arg = process.argv[2];
  if (arg === '-h' || arg === '--help') {
    console.log('usage: node scripts/build-bundled-feed.mjs [DIR]\n'
      + `  DIR: folder holding the abuse.ch dumps (default ${DEFAULT_DIR}, relative to the repository root)`);
    return 0;
  }
  const dir = resolve(REPO_ROOT, arg ?? DEFAULT_DIR);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    console.error(`build-bundled-feed: source folder not found: ${dir}\n`
      + 'Pass the folder holding the abuse.ch dumps as the first argument '
      + `(default ${DEFAULT_DIR}, relative to the repository root).`);
    return 1;
  }
  const absent = SOURCES.filter((s) => !existsSync(join(dir, s.file))).map((s) => s.file);
  if (absent.length > 0) {
    console.error(`build-bundled-feed: missing file(s) in ${dir}: ${absent.join(', ')}`);
    return 1;
  }

  const byKey = new Map();
  const perSource = [];
  const rejected = [];
  for (const src of SOURCES) {
    const path = join(dir, src.file);
    const records = readFeed(path, src.columns);
    const counts = Object.fromEntries(TYPE_ORDER.map((t) => [t, 0]));
    for (const rec of records) {
      for (const raw of src.extract(rec)) {
        if (raw === null) continue;
        const value = normalise(raw.type, raw.value);
        if (!VALIDATORS[raw.type](value)) { rejected.push(`${src.file}: ${raw.type} "${raw.value}"`); continue; }
        const cand = { type: raw.type, value, source: src.source, confidence: src.confidence,
          threat: raw.threat, first_seen: raw.firstSeen, tags: raw.tags ?? '' };
        const key = `${raw.type}\u0000${value}`;
        const prev = byKey.get(key);
        if (prev === undefined) counts[raw.type] += 1;
        // Several feed rows can name one value (ViriBack lists one panel host per path);
        // keeping the earliest sighting makes the choice independent of input row order.
        if (prev === undefined || preferred(cand, prev)) byKey.set(key, cand);
      }
    }
    perSource.push({ src, records: records.length, counts, sha256: sha256File(path) });
  }
  if (rejected.length > 0) {
    console.error(`build-bundled-feed: ${rejected.length} malformed value(s):\n  ${rejected.join('\n  ')}`);
    return 1;
  }

  const rows = [...byKey.values()].sort((a, b) => TYPE_ORDER.indexOf(a.type) - TYPE_ORDER.indexOf(b.type)
    || cmp(a.value, b.value));
  const csv = [HEADER.join(','), ...rows.map((r) => HEADER.map((h) => csvField(r[h])).join(','))].join('\n') + '\n';
  mkdirSync(OUT_DIR, { recursive: true });
  writeFileSync(OUT_CSV, csv);

  const totals = Object.fromEntries(TYPE_ORDER.map((t) => [t, rows.filter((r) => r.type === t).length]));
  writeFileSync(OUT_MD, sourceMarkdown(perSource, totals, rows.length, sha256File(OUT_CSV)));
  const summary = TYPE_ORDER.map((t) => `${t}=${totals[t]}`).join(' ');
  console.log(`wrote ${relative(REPO_ROOT, OUT_CSV)}: ${rows.length} indicators (${summary})`);
  console.log(`wrote ${relative(REPO_ROOT, OUT_MD)}`);
  return 0;
}

function preferred(a, b) {
  if (a.first_seen !== b.first_seen) {
    if (a.first_seen === '') return false;
    if (b.first_seen === '') return true;
    return a.first_seen < b.first_seen;
  }
  return cmp(a.source, b.source) < 0;
}

// Code-unit order, not localeCompare, so the sort does not depend on the machine's locale.
function cmp(a, b) {
  return a < b ? -1 : a > b ? 1 : 0;
}

function sourceMarkdown(perSource, totals, total, csvSha) {
  const typeCols = TYPE_ORDER.join(' | ');
  const out = [];
  out.push('# Bundled indicator feed: provenance');
  out.push('');
  out.push('`abuse-ch-bundled.csv` is a small, offline indicator list built from verbatim snapshots of');
  out.push('public abuse.ch feeds (Feodo Tracker, URLhaus, MalwareBazaar, SSLBL) and the ViriBack C2');
  out.push('tracker. It lets CS Helper match indicators without network access. It is a sample, not a');
  out.push('current blocklist: the snapshots date from 2023-2026 and many entries are no longer active.');
  out.push('');
  out.push('This file is generated by `scripts/build-bundled-feed.mjs`; edit the script, not this file.');
  out.push('');
  out.push('## Regenerate');
  out.push('');
  out.push('```sh');
  out.push(`node scripts/build-bundled-feed.mjs ${DEFAULT_DIR}`);
  out.push('```');
  out.push('');
  out.push('The folder argument is optional (that path is the default, relative to the repository root).');
  out.push('The output is deterministic: same inputs, byte-identical CSV.');
  out.push('');
  out.push('## Licence');
  out.push('');
  out.push('The abuse.ch indicator data (Feodo Tracker, URLhaus, MalwareBazaar, SSLBL) is published by');
  out.push('abuse.ch under CC0 (public domain dedication; see the terms of use linked from https://abuse.ch/');
  out.push('and from each feed\'s header). Four of the five sample files were taken from the Apache-2.0');
  out.push(`repository ${FEEDS2STIX.repository}, which redistributes them; the Feodo Tracker list comes`);
  out.push('from a repository without a declared licence (the data itself is abuse.ch CC0).');
  out.push('');
  out.push('ViriBack (https://tracker.viriback.com/) is not an abuse.ch project. Its sample is used as');
  out.push('redistributed inside the Apache-2.0 feeds2stix repository; the snapshot states no separate');
  out.push('data licence for it. Its rows carry `source=viriback` so they can be dropped if needed.');
  out.push('');
  out.push('## Format');
  out.push('');
  out.push('RFC 4180 quoting, LF line ends, UTF-8, header `' + HEADER.join(',') + '`, sorted by type');
  out.push(`(${TYPE_ORDER.join(', ')}) then value, one row per distinct (type, value).`);
  out.push('');
  out.push('- `value`: trimmed; domains and hashes lower-case; IPs and URLs as in the feed.');
  out.push('- `confidence`: fixed per source (' + SOURCES.map((s) => `${s.source} ${s.confidence}`).join(', ') + ').');
  out.push('- `threat`: Feodo `malware`; URLhaus `threat` plus capitalised tags (family names);');
  out.push('  MalwareBazaar `signature` (empty when it is `n/a`); SSLBL `Listingreason`; ViriBack `Family`.');
  out.push('- `tags`: MalwareBazaar `file_type_guess` (the sample\'s file type); empty for the other sources.');
  out.push('- `first_seen`: the feed\'s first-seen/listing time as `YYYY-MM-DDTHH:MM:SSZ` (UTC), or');
  out.push('  `YYYY-MM-DD` for ViriBack, which records dates only.');
  out.push('- Derived rows: each URLhaus and ViriBack URL whose host is a name also yields a `domain`');
  out.push('  row; each ViriBack row yields an `ip` row. Hosts of shared file-hosting services (' + SHARED_HOSTING.slice(0, 3).join(', '));
  out.push('  and similar, listed in the script) are not turned into domain rows, because the service is');
  out.push('  benign and only the exact URL is malicious.');
  out.push('- When several feed rows give the same (type, value), the earliest `first_seen` wins.');
  out.push('');
  out.push('## Sources');
  out.push('');
  out.push('| File | Source tag | Upstream repository | Commit | Path in upstream | Repo licence | Data terms | Rows read |');
  out.push('| --- | --- | --- | --- | --- | --- | --- | ---: |');
  for (const p of perSource) {
    const u = p.src.upstream;
    out.push(`| \`${p.src.file}\` | \`${p.src.source}\` | ${u.repository} | \`${u.commit}\` (${u.commitDate}) | \`${u.path}\` | ${u.repoLicence} | ${p.src.dataTerms ?? 'abuse.ch, CC0'} | ${p.records} |`);
  }
  out.push('');
  out.push('SHA-256 of each input file, to check a local copy against the one used:');
  out.push('');
  for (const p of perSource) out.push(`- \`${p.src.file}\`: \`${p.sha256}\``);
  out.push('');
  out.push(`Files are read from \`shared/data/ioc-feeds/abuse.ch/\` (copied verbatim from the upstream`);
  out.push('paths above; see `SOURCE.txt` there).');
  out.push('');
  out.push('## Counts');
  out.push('');
  out.push('New distinct values contributed by each source (a value already added by an earlier row is');
  out.push('not counted again):');
  out.push('');
  out.push(`| Source | ${typeCols} |`);
  out.push(`| --- |${TYPE_ORDER.map(() => ' ---: |').join('')}`);
  const contrib = new Map();
  for (const p of perSource) {
    const prev = contrib.get(p.src.source) ?? Object.fromEntries(TYPE_ORDER.map((t) => [t, 0]));
    for (const t of TYPE_ORDER) prev[t] += p.counts[t];
    contrib.set(p.src.source, prev);
  }
  for (const [source, c] of contrib) out.push(`| \`${source}\` | ${TYPE_ORDER.map((t) => c[t]).join(' | ')} |`);
  out.push(`| **total in CSV (${total})** | ${TYPE_ORDER.map((t) => totals[t]).join(' | ')} |`);
  out.push('');
  out.push(`SHA-256 of the generated \`abuse-ch-bundled.csv\`: \`${csvSha}\``);
  out.push('');
  out.push('## Notes on the data');
  out.push('');
  out.push('- The MalwareBazaar file has 39 data rows (`SOURCE.txt` says 38); the last one, dated');
  out.push('  2024-06-07, was appended out of order with reporter `None`. All 39 are used.');
  out.push('- The URLhaus file holds only the 10 example rows quoted in the feeds2stix README, not a full dump.');
  out.push('- The SSLBL footer says `END (295)` but the file holds 285 data rows; all 285 are used.');
  out.push('- The ViriBack sample dates run monthly from 2026-01-03 to 2026-10-17, partly after the');
  out.push(`  snapshot commit (${FEEDS2STIX.commitDate}), so they are probably illustrative; they are kept as given.`);
  out.push('- SSLBL values are SHA-1 fingerprints of TLS certificates, not file hashes; they share the');
  out.push('  `sha1` type with MalwareBazaar file hashes and the `threat` column (`... C&C`) tells them apart.');
  out.push('');
  return out.join('\n');
}

process.exitCode = main();
