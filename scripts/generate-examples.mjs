#!/usr/bin/env node
// Generates the example data sets in examples/: a firewall/proxy event log with 40 real
// indicators from the bundled abuse.ch feed and a few documented anomalies
// (threat_data.csv + threat_data.injected.json), a web-server access log
// (access_logs.csv) and examples/README.md describing them.
//
// Usage: node scripts/generate-examples.mjs [--rows N] [--access-rows N] [--out DIR] [--seed S]
// Output is a pure function of the options and assets/feeds/abuse-ch-bundled.csv: a seeded PRNG
// and a fixed base date (2026-03-02T00:00:00Z) replace Math.random and the clock.

import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { createWriteStream, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const FEED_PATH = join(REPO_ROOT, 'assets', 'feeds', 'abuse-ch-bundled.csv');
const BASE_MS = Date.UTC(2026, 2, 2); // Monday 2026-03-02T00:00:00Z
const HOURS = 72;
const DEFAULTS = { rows: 10000, accessRows: 3000, seed: 20260302, out: 'examples' };
const THREAT_HEADER = 'timestamp,src_ip,src_port,dst_ip,dst_port,protocol,action,bytes_sent,bytes_received,'
  + 'duration_ms,user,hostname,domain,url,file_hash,event_type';
const ACCESS_HEADER = 'timestamp,client_ip,user,method,path,status,bytes,user_agent,referrer,response_ms';

// ---------------------------------------------------------------- randomness

// mulberry32: tiny, fast and good enough for synthetic data; each concern gets its own
// stream (derived from the seed and a label) so that, e.g., --rows does not reshuffle hosts.
function mulberry32(a) {
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function stream(seed, label) {
  return mulberry32(createHash('sha256').update(`${seed}:${label}`).digest().readUInt32LE(0));
}

const int = (r, lo, hi) => lo + Math.floor(r() * (hi - lo + 1));
const pick = (r, arr) => arr[Math.floor(r() * arr.length)];

function shuffle(r, arr) {
  const a = arr.slice();
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}

// Inverse standard normal CDF (Acklam's rational approximation, relative error < 1.2e-9).
function probit(p) {
  const a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628274631];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const tail = (q) => (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  if (p < 0.02425) return tail(Math.sqrt(-2 * Math.log(p)));
  if (p > 1 - 0.02425) return -tail(Math.sqrt(-2 * Math.log(1 - p)));
  const q = p - 0.5;
  const t = q * q;
  return ((((((a[0] * t + a[1]) * t + a[2]) * t + a[3]) * t + a[4]) * t + a[5]) * q)
    / (((((b[0] * t + b[1]) * t + b[2]) * t + b[3]) * t + b[4]) * t + 1);
}

// Standard normal truncated to +-3 sampled by interpolating a quantile table: one PRNG call
// and no transcendental functions per draw, which matters for million-row runs. Truncation
// keeps "normal" rows inside a plausible spread so the only extremes are the anomalies.
const TNORM_STEPS = 4096;
const TNORM = (() => {
  const lo = 0.0013498980316301; // Phi(-3)
  const t = new Float64Array(TNORM_STEPS + 1);
  for (let i = 0; i <= TNORM_STEPS; i++) t[i] = Math.max(-3, Math.min(3, probit(lo + ((1 - 2 * lo) * i) / TNORM_STEPS)));
  return t;
})();

function tnorm(r) {
  const x = r() * TNORM_STEPS;
  const i = Math.floor(x);
  return TNORM[i] + (x - i) * (TNORM[i + 1] - TNORM[i]);
}

const logn = (r, median, sigma) => Math.max(1, Math.round(median * Math.exp(sigma * tnorm(r))));

function hex(r, n) {
  let s = '';
  while (s.length < n) s += ((r() * 4294967296) >>> 0).toString(16).padStart(8, '0');
  return s.slice(0, n);
}

// Cumulative-weight sampler; items are [value, weight] pairs.
function weighted(items) {
  const cum = [];
  let total = 0;
  for (const [, w] of items) { total += w; cum.push(total); }
  const values = items.map(([v]) => v);
  return (r) => {
    const x = r() * total;
    let lo = 0;
    let hi = cum.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cum[mid] > x) hi = mid; else lo = mid + 1;
    }
    return values[lo];
  };
}

// ---------------------------------------------------------------- CSV helpers

function csv(v) {
  const s = String(v);
  return s.includes(',') || s.includes('"') || s.includes('\n') || s.includes('\r')
    ? `"${s.replace(/"/g, '""')}"` : s;
}

function parseCsvLine(line) {
  const out = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') { field += '"'; i++; } else if (c === '"') quoted = false; else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { out.push(field); field = ''; } else field += c;
  }
  out.push(field);
  return out;
}

function loadFeed(path) {
  let text;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new Error(`cannot read ${path}; run node scripts/build-bundled-feed.mjs first`);
  }
  const lines = text.split('\n').filter((l) => l !== '');
  const header = parseCsvLine(lines.shift());
  if (header.join(',') !== 'type,value,source,confidence,threat,first_seen,tags') {
    throw new Error(`${path}: unexpected header ${header.join(',')}`);
  }
  const rows = lines.map((l) => {
    const [type, value, source, confidence, threat, firstSeen, tags] = parseCsvLine(l);
    // `kind` is what the injections pick a file extension and a platform by: the family, else the file type (tags).
    return { type, value, source, confidence: Number(confidence), threat, firstSeen, kind: threat !== '' ? threat : tags };
  });
  return { rows, sha256: createHash('sha256').update(text).digest('hex') };
}

// ---------------------------------------------------------------- addresses

function ipToInt(ip) {
  return ip.split('.').reduce((a, o) => a * 256 + Number(o), 0);
}

function intToIp(n) {
  return `${Math.floor(n / 16777216) % 256}.${Math.floor(n / 65536) % 256}.${Math.floor(n / 256) % 256}.${n % 256}`;
}

function ipInCidr(r, cidr) {
  const [base, bits] = cidr.split('/');
  const size = 2 ** (32 - Number(bits));
  // Skip .0 and .255 so the address looks like a host, not a network or broadcast.
  for (;;) {
    const ip = intToIp(ipToInt(base) + Math.floor(r() * size));
    const last = Number(ip.split('.')[3]);
    if (last !== 0 && last !== 255) return ip;
  }
}

// Public /8s that are mostly ISP and hosting space; random addresses here stand in for
// the odd destinations that a firewall denies.
const PUBLIC_FIRST_OCTETS = [5, 31, 37, 46, 62, 77, 78, 79, 80, 81, 82, 83, 84, 87, 89, 91, 92, 93, 94, 95,
  109, 151, 176, 178, 185, 188, 193, 194, 195, 212, 213, 217];

function randomPublicIp(r, avoid) {
  for (;;) {
    const ip = `${pick(r, PUBLIC_FIRST_OCTETS)}.${int(r, 1, 254)}.${int(r, 0, 255)}.${int(r, 1, 254)}`;
    if (!avoid.has(ip)) return ip;
  }
}

// ---------------------------------------------------------------- organisation layout

const FIRST_NAMES = ['anna', 'ben', 'carla', 'david', 'elena', 'farid', 'grace', 'hugo', 'ines', 'jonas', 'kaito',
  'laura', 'marc', 'nadia', 'oliver', 'priya', 'quentin', 'rosa', 'samir', 'tanja', 'umar', 'vera', 'wei', 'ximena',
  'yusuf', 'zoe', 'alex', 'bianca', 'chen', 'dana', 'emil', 'fatima', 'georg', 'hannah', 'ivan', 'julia', 'karim',
  'lena', 'mateo', 'nina', 'omar', 'paula', 'rahul', 'sofia', 'tomas', 'ulla', 'victor', 'wanda', 'yara', 'zain',
  'amelie', 'bruno', 'clara', 'diego', 'eva', 'felix', 'greta', 'henrik', 'isabel', 'jakob', 'kira', 'leon'];
const LAST_NAMES = ['schmidt', 'martin', 'rossi', 'garcia', 'novak', 'kowalski', 'dubois', 'jensen', 'silva', 'murphy',
  'tanaka', 'nguyen', 'kaya', 'berg', 'fischer', 'costa', 'ahmed', 'smith', 'weber', 'moreau', 'lopez', 'ivanova',
  'keller', 'okafor', 'larsen', 'meyer', 'santos', 'bauer', 'petit', 'horvat', 'kim', 'wagner', 'brown', 'fernandez',
  'richter', 'lindqvist', 'popescu', 'hoffmann', 'ricci', 'mendes', 'schulz', 'patel', 'nowak', 'lambert', 'haddad',
  'vogel', 'romero', 'koch', 'sato', 'andersen', 'ferrari', 'ortiz', 'klein', 'marino', 'wolf', 'torres', 'yilmaz'];

// One factory for servers and workstations so every host object has the same shape.
const host = (hostname, ip, user, role, weight) => ({ hostname, ip, user, role, weight });

const SERVERS = [
  { hostname: 'SRV-DC01', ip: '10.20.0.10', user: 'svc_adsync', role: 'dc' },
  { hostname: 'SRV-DC02', ip: '10.20.0.11', user: 'svc_adsync', role: 'dc' },
  { hostname: 'SRV-FS01', ip: '10.20.0.20', user: 'svc_backup', role: 'fs' },
  { hostname: 'SRV-PRN01', ip: '10.20.0.30', user: 'svc_print', role: 'print' },
  { hostname: 'SRV-DNS01', ip: '10.20.0.53', user: 'svc_dns', role: 'dns' },
  { hostname: 'SRV-JMP01', ip: '10.20.1.10', user: 'svc_jump', role: 'jump' },
  { hostname: 'SRV-APP01', ip: '10.20.1.20', user: 'svc_app', role: 'app' },
  { hostname: 'SRV-SQL01', ip: '10.20.1.30', user: 'svc_sql', role: 'sql' },
  { hostname: 'SRV-WEB01', ip: '10.20.1.40', user: 'svc_web', role: 'web' },
  { hostname: 'SRV-BKP01', ip: '10.20.1.50', user: 'svc_backup', role: 'backup' },
  { hostname: 'SRV-MON01', ip: '10.20.1.60', user: 'svc_monitor', role: 'monitor' },
].map((s) => host(s.hostname, s.ip, s.user, s.role, 0));
const SRV = Object.fromEntries(SERVERS.map((s) => [s.hostname, s]));
const WORKSTATIONS = 139;
const USERS = 120;

function buildOrg(seed) {
  const r = stream(seed, 'org');
  const names = new Set();
  while (names.size < USERS) names.add(`${pick(r, FIRST_NAMES)}.${pick(r, LAST_NAMES)}`);
  const users = [...names];
  const numbers = new Set();
  while (numbers.size < WORKSTATIONS) numbers.add(int(r, 100, 1999));
  const ips = new Set();
  while (ips.size < WORKSTATIONS) ips.add(`10.20.${int(r, 10, 13)}.${int(r, 10, 250)}`);
  const sortedNumbers = [...numbers].sort((a, b) => a - b);
  const sortedIps = [...ips].sort((a, b) => ipToInt(a) - ipToInt(b));
  // The first 120 machines belong to one person each; the rest are second laptops of
  // random staff, so a few users appear on two hosts, as in a real estate.
  const extra = shuffle(r, users);
  // Activity varies between people; a log-normal weight gives a few heavy users.
  const workstations = sortedNumbers.map((n, i) => host(`WS-${String(n).padStart(4, '0')}`, sortedIps[i],
    i < USERS ? users[i] : extra[i - USERS], 'workstation', Math.exp(0.5 * tnorm(r))));
  const shuffledWs = shuffle(r, workstations);
  return {
    users,
    workstations,
    pickWorkstation: weighted(workstations.map((w) => [w, w.weight])),
    exfilHost: shuffledWs[0],
    burstHost: shuffledWs[1],
    rareHost: shuffledWs[2],
  };
}

// ---------------------------------------------------------------- benign destinations

// Provider address blocks (public allocations of the named company) for plausible
// destination IPs; pools are checked against the feed before use.
const CIDRS = {
  msLogin: ['20.190.128.0/18', '40.126.0.0/18'], exo: ['52.96.0.0/14'], teams: ['52.112.0.0/14'],
  spo: ['13.107.136.0/22'], msCdn: ['13.107.4.0/22'], akamai: ['23.32.0.0/11'],
  google: ['142.250.0.0/15', '172.217.0.0/16'], github: ['140.82.112.0/20'], ghContent: ['185.199.108.0/22'],
  cloudfront: ['18.64.0.0/14'], zoom: ['170.114.0.0/16'], linkedin: ['13.107.42.0/24'],
  cloudflare: ['104.16.0.0/13', '172.64.0.0/13'], fastly: ['151.101.0.0/16'], wikimedia: ['185.15.58.0/23', '208.80.152.0/22'],
  dropbox: ['162.125.0.0/16'], s3: ['52.216.0.0/15', '3.5.0.0/19'], atlassian: ['104.192.136.0/21'],
  salesforce: ['136.146.0.0/15'], edgecast: ['192.229.128.0/17'], canonical: ['91.189.88.0/21'],
  azure: ['168.61.0.0/16'], discord: ['162.159.128.0/19'],
};

// [domain, weight, provider, paths, options]. Paths may hold {n} (number), {h} (hex id) and
// {q} (search text). http: true marks plain-HTTP services (CRL/OCSP, Windows Update CDN).
const SEARCHES = ['vlookup+across+sheets', 'python+csv+dictreader', 'teams+meeting+recording+location',
  'git+rebase+interactive', 'vpn+client+error+809', 'expense+policy+template', 'duckdb+read_csv', 'weather+berlin',
  'train+schedule', 'powershell+get-aduser+lastlogon', 'how+to+export+pdf+from+word', 'iso+27001+annex+a+controls'];
const WEB = [
  ['login.microsoftonline.com', 9, 'msLogin', ['/common/oauth2/v2.0/authorize?client_id={h}&response_type=code', '/common/oauth2/v2.0/token', '/contoso.onmicrosoft.com/saml2', '/common/discovery/instance?api-version=1.1']],
  ['outlook.office365.com', 10, 'exo', ['/mail/inbox', '/owa/service.svc?action=GetItem', '/EWS/Exchange.asmx', '/mapi/emsmdb/?MailboxId={h}@contoso.com']],
  ['teams.microsoft.com', 7, 'teams', ['/v2/', '/api/mt/emea/beta/users/tenants', '/api/chatsvc/emea/v1/users/ME/conversations?view=msnp24Equivalent']],
  ['graph.microsoft.com', 5, 'msLogin', ['/v1.0/me', '/v1.0/me/messages?$top=25', '/v1.0/me/drive/root/children', '/beta/me/presence']],
  ['contoso.sharepoint.com', 6, 'spo', ['/sites/Finance/Shared%20Documents/Forms/AllItems.aspx', '/sites/IT/SitePages/Home.aspx', '/sites/HR/Lists/Announcements/AllItems.aspx', '/_api/web/lists?$select=Title']],
  ['contoso-my.sharepoint.com', 3, 'spo', ['/personal/{n}/_layouts/15/onedrive.aspx', '/_api/v2.0/drive/root/delta?token={h}']],
  ['www.office.com', 3, 'akamai', ['/', '/launch/word', '/launch/excel']],
  ['www.microsoft.com', 2, 'akamai', ['/en-us/', '/en-us/microsoft-365/business', '/en-us/security/blog/']],
  ['www.google.com', 8, 'google', ['/search?q={q}', '/', '/maps/search/{q}']],
  ['fonts.googleapis.com', 2, 'google', ['/css2?family=Inter:wght@400;600&family=Roboto:ital,wght@0,400;1,400&display=swap', '/css?family=Open+Sans']],
  ['www.gstatic.com', 2, 'google', ['/og/_/js/k=og.qtm.en_US.{h}.O/rt=j/m=qabr,q_dnp,qapid/exm=qaaw', '/images/branding/product/2x/googleg_48dp.png']],
  ['docs.google.com', 2, 'google', ['/document/d/{h}/edit', '/spreadsheets/d/{h}/edit#gid=0']],
  ['www.youtube.com', 2, 'google', ['/watch?v={h}', '/results?search_query={q}']],
  ['github.com', 4, 'github', ['/contoso/infra/pull/{n}', '/contoso/portal/actions/runs/{n}', '/duckdb/duckdb/issues/{n}', '/notifications']],
  ['api.github.com', 2, 'github', ['/repos/contoso/portal/pulls?state=open', '/user', '/repos/contoso/infra/commits/{h}']],
  ['app.slack.com', 5, 'cloudfront', ['/client/T0{h}/C0{h}', '/api/conversations.history', '/api/users.prefs.get']],
  ['zoom.us', 3, 'zoom', ['/j/{n}', '/wc/join/{n}', '/signin']],
  ['www.linkedin.com', 2, 'linkedin', ['/feed/', '/in/{h}/', '/jobs/view/{n}/']],
  ['cdn.jsdelivr.net', 2, 'cloudflare', ['/npm/bootstrap@5.3.3/dist/css/bootstrap.min.css', '/npm/chart.js@4.4.1/dist/chart.umd.min.js']],
  ['registry.npmjs.org', 2, 'cloudflare', ['/commander', '/zod/-/zod-4.1.0.tgz', '/vitest']],
  ['pypi.org', 1, 'fastly', ['/simple/pandas/', '/project/requests/']],
  ['stackoverflow.com', 2, 'fastly', ['/questions/{n}/how-to-parse-csv-with-quoted-fields', '/questions/{n}']],
  ['www.reuters.com', 1, 'fastly', ['/world/', '/technology/', '/markets/']],
  ['en.wikipedia.org', 2, 'wikimedia', ['/wiki/Comma-separated_values', '/wiki/ISO_8601', '/wiki/Special:Search?search={q}']],
  ['www.dropbox.com', 1, 'dropbox', ['/home', '/s/{h}/minutes.docx?dl=0']],
  ['contoso-backups.s3.eu-west-1.amazonaws.com', 1, 's3', ['/?list-type=2&prefix=daily/', '/daily/{n}.tar.zst']],
  ['contoso.atlassian.net', 3, 'atlassian', ['/browse/SEC-{n}', '/wiki/spaces/IT/pages/{n}', '/jira/software/projects/OPS/boards/7']],
  ['contoso.my.salesforce.com', 2, 'salesforce', ['/lightning/page/home', '/lightning/r/Account/{h}/view']],
  ['ctldl.windowsupdate.com', 2, 'akamai', ['/msdownload/update/v3/static/trustedr/en/authrootstl.cab', '/msdownload/update/v3/static/trustedr/en/disallowedcertstl.cab'], { http: true }],
  ['ocsp.digicert.com', 2, 'edgecast', ['/MFEwTzBNMEswSTAJBgUrDgMCGgUABBTfqhLjKLEJQZPin0KCzkdAQpVYowQUsT7DaQP4v0cB1JgmGggC72NkK8MCEA{h}'], { http: true }],
  ['store.steampowered.com', 0.3, 'akamai', ['/', '/app/{n}/'], { deny: true }],
  ['www.tiktok.com', 0.3, 'akamai', ['/foryou', '/@{h}'], { deny: true }],
];

// Files users download; each keeps one (random, benign-looking) hash and size so that the
// same URL always yields the same file, as it would in real proxy logs.
const DOWNLOADS = [
  ['dl.google.com', 'google', '/chrome/install/GoogleChromeStandaloneEnterprise64.msi', 110e6],
  ['download.microsoft.com', 'akamai', '/download/{h}/PowerBIDesktopSetup_x64.exe', 480e6],
  ['download.microsoft.com', 'akamai', '/download/{h}/windowsdesktop-runtime-8.0.2-win-x64.exe', 56e6],
  ['zoom.us', 'zoom', '/client/latest/ZoomInstallerFull.msi', 90e6],
  ['objects.githubusercontent.com', 'ghContent', '/github-production-release-asset-2e65be/{n}/{h}?response-content-disposition=attachment%3B%20filename%3Dcs-helper-0.1.0.tgz', 2.1e6],
  ['objects.githubusercontent.com', 'ghContent', '/github-production-release-asset-2e65be/{n}/{h}?response-content-disposition=attachment%3B%20filename%3DGit-2.44.0-64-bit.exe', 65e6],
  ['www.7-zip.org', 'cloudflare', '/a/7z2401-x64.exe', 1.6e6],
  ['get.videolan.org', 'fastly', '/vlc/3.0.20/win64/vlc-3.0.20-win64.exe', 42e6],
  ['files.pythonhosted.org', 'fastly', '/packages/{h}/pandas-2.2.1-cp312-cp312-win_amd64.whl', 11.6e6],
  ['registry.npmjs.org', 'cloudflare', '/typescript/-/typescript-5.9.2.tgz', 5.8e6],
  ['ardownload2.adobe.com', 'akamai', '/pub/adobe/acrobat/win/AcrobatDC/2400120615/AcroRdrDCx642400120615_MUI.exe', 360e6],
  ['www.dropbox.com', 'dropbox', '/s/{h}/site-photos-march.zip?dl=1', 38e6],
];
const DOC_NAMES = ['Q1-forecast', 'board-minutes', 'travel-expenses', 'supplier-contract', 'onboarding-checklist',
  'network-diagram', 'incident-review', 'price-list', 'audit-evidence', 'roadmap'];
const DOC_EXTS = [['xlsx', 280e3], ['docx', 120e3], ['pdf', 650e3], ['pptx', 2.4e6]];
const DOC_SITES = ['Finance', 'HR', 'IT', 'Legal', 'Sales', 'Projects'];

// Templates are split once into literal parts and placeholders; a regex replace per row
// was a visible share of the million-row run.
const TEMPLATE_PARTS = new Map();

function fillPath(r, template) {
  let parts = TEMPLATE_PARTS.get(template);
  if (parts === undefined) {
    parts = template.split(/(\{[nhq]\})/).filter((x) => x !== '');
    TEMPLATE_PARTS.set(template, parts);
  }
  let out = '';
  for (const p of parts) {
    out += p === '{n}' ? String(int(r, 1000, 999999)) : p === '{h}' ? hex(r, 16) : p === '{q}' ? pick(r, SEARCHES) : p;
  }
  return out;
}

function buildCatalog(seed, avoid) {
  const r = stream(seed, 'catalog');
  const pool = (provider, n) => {
    const out = new Set();
    while (out.size < n) {
      const ip = ipInCidr(r, pick(r, CIDRS[provider]));
      if (!avoid.has(ip)) out.add(ip);
    }
    return [...out];
  };
  const web = WEB.map(([domain, weight, provider, paths, opt = {}]) => ({
    domain, weight, paths, ips: pool(provider, int(r, 2, 4)), scheme: opt.http ? 'http' : 'https',
    port: opt.http ? 80 : 443, deny: Boolean(opt.deny),
  }));
  const downloads = DOWNLOADS.map(([domain, provider, path, size]) => ({
    domain, ips: pool(provider, 2), url: `https://${domain}${fillPath(r, path)}`,
    hash: hex(r, 64), size: Math.round(size * (0.9 + 0.2 * r())),
  }));
  const poolOf = (p, n) => pool(p, n);
  return {
    web,
    pickWeb: weighted(web.map((w) => [w, w.weight])),
    downloads,
    internalNames: ['srv-fs01.corp.contoso.com', 'portal.contoso.com', 'srv-dc01.corp.contoso.com',
      '_ldap._tcp.dc._msdcs.corp.contoso.com', 'print.corp.contoso.com'],
    resolvers: ['1.1.1.1', '1.0.0.1', '8.8.8.8', '8.8.4.4', '9.9.9.9'].filter((ip) => !avoid.has(ip)),
    exoSmtp: poolOf('exo', 2), teamsMedia: poolOf('teams', 6), github: poolOf('github', 3),
    msDirect: poolOf('msCdn', 6), s3: poolOf('s3', 4), ntp: poolOf('azure', 2), ubuntu: poolOf('canonical', 3),
    spo: poolOf('spo', 3), dropbox: poolOf('dropbox', 2), discord: poolOf('discord', 3), cloudflare: poolOf('cloudflare', 3),
    hosting: poolOf('cloudflare', 1).concat(poolOf('fastly', 1)),
  };
}

// ---------------------------------------------------------------- normal events

const EPHEMERAL = (r) => int(r, 49152, 65535);

// Every event comes from this one literal so all share a hidden class; the row loop reads
// them a million times and mixed shapes made that loop several times slower.
function event(dst_ip, dst_port, protocol, action, bytes_sent, bytes_received, duration_ms, domain, url, file_hash,
  event_type, src_port = -1) {
  return { dst_ip, dst_port, protocol, action, bytes_sent, bytes_received, duration_ms, domain, url, file_hash, event_type, src_port };
}

function webEvent(r, cat) {
  const w = cat.pickWeb(r);
  const url = `${w.scheme}://${w.domain}${fillPath(r, pick(r, w.paths))}`;
  const deny = w.deny;
  return event(pick(r, w.ips), w.port, 'TCP', deny ? 'deny' : 'allow', logn(r, 900, 1.0),
    deny ? logn(r, 1200, 0.3) : logn(r, 18000, 1.2), logn(r, 180, 1.0), w.domain, url, '', 'web_request');
}

function downloadEvent(r, cat) {
  let domain;
  let ip;
  let url;
  let hash;
  let size;
  // Four in ten downloads are one-off documents from SharePoint, each a distinct file.
  if (r() < 0.4) {
    const [ext, median] = pick(r, DOC_EXTS);
    domain = 'contoso.sharepoint.com';
    ip = pick(r, cat.spo);
    url = `https://${domain}/sites/${pick(r, DOC_SITES)}/Shared%20Documents/${pick(r, DOC_NAMES)}-${int(r, 1, 999)}.${ext}`;
    hash = hex(r, 64);
    size = logn(r, median, 1.0);
  } else {
    const d = pick(r, cat.downloads);
    ({ domain, url, hash, size } = d);
    ip = pick(r, d.ips);
  }
  const received = size + int(r, 300, 2000);
  return event(ip, 443, 'TCP', 'allow', logn(r, 1400, 0.8), received,
    Math.round(received / logn(r, 4000, 0.6)) + logn(r, 120, 0.8), domain, url, hash, 'file_download');
}

function dnsEvent(r, cat, resolver) {
  const domain = r() < 0.12 ? pick(r, cat.internalNames) : cat.pickWeb(r).domain;
  return event(resolver, 53, r() < 0.02 ? 'TCP' : 'UDP', 'allow', logn(r, 74, 0.25), logn(r, 160, 0.45),
    logn(r, 12, 0.9), domain, '', '', 'dns_query');
}

function authEvent(r) {
  const dc = r() < 0.6 ? SRV['SRV-DC01'] : SRV['SRV-DC02'];
  const x = r();
  const [port, protocol] = x < 0.4 ? [88, 'UDP'] : x < 0.7 ? [88, 'TCP'] : x < 0.95 ? [389, 'TCP'] : [636, 'TCP'];
  return event(dc.ip, port, protocol, 'allow', logn(r, 1400, 0.5), logn(r, 1650, 0.5), logn(r, 8, 0.8), '', '', '', 'auth');
}

function conn(dst_ip, dst_port, protocol, bytes_sent, bytes_received, duration_ms, action = 'allow') {
  return event(dst_ip, dst_port, protocol, action, bytes_sent, bytes_received, duration_ms, '', '', '', 'connection');
}

// Outbound ports a corporate firewall typically blocks; denies go here, not to 443.
const DENY_PORTS = [[23, 'TCP'], [25, 'TCP'], [135, 'TCP'], [137, 'UDP'], [139, 'TCP'], [161, 'UDP'], [1900, 'UDP'],
  [3306, 'TCP'], [5355, 'UDP'], [5900, 'TCP'], [6881, 'TCP'], [8888, 'TCP'], [11211, 'UDP']];

function workstationConnection(r, cat, avoid) {
  const x = r() * 100;
  if (x < 30) return conn(SRV['SRV-FS01'].ip, 445, 'TCP', logn(r, 15000, 1.2), logn(r, 120000, 1.2), logn(r, 900, 1.1));
  if (x < 34) return conn(SRV['SRV-PRN01'].ip, 9100, 'TCP', logn(r, 250000, 1.0), logn(r, 300, 0.5), logn(r, 2500, 0.8));
  if (x < 38) return conn(SRV['SRV-JMP01'].ip, 3389, 'TCP', logn(r, 80000, 1.0), logn(r, 2e6, 1.0), logn(r, 6e5, 0.9));
  if (x < 42) return conn(pick(r, cat.github), 22, 'TCP', logn(r, 6000, 1.1), logn(r, 40000, 1.2), logn(r, 2500, 0.9));
  if (x < 47) return conn(pick(r, cat.teamsMedia), int(r, 3478, 3481), 'UDP', logn(r, 12e6, 0.8), logn(r, 15e6, 0.8), logn(r, 1.2e6, 0.7));
  if (x < 72) return conn(pick(r, cat.msDirect), 443, 'TCP', logn(r, 20000, 1.2), logn(r, 60000, 1.2), logn(r, 1200, 1.0));
  if (x < 86) return conn(SRV['SRV-DC01'].ip, 123, 'UDP', 90, 90, logn(r, 3, 0.5));
  if (x < 94) return conn(pick(r, cat.exoSmtp), 587, 'TCP', logn(r, 45000, 1.1), logn(r, 1800, 0.5), logn(r, 900, 0.8));
  const [port, protocol] = pick(r, DENY_PORTS);
  return conn(randomPublicIp(r, avoid), port, protocol, logn(r, 74, 0.3), 0, 0, 'deny');
}

function workstationEvent(r, cat, avoid) {
  const x = r();
  if (x < 0.56) return webEvent(r, cat);
  if (x < 0.76) return dnsEvent(r, cat, SRV['SRV-DNS01'].ip);
  if (x < 0.90) return workstationConnection(r, cat, avoid);
  if (x < 0.96) return authEvent(r);
  return downloadEvent(r, cat);
}

const SERVER_ACTIVITY = weighted([
  ['dns', 35], ['ntp', 5], ['dc', 10], ['sql', 15], ['web', 10], ['backup', 5], ['fsbackup', 5], ['snmp', 8], ['update', 7],
]);
const UPDATE_URLS = [
  ['http', 'security.ubuntu.com', '/ubuntu/dists/noble-security/InRelease', 'ubuntu'],
  ['https', 'packages.microsoft.com', '/ubuntu/24.04/prod/dists/noble/InRelease', 'msDirect'],
  ['http', 'ctldl.windowsupdate.com', '/msdownload/update/v3/static/trustedr/en/authrootstl.cab', 'msDirect'],
];

// Returns [server, event]; server traffic runs around the clock, unlike workstation traffic.
function serverEvent(r, cat) {
  switch (SERVER_ACTIVITY(r)) {
    case 'dns': return [SRV['SRV-DNS01'], dnsEvent(r, cat, pick(r, cat.resolvers))];
    case 'ntp': return [pick(r, [SRV['SRV-DC01'], SRV['SRV-DC02']]), conn(pick(r, cat.ntp), 123, 'UDP', 90, 90, logn(r, 25, 0.6))];
    case 'dc': return [SRV['SRV-DC02'], event(SRV['SRV-DC01'].ip, pick(r, [389, 135, 49668]), 'TCP', 'allow', logn(r, 9000, 1.0), logn(r, 14000, 1.0), logn(r, 40, 0.9), '', '', '', 'auth')];
    case 'sql': return [SRV['SRV-APP01'], conn(SRV['SRV-SQL01'].ip, 1433, 'TCP', logn(r, 3000, 1.0), logn(r, 45000, 1.2), logn(r, 60, 1.0))];
    case 'web': return [SRV['SRV-WEB01'], conn(SRV['SRV-APP01'].ip, 8443, 'TCP', logn(r, 2500, 1.0), logn(r, 30000, 1.1), logn(r, 80, 1.0))];
    case 'backup': return [SRV['SRV-BKP01'], conn(pick(r, cat.s3), 443, 'TCP', logn(r, 8e6, 1.0), logn(r, 60000, 0.8), logn(r, 20000, 0.9))];
    case 'fsbackup': return [SRV['SRV-BKP01'], conn(SRV['SRV-FS01'].ip, 445, 'TCP', logn(r, 40000, 1.0), logn(r, 6e6, 1.0), logn(r, 9000, 0.9))];
    case 'snmp': {
      const target = pick(r, SERVERS.filter((s) => s.role !== 'monitor'));
      return [SRV['SRV-MON01'], conn(target.ip, 161, 'UDP', logn(r, 110, 0.3), logn(r, 420, 0.4), logn(r, 4, 0.6))];
    }
    default: {
      const [scheme, domain, path, provider] = pick(r, UPDATE_URLS);
      const ips = provider === 'ubuntu' ? cat.ubuntu : cat.msDirect;
      return [pick(r, SERVERS), event(pick(r, ips), scheme === 'http' ? 80 : 443, 'TCP', 'allow', logn(r, 600, 0.8),
        logn(r, 90000, 1.0), logn(r, 300, 0.9), domain, `${scheme}://${domain}${path}`, '', 'web_request')];
    }
  }
}

// ---------------------------------------------------------------- time plan

// Relative event volume of workstations by hour of day (office hours peak, lunch dip).
const DIURNAL = [0.03, 0.02, 0.02, 0.02, 0.02, 0.04, 0.1, 0.35, 0.8, 1.0, 1.0, 0.95, 0.7, 0.9, 1.0, 0.95, 0.85, 0.55,
  0.3, 0.18, 0.12, 0.1, 0.07, 0.04];
const DAY_FACTOR = [1.0, 1.05, 0.97];
const MEAN_DIURNAL = DIURNAL.reduce((a, b) => a + b, 0) / 24;
// Servers produce about a tenth of all events, evenly over the day.
const SERVER_RATE = (MEAN_DIURNAL * 0.1) / 0.9;

const EXFIL_HOURS = [49, 49, 50, 50, 51]; // 2026-03-04, 01:00-03:59 UTC
const BURST_HOUR = 38; // 2026-03-03, 14:00-14:59 UTC
const INJECTED_TOTAL = 40;

function largestRemainder(total, weights) {
  const sum = weights.reduce((a, b) => a + b, 0);
  const raw = weights.map((w) => (total * w) / sum);
  const out = raw.map(Math.floor);
  let left = total - out.reduce((a, b) => a + b, 0);
  const order = raw.map((v, i) => [v - Math.floor(v), i]).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (let k = 0; left > 0; k++, left--) out[order[k][1]] += 1;
  return out;
}

function buildPlan(seed, rows) {
  const r = stream(seed, 'plan');
  const wsWeight = [];
  const hourWeight = [];
  for (let h = 0; h < HOURS; h++) {
    const ws = DIURNAL[h % 24] * DAY_FACTOR[Math.floor(h / 24)] * (0.92 + 0.16 * r());
    wsWeight.push(ws);
    hourWeight.push(ws + SERVER_RATE);
  }
  const burstRows = Math.max(40, Math.round(rows * 0.004));
  const specialsByHour = Array.from({ length: HOURS }, () => []);
  EXFIL_HOURS.forEach((h) => specialsByHour[h].push('exfiltration'));
  for (let k = 0; k < burstRows; k++) specialsByHour[BURST_HOUR].push('burst');
  // Rare values fall on working hours of three different days, away from the other anomalies.
  for (const [h, kind] of [[10, 'rare_protocol'], [34, 'rare_protocol'], [58, 'rare_protocol'], [16, 'rare_action'], [63, 'rare_action']]) {
    specialsByHour[h].push(kind);
  }
  const specialCount = specialsByHour.reduce((a, s) => a + s.length, 0);
  const normal = largestRemainder(rows - specialCount, hourWeight);
  const hourCount = normal.map((n, h) => n + specialsByHour[h].length);
  const special = new Map();
  let start = 0;
  for (let h = 0; h < HOURS; h++) {
    const positions = shuffle(r, Array.from({ length: hourCount[h] }, (_, i) => i)).slice(0, specialsByHour[h].length);
    specialsByHour[h].forEach((kind, k) => special.set(start + positions[k], kind));
    start += hourCount[h];
  }
  // One injected row per equal slice of the file spreads them over the three days.
  const injected = [];
  for (let k = 0; k < INJECTED_TOTAL; k++) {
    const lo = Math.floor((k * rows) / INJECTED_TOTAL);
    const hi = Math.floor(((k + 1) * rows) / INJECTED_TOTAL);
    let idx = lo + Math.floor(r() * (hi - lo));
    while (special.has(idx)) idx = idx + 1 < hi ? idx + 1 : lo;
    injected.push(idx);
  }
  return { hourCount, wsShare: wsWeight.map((w, h) => w / hourWeight[h]), special, injected, burstRows };
}

// ---------------------------------------------------------------- injected indicators

const FEODO_PORTS = [443, 447, 449, 2078, 2222, 8080];
const FILE_TYPES = new Set(['exe', 'dll', 'bat', 'vbs', 'js', 'ps1', 'msi', 'zip', 'rar', '7z', 'apk', 'elf', 'hta', 'lnk', 'iso', 'xls', 'doc']);
const LURES = ['Invoice_{n}', 'PO-{n}', 'Payment_Advice_{n}', 'Scan_{n}', 'Shipping_Docs_{n}', 'Quotation_{n}'];

// Chooses the 40 indicators and builds each as an event template. Counts per kind are
// fixed (not scaled with --rows): 12 Feodo IPs, 10 URLs, 10 file hashes, 5 domains, 3 ViriBack IPs.
function buildInjections(seed, feed, cat) {
  const r = stream(seed, 'inject');
  const of = (pred) => feed.rows.filter(pred);
  const take = (list, n, what) => {
    if (list.length < n) throw new Error(`bundled feed has ${list.length} ${what}, need ${n}`);
    return shuffle(r, list).slice(0, n);
  };
  const windowsLike = (t) => !['Mirai', 'elf', 'apk'].includes(t.kind);
  const picks = [
    ...take(of((x) => x.type === 'ip' && x.source === 'abuse.ch/feodotracker'), 12, 'Feodo IPs').map((x) => ['feodo', x]),
    ...take(of((x) => x.type === 'url' && x.source === 'abuse.ch/urlhaus'), 6, 'URLhaus URLs').map((x) => ['url', x]),
    ...take(of((x) => x.type === 'url' && x.source === 'viriback'), 4, 'ViriBack URLs').map((x) => ['url', x]),
    ...take(of((x) => x.type === 'sha256' && windowsLike(x)), 6, 'sha256 hashes').map((x) => ['hash', x]),
    ...take(of((x) => x.type === 'md5' && windowsLike(x)), 4, 'md5 hashes').map((x) => ['hash', x]),
    ...take(of((x) => x.type === 'domain'), 5, 'domains').map((x) => ['domain', x]),
    ...take(of((x) => x.type === 'ip' && x.source === 'viriback'), 3, 'ViriBack IPs').map((x) => ['viriback_ip', x]),
  ];
  let feodoDenies = 3;
  return shuffle(r, picks).map(([kind, x]) => {
    switch (kind) {
      case 'feodo': {
        // The firewall blocked a few of the C2 callbacks; most got through.
        const action = feodoDenies-- > 0 ? 'deny' : 'allow';
        return conn(x.value, pick(r, FEODO_PORTS), 'TCP', logn(r, 2400, 0.8), action === 'deny' ? 0 : logn(r, 5200, 0.9),
          action === 'deny' ? 0 : logn(r, 1500, 0.9), action);
      }
      case 'url': {
        const u = new URL(x.value);
        const isIp = /^\d+\.\d+\.\d+\.\d+$/.test(u.hostname);
        const port = u.port ? Number(u.port) : u.protocol === 'https:' ? 443 : 80;
        const dst = isIp ? u.hostname : u.hostname.endsWith('dropbox.com') ? pick(r, cat.dropbox)
          : u.hostname.endsWith('.r2.dev') ? pick(r, cat.cloudflare) : pick(r, cat.hosting);
        return event(dst, port, 'TCP', 'allow', logn(r, 700, 0.6), logn(r, 150000, 0.9), logn(r, 900, 0.8),
          isIp ? '' : u.hostname, x.value, '', 'web_request');
      }
      case 'hash': {
        const ext = FILE_TYPES.has(x.kind) ? x.kind : 'exe';
        const name = `${fillPath(r, pick(r, LURES))}.${ext}`;
        const [domain, ip, url] = r() < 0.6
          ? ['cdn.discordapp.com', pick(r, cat.discord), `https://cdn.discordapp.com/attachments/${int(r, 1e8, 9e8)}${int(r, 1e8, 9e8)}/${int(r, 1e8, 9e8)}${int(r, 1e8, 9e8)}/${name}`]
          : ['www.dropbox.com', pick(r, cat.dropbox), `https://www.dropbox.com/s/${hex(r, 15)}/${name}?dl=1`];
        return event(ip, 443, 'TCP', 'allow', logn(r, 1400, 0.8), logn(r, 900000, 0.9), logn(r, 1800, 0.8), domain, url,
          x.value, 'file_download');
      }
      case 'domain':
        return event(SRV['SRV-DNS01'].ip, 53, 'UDP', 'allow', logn(r, 74, 0.25), logn(r, 160, 0.45), logn(r, 30, 0.9),
          x.value, '', '', 'dns_query');
      default:
        return conn(x.value, pick(r, [80, 443]), 'TCP', logn(r, 1800, 0.8), logn(r, 4000, 0.9), logn(r, 700, 0.9));
    }
  });
}

// ---------------------------------------------------------------- anomalies

const EXFIL_DST = '159.223.47.112'; // cloud VPS address, not in the feed (checked)
const ICMP_DST = '139.59.188.21';
const DROP_DST = '188.166.93.40';

function anomalyEvent(r, kind, org) {
  switch (kind) {
    case 'exfiltration':
      return [org.exfilHost, conn(EXFIL_DST, 443, 'TCP', int(r, 1_500_000_000, 3_900_000_000), int(r, 900_000, 4_000_000), int(r, 600_000, 2_400_000))];
    case 'burst': {
      let target = org.pickWorkstation(r);
      while (target === org.burstHost) target = org.pickWorkstation(r);
      const action = r() < 0.7 ? 'deny' : 'allow';
      return [org.burstHost, conn(target.ip, pick(r, [445, 445, 3389, 135, 22]), 'TCP', int(r, 60, 180), action === 'deny' ? 0 : int(r, 40, 120), int(r, 0, 4), action)];
    }
    case 'rare_protocol':
      return [org.rareHost, event(ICMP_DST, 0, 'ICMP', 'allow', int(r, 1000, 1400), int(r, 1000, 1400), int(r, 20, 60), '', '', '', 'connection', 0)];
    default:
      return [org.rareHost, conn(DROP_DST, 4444, 'TCP', int(r, 60, 80), 0, 0, 'drop')];
  }
}

const ANOMALY_TEXT = {
  exfiltration: (o) => `${o.exfilHost.hostname} (${o.exfilHost.ip}, ${o.exfilHost.user}) sends 1.5-3.9 GB per connection to ${EXFIL_DST}:443 between 01:00 and 04:00 UTC on 2026-03-04; normal workstation uploads stay below a few hundred MB (Teams calls) and are usually a few KB.`,
  burst: (o, s) => `${o.burstHost.hostname} (${o.burstHost.ip}) makes ${s.burstRows} connection attempts in one hour (2026-03-03 14:00-14:59 UTC) to other workstations on 445/3389/135/22, about 70% denied; its own median is ${s.burstMedian} event(s) per active hour (lateral-movement scan).`,
  rare_protocol: (o) => `protocol=ICMP (src_port and dst_port 0) from ${o.rareHost.hostname} to ${ICMP_DST} with ~1.2 KB payloads: the only non-TCP/UDP rows.`,
  rare_action: (o) => `action=drop (the only rows that are neither allow nor deny) from ${o.rareHost.hostname} to ${DROP_DST}:4444/TCP.`,
};

// ---------------------------------------------------------------- threat_data.csv

async function writeThreatData(opts, feed, org, cat, avoid) {
  const r = stream(opts.seed, 'rows');
  const plan = buildPlan(opts.seed, opts.rows);
  const injections = buildInjections(opts.seed, feed, cat);
  const injectedAt = new Map(plan.injected.map((row, k) => [row, injections[k]]));
  const feedByValue = new Map(feed.rows.map((x) => [x.value, x]));
  const injectedOut = [];
  const anomalies = { exfiltration: [], burst: [], rare_protocol: [], rare_action: [] };
  const burstHostHours = new Map();

  const out = createWriteStream(join(opts.out, 'threat_data.csv'));
  const CHUNK = 1 << 20;
  let chunk = Buffer.allocUnsafe(CHUNK);
  let pos = chunk.write(`${THREAT_HEADER}\n`);
  let row = 0;
  const minSec = Array.from({ length: 3600 }, (_, s) => `${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}Z`);
  for (let h = 0; h < HOURS; h++) {
    const hourPrefix = new Date(BASE_MS + h * 3600000).toISOString().slice(0, 14);
    const n = plan.hourCount[h];
    const offsets = new Float64Array(n);
    for (let k = 0; k < n; k++) offsets[k] = r() * 3600;
    offsets.sort();
    for (let k = 0; k < n; k++, row++) {
      const ts = hourPrefix + minSec[Math.floor(offsets[k])];
      let host;
      let ev;
      const kind = plan.special.get(row);
      const inj = injectedAt.get(row);
      if (kind !== undefined) {
        [host, ev] = anomalyEvent(r, kind, org);
        anomalies[kind].push(row);
      } else if (inj !== undefined) {
        host = org.pickWorkstation(r);
        ev = inj;
      } else if (r() < plan.wsShare[h]) {
        host = org.pickWorkstation(r);
        ev = workstationEvent(r, cat, avoid);
      } else {
        [host, ev] = serverEvent(r, cat);
      }
      if (host === org.burstHost) burstHostHours.set(h, (burstHostHours.get(h) ?? 0) + 1);
      const srcPort = ev.src_port >= 0 ? ev.src_port : EPHEMERAL(r);
      // Cheap membership test first; the per-column detail is only built when something matched.
      const matched = feedByValue.has(host.ip) || feedByValue.has(ev.dst_ip) || feedByValue.has(ev.domain)
        || feedByValue.has(ev.url) || feedByValue.has(ev.file_hash);
      const hits = matched || inj !== undefined
        ? [['src_ip', host.ip], ['dst_ip', ev.dst_ip], ['domain', ev.domain], ['url', ev.url], ['file_hash', ev.file_hash]]
          .filter(([, v]) => v !== '' && feedByValue.has(v))
        : [];
      if (inj !== undefined) {
        if (hits.length === 0) throw new Error(`injected row ${row} carries no feed value`);
        for (const [column, value] of hits) {
          const f = feedByValue.get(value);
          injectedOut.push({ row, line: row + 2, column, type: f.type, value, source: f.source, threat: f.threat });
        }
      } else if (hits.length > 0) {
        throw new Error(`row ${row} is not an injected row but carries feed value(s): ${hits.map(([c, v]) => `${c}=${v}`).join(', ')}`);
      }
      const line = `${ts},${host.ip},${srcPort},${ev.dst_ip},${ev.dst_port},${ev.protocol},${ev.action},${ev.bytes_sent},`
        + `${ev.bytes_received},${ev.duration_ms},${host.user},${host.hostname},${csv(ev.domain)},${csv(ev.url)},${ev.file_hash},${ev.event_type}\n`;
      // Encoding each line straight into a 1 MiB buffer avoids building and re-copying big
      // joined strings; a fresh buffer per chunk because the stream keeps the old one.
      if (pos + line.length * 3 > CHUNK) {
        if (!out.write(chunk.subarray(0, pos))) await once(out, 'drain');
        chunk = Buffer.allocUnsafe(CHUNK);
        pos = 0;
      }
      pos += chunk.write(line, pos);
    }
  }
  out.end(chunk.subarray(0, pos));
  await once(out, 'finish');
  if (row !== opts.rows) throw new Error(`internal: wrote ${row} rows, expected ${opts.rows}`);
  const injectedRows = new Set(injectedOut.map((x) => x.row)).size;
  if (injectedRows !== INJECTED_TOTAL) throw new Error(`internal: ${injectedRows} injected rows, expected ${INJECTED_TOTAL}`);

  const active = [...burstHostHours.entries()].filter(([hh]) => hh !== BURST_HOUR).map(([, c]) => c).sort((a, b) => a - b);
  const stats = { burstRows: plan.burstRows, burstMedian: active.length ? active[Math.floor(active.length / 2)] : 0 };
  const manifest = {
    generator: 'scripts/generate-examples.mjs',
    seed: opts.seed,
    rows: opts.rows,
    file: 'threat_data.csv',
    feed: relative(REPO_ROOT, opts.feed),
    feed_sha256: feed.sha256,
    injected_rows: injectedRows,
    injected: injectedOut,
    anomalies: Object.entries(anomalies).map(([kind, rows]) => ({
      kind, rows, lines: rows.map((x) => x + 2), description: ANOMALY_TEXT[kind](org, stats),
    })),
  };
  writeFileSync(join(opts.out, 'threat_data.injected.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

// ---------------------------------------------------------------- access_logs.csv

const UA = {
  chrome: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0.0.0 Safari/537.36',
  edge: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0.0.0 Safari/537.36 Edg/122.0.2365.66',
  firefox: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:123.0) Gecko/20100101 Firefox/123.0',
  safari: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_3_1) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.3.1 Safari/605.1.15',
  iphone: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_3_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.3.1 Mobile/15E148 Safari/604.1',
  android: 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0.6261.105 Mobile Safari/537.36',
  googlebot: 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
  // An internal tool whose agent string embeds double quotes: exercises CSV quote escaping.
  sync: 'PortalSync/2.4 (+https://portal.contoso.com/help/sync; "nightly" job; Windows NT 10.0)',
  monitor: 'Go-http-client/1.1',
  curl: 'curl/8.5.0',
};
const BROWSERS = weighted([[UA.chrome, 45], [UA.edge, 30], [UA.firefox, 10], [UA.safari, 8], [UA.iphone, 4], [UA.android, 3]]);
const PORTAL = 'https://portal.contoso.com';
// [[path, kind], weight] for weighted(); kind drives method, status and size.
const ANON_PATHS = weighted([[['/', 'page'], 15], [['/login', 'page'], 12], [['/static/css/app.3f9c2b.css', 'static'], 12],
  [['/static/js/app.8d41e7.js', 'static'], 12], [['/static/img/logo.svg', 'static'], 8], [['/favicon.ico', 'static'], 6],
  [['/robots.txt', 'static'], 2], [['/docs', 'redirect'], 3], [['/docs/', 'page'], 6], [['/docs/vpn-setup', 'page'], 6],
  [['/news/2026/02/new-expense-policy', 'page'], 6], [['/old-intranet/phonebook.asp', 'missing'], 3]]);
const AUTH_PATHS = weighted([[['/login', 'login'], 6], [['/dashboard', 'page'], 20], [['/api/v1/tickets?status=open&page={p}', 'api'], 15],
  [['/api/v1/tickets/{n}', 'api'], 15], [['/api/v1/reports/export?format=csv&from=2026-02-01&to=2026-02-29', 'export'], 3],
  [['/account/settings', 'page'], 4], [['/reports/quarterly?year=2026&q=1', 'page'], 5], [['/admin/users', 'admin'], 1.5],
  [['/static/js/app.8d41e7.js', 'static'], 10], [['/static/css/app.3f9c2b.css', 'static'], 10], [['/api/v1/notifications', 'api'], 10]]);
const BRUTE_IP = '146.190.37.21';
const SCANNER_IP = '167.99.201.88';
const SCANNER = [
  ['GET', '/wp-login.php', 404], ['GET', '/wp-admin/', 404], ['GET', '/.env', 404], ['GET', '/.git/config', 404],
  ['GET', '/../../etc/passwd', 400], ['GET', '/static/../../../../etc/passwd', 403], ['GET', '/phpmyadmin/', 404],
  ['GET', '/index.php?id=1\' OR \'1\'=\'1', 404], ['GET', '/api/v1/tickets?id=1\' OR \'1\'=\'1', 401],
  ['GET', '/api/v1/tickets/1%27%20UNION%20SELECT%20NULL--', 401], ['GET', '/search?q="><script>alert(1)</script>', 404],
  ['GET', '/cgi-bin/luci/;stok=/locale', 404], ['GET', '/server-status', 403], ['GET', '/admin/config.php', 404],
  ['POST', '/xmlrpc.php', 404], ['GET', '/actuator/env', 404], ['GET', '/.aws/credentials', 404], ['GET', '/backup.zip', 404],
  ['GET', '/docs/..%2f..%2f..%2fetc%2fpasswd', 500], ['GET', '/vendor/phpunit/phpunit/src/Util/PHP/eval-stdin.php', 404],
  ['GET', '/owa/auth/logon.aspx', 404], ['GET', '/solr/admin/info/system', 404], ['GET', '/console/', 404],
  ['GET', '/HNAP1/', 404], ['GET', '/login?next=/admin/users', 200],
];
const SCANNER_UAS = ['sqlmap/1.8.2#stable (https://sqlmap.org)', 'Mozilla/5.0 (compatible; Nmap Scripting Engine; https://nmap.org/book/nse.html)',
  'Mozilla/5.00 (Nikto/2.5.0) (Evasions:None) (Test:000003)'];

function writeAccessLogs(opts, org, avoid) {
  const r = stream(opts.seed, 'access');
  const events = [];
  const admins = new Set(shuffle(r, org.users).slice(0, 4));
  const remote = Array.from({ length: 30 }, () => ({ user: pick(r, org.users), ip: randomPublicIp(r, avoid) }));
  const visitors = Array.from({ length: 200 }, () => randomPublicIp(r, avoid));
  const hourPick = weighted(Array.from({ length: HOURS }, (_, h) => [h, DIURNAL[h % 24] * DAY_FACTOR[Math.floor(h / 24)] + 0.03]));
  const add = (ms, ip, user, method, path, status, bytes, ua, ref, rt) => events.push([ms, ip, user, method, path, status, bytes, ua, ref, rt]);

  // Health checks every 30 minutes from the monitoring server.
  for (let t = 0; t < HOURS * 2; t++) {
    add(BASE_MS + t * 1800000 + int(r, 0, 900), SRV['SRV-MON01'].ip, '-', 'GET', '/healthz', 200, 17, UA.monitor, '-', logn(r, 4, 0.4));
  }
  // Brute force: 58 failed logins in about 12 minutes, then a success and a dashboard visit.
  const victim = pick(r, org.users.filter((u) => !admins.has(u)));
  let t = BASE_MS + (26 * 3600 + 14 * 60 + 5) * 1000; // 2026-03-03T02:14:05Z
  for (let k = 0; k < 58; k++) {
    add(t, BRUTE_IP, '-', 'POST', '/login', 401, logn(r, 1480, 0.05), UA.curl, '-', logn(r, 260, 0.2));
    t += int(r, 8000, 16000);
  }
  const bruteEnd = t;
  add(t, BRUTE_IP, victim, 'POST', '/login', 200, 2210, UA.curl, '-', logn(r, 270, 0.2));
  add(t + int(r, 2000, 5000), BRUTE_IP, victim, 'GET', '/dashboard', 200, logn(r, 48000, 0.2), UA.curl, '-', logn(r, 90, 0.5));
  // Scanner: a fast sweep of well-known vulnerable paths.
  t = BASE_MS + (21 * 3600 + 37 * 60 + 12) * 1000; // 2026-03-02T21:37:12Z
  let scanEnd = t;
  for (const [method, path, status] of SCANNER) {
    add(t, SCANNER_IP, '-', method, path, status, status === 200 ? 5400 : logn(r, 560, 0.2), pick(r, SCANNER_UAS), '-', logn(r, 12, 0.6));
    scanEnd = t;
    t += int(r, 300, 4000);
  }
  const special = events.length;

  while (events.length < opts.accessRows) {
    const h = hourPick(r);
    const ms = BASE_MS + h * 3600000 + int(r, 0, 3599999);
    const x = r();
    let ip;
    let user;
    let ua;
    if (x < 0.62) {
      const ws = org.pickWorkstation(r);
      [ip, user, ua] = [ws.ip, ws.user, BROWSERS(r)];
    } else if (x < 0.8) {
      const rw = pick(r, remote);
      [ip, user, ua] = [rw.ip, rw.user, BROWSERS(r)];
    } else if (x < 0.82) {
      [ip, user, ua] = [SRV['SRV-APP01'].ip, 'svc_app', UA.sync];
    } else {
      [ip, user, ua] = [pick(r, visitors), '-', r() < 0.08 ? UA.googlebot : BROWSERS(r)];
    }
    const anonymous = user === '-';
    const [template, kind] = anonymous ? ANON_PATHS(r) : AUTH_PATHS(r);
    const path = template.replace('{p}', String(int(r, 1, 9))).replace('{n}', String(int(r, 10000, 48000)));
    let method = 'GET';
    let status = 200;
    let bytes = logn(r, 22000, 0.8);
    let rt = logn(r, 45, 0.9);
    if (kind === 'static') {
      if (r() < 0.35) { status = 304; bytes = 0; } else bytes = logn(r, 38000, 1.0);
      rt = logn(r, 6, 0.6);
    } else if (kind === 'redirect') {
      status = 301; bytes = 162;
    } else if (kind === 'missing') {
      status = 404; bytes = 1024;
    } else if (kind === 'admin' && !admins.has(user)) {
      status = 403; bytes = 860;
    } else if (kind === 'export') {
      if (r() < 0.12) { status = 500; bytes = 1250; rt = logn(r, 4200, 0.3); } else { bytes = logn(r, 450000, 0.9); rt = logn(r, 1300, 0.6); }
    } else if (kind === 'api' && r() < 0.1) {
      method = 'POST'; bytes = logn(r, 900, 0.5);
    }
    if (kind === 'login') {
      // Staff log in with a POST; a few mistype the password, which logs as anonymous 401.
      method = 'POST';
      rt = logn(r, 240, 0.3);
      if (r() < 0.06) { status = 401; bytes = 1480; user = '-'; } else bytes = 2210;
    }
    const ref = r() < 0.35 ? '-' : anonymous ? (r() < 0.5 ? 'https://www.google.com/' : `${PORTAL}/`) : `${PORTAL}/dashboard`;
    add(ms, ip, user, method, path, status, bytes, ua, ref, rt);
  }
  // Array.prototype.sort is stable, so rows with equal times keep generation order.
  events.sort((a, b) => a[0] - b[0]);
  const lines = [ACCESS_HEADER];
  for (const [ms, ...rest] of events) lines.push([`${new Date(ms).toISOString().slice(0, 19)}Z`, ...rest].map(csv).join(','));
  writeFileSync(join(opts.out, 'access_logs.csv'), `${lines.join('\n')}\n`);
  return {
    rows: events.length, special, victim, bruteFailures: 58, scannerRows: SCANNER.length,
    bruteEnd: new Date(bruteEnd).toISOString().slice(11, 19), scanEnd: new Date(scanEnd).toISOString().slice(11, 19),
    status: Object.entries(events.reduce((m, e) => ({ ...m, [e[5]]: (m[e[5]] ?? 0) + 1 }), {})).sort((a, b) => a[0] - b[0]),
  };
}

// ---------------------------------------------------------------- README

function writeReadme(opts, manifest, access, org) {
  const outRel = isAbsolute(opts.outArg) ? opts.outArg : relative(REPO_ROOT, resolve(REPO_ROOT, opts.outArg)) || '.';
  const feedArg = opts.feed === FEED_PATH ? '' : ` --feed ${opts.feed}`;
  const cmd = `node scripts/generate-examples.mjs --rows ${opts.rows} --access-rows ${opts.accessRows} --seed ${opts.seed} --out ${outRel}${feedArg}`;
  const byColumn = {};
  for (const x of manifest.injected) byColumn[`${x.column} (${x.source})`] = (byColumn[`${x.column} (${x.source})`] ?? 0) + 1;
  const L = [];
  L.push('# Example data');
  L.push('');
  L.push('Synthetic but realistic security data for trying CS Helper and for its tests. Everything here is');
  L.push('generated by `scripts/generate-examples.mjs` (this README too); do not edit by hand. The only real');
  L.push('data are the 40 threat indicators injected into `threat_data.csv`, taken from the bundled abuse.ch');
  L.push('feed (`assets/feeds/abuse-ch-bundled.csv`; provenance and licence in `assets/feeds/SOURCE.md`).');
  L.push('People, hosts and the company (`contoso`) are invented.');
  L.push('');
  L.push('Regenerate (byte-identical output for the same options and feed):');
  L.push('');
  L.push('```sh');
  L.push(cmd);
  L.push('```');
  L.push('');
  L.push('| File | What it is |');
  L.push('| --- | --- |');
  L.push(`| \`threat_data.csv\` | ${manifest.rows} firewall/proxy events, 2026-03-02T00:00Z to 2026-03-04T23:59Z |`);
  L.push('| `threat_data.injected.json` | ground truth: every injected indicator (row, line, column, value, source) and every anomaly |');
  L.push(`| \`access_logs.csv\` | ${access.rows} requests to the company web portal (portal.contoso.com) over the same three days |`);
  L.push('');
  L.push('All files: UTF-8, comma-separated, RFC 4180 quoting (fields with commas or double quotes are quoted,');
  L.push('quotes doubled), LF line ends, one header row, timestamps ISO 8601 UTC with `Z`, rows in time order.');
  L.push('');
  L.push('## threat_data.csv');
  L.push('');
  L.push('| Column | Meaning |');
  L.push('| --- | --- |');
  L.push('| `timestamp` | event time, `YYYY-MM-DDTHH:MM:SSZ`; more events in office hours (08-17 UTC) |');
  L.push(`| \`src_ip\` | internal host, 10.20.0.0/16: ${WORKSTATIONS} workstations (10.20.10-13.x) and ${SERVERS.length} servers (10.20.0.x, 10.20.1.x) |`);
  L.push('| `src_port` | ephemeral port 49152-65535 (0 for ICMP) |');
  L.push('| `dst_ip` | destination: public addresses in the ranges of the services named in `domain` (Microsoft, Google, GitHub, AWS, Cloudflare, ...) or internal servers |');
  L.push('| `dst_port`, `protocol` | consistent pairs: 443/80 TCP web, 53 UDP (some TCP) DNS, 88 UDP/TCP and 389/636 TCP auth, 445 SMB, 3389 RDP, 22 SSH, 3478-3481 UDP Teams media, 587 SMTP, 123 UDP NTP, 9100 print, 1433 SQL, 161 UDP SNMP |');
  L.push('| `action` | `allow`; `deny` is rare and mostly for odd outbound ports (23, 25, 135, 137, 1900, 6881, ...) and two blocked web categories |');
  L.push('| `bytes_sent`, `bytes_received` | integers, log-normal per traffic kind (sigma 0.25-1.2, truncated at 3 sigma); downloads carry the file size. Exfiltration rows exceed 2^31 |');
  L.push('| `duration_ms` | integer milliseconds, log-normal |');
  L.push(`| \`user\` | owner of the source host: ${USERS} staff as \`first.last\`, service accounts (\`svc_*\`) on servers |`);
  L.push('| `hostname` | `WS-nnnn` workstations, `SRV-...` servers; fixed mapping to `src_ip` and `user` |');
  L.push('| `domain` | requested host for `web_request`/`file_download`, queried name for `dns_query`; empty otherwise |');
  L.push('| `url` | full URL for `web_request`/`file_download` (`https://` or `http://` for CRL/OCSP/update), empty otherwise |');
  L.push('| `file_hash` | `file_download` only: lower-case SHA-256 of the file (random, not in any feed); an injected row may carry an MD5 |');
  L.push('| `event_type` | `web_request`, `file_download`, `dns_query`, `connection`, `auth` |');
  L.push('');
  L.push('Event mix for workstations: about 56% web requests, 20% DNS, 14% other connections, 6% auth');
  L.push('(Kerberos/LDAP to the domain controllers) and 4% file downloads. Servers generate about a tenth of');
  L.push('all events around the clock (DNS forwarding, NTP, SNMP, app-to-SQL, backups to S3, updates), so');
  L.push('at night they dominate.');
  L.push('');
  L.push('### Injected indicators (real, from the bundled feed)');
  L.push('');
  L.push(`Exactly ${manifest.injected_rows} rows carry a value from \`assets/feeds/abuse-ch-bundled.csv\`; no other row does (the`);
  L.push('generator checks `src_ip`, `dst_ip`, `domain`, `url` and `file_hash` of every row against the feed');
  L.push('and fails otherwise). The rows are spread over the three days, one per 1/40 of the file. A row');
  L.push('can match in two columns (a URL and its host), so the JSON lists one entry per matching cell:');
  L.push('');
  L.push('| Column (source) | Cells |');
  L.push('| --- | ---: |');
  for (const [k, v] of Object.entries(byColumn).sort()) L.push(`| ${k} | ${v} |`);
  L.push(`| **total cells** | ${manifest.injected.length} |`);
  L.push('');
  L.push('How they appear: Feodo Tracker (Pikabot) C2 IPs as `dst_ip` of outbound `connection` rows on');
  L.push('443/447/449/2078/2222/8080 (3 of them denied); URLhaus and ViriBack URLs as `web_request` rows (host');
  L.push('in `domain` when it is a name; when it is an IP, that IP is `dst_ip`, which is not itself in the feed);');
  L.push('MalwareBazaar SHA-256 and MD5 hashes as `file_download` rows fetched from Discord or Dropbox links;');
  L.push('feed domains as `dns_query` rows; ViriBack panel IPs as `dst_ip` of `connection` rows. For a URL with a');
  L.push('named host, `dst_ip` is a CDN/hosting address that is not in the feed.');
  L.push('');
  L.push('| Row | Line | Column | Value | Source |');
  L.push('| ---: | ---: | --- | --- | --- |');
  for (const x of manifest.injected) L.push(`| ${x.row} | ${x.line} | ${x.column} | \`${x.value}\` | ${x.source} |`);
  L.push('');
  L.push('`row` is the 0-based data row, `line` the 1-based line in the file including the header.');
  L.push('');
  L.push('### Anomalies (synthetic, documented)');
  L.push('');
  const anomalyRows = manifest.anomalies.reduce((a, x) => a + x.rows.length, 0);
  L.push(`${anomalyRows} rows (${((100 * anomalyRows) / manifest.rows).toFixed(2)}% of the file), none carrying a feed value:`);
  L.push('');
  for (const a of manifest.anomalies) {
    const span = a.rows.length > 6 ? `${a.rows.length} rows, ${a.rows[0]}-${a.rows[a.rows.length - 1]}` : `rows ${a.rows.join(', ')}`;
    L.push(`- **${a.kind}** (${span}): ${a.description}`);
  }
  L.push('');
  L.push('### Bigger files for benchmarks');
  L.push('');
  L.push('`--rows N` keeps the shape (same hosts, users, three days, same diurnal curve, so density grows');
  L.push('with N). Injected indicators stay fixed at 40 rows, and the exfiltration (5), ICMP (3) and drop');
  L.push('(2) anomalies stay fixed; only the burst scales, to 0.4% of the rows (at least 40), so that it still');
  L.push('stands out when every host is busier. Example: `node scripts/generate-examples.mjs --rows 1000000 --out /tmp/big`');
  L.push('(the other files are written there too).');
  L.push('');
  L.push('## access_logs.csv');
  L.push('');
  L.push('| Column | Meaning |');
  L.push('| --- | --- |');
  L.push('| `timestamp` | request time, `YYYY-MM-DDTHH:MM:SSZ` |');
  L.push('| `client_ip` | workstation (10.20.x.x), remote employee (public IP), anonymous visitor, or the monitoring server |');
  L.push('| `user` | authenticated user (`first.last`, `svc_app`), `-` when anonymous or not yet logged in |');
  L.push('| `method` | `GET`, `POST` |');
  L.push('| `path` | request path with query string, as received (may contain quotes and `..`) |');
  L.push(`| \`status\` | HTTP status; counts: ${access.status.map(([s, c]) => `${s}: ${c}`).join(', ')} |`);
  L.push('| `bytes` | response size (0 for 304) |');
  L.push('| `user_agent` | browser or tool; most contain commas (`KHTML, like Gecko`) and one internal tool has double quotes, so these fields are quoted |');
  L.push('| `referrer` | `-` or a URL |');
  L.push('| `response_ms` | server time in milliseconds |');
  L.push('');
  L.push('What to find:');
  L.push('');
  L.push(`- **Brute force then success**: ${access.bruteFailures} \`POST /login\` with status 401 from ${BRUTE_IP} (curl) from`);
  L.push(`  2026-03-03T02:14:05Z, then at ${access.bruteEnd}Z a 200 login as \`${access.victim}\` and a \`GET /dashboard\` from the same IP.`);
  L.push(`- **Scanner**: ${access.scannerRows} requests from ${SCANNER_IP} on 2026-03-02 between 21:37:12Z and ${access.scanEnd}Z (sqlmap/Nmap/Nikto agents) for`);
  L.push('  `/wp-login.php`, `/.env`, `/.git/config`, `/../../etc/passwd`, `?id=1\' OR \'1\'=\'1`, an XSS probe, etc.;');
  L.push('  mostly 404/403/400, one path-traversal probe returns 500 and one `/login?next=...` returns 200.');
  L.push('- Background noise: occasional 401s from staff mistyping passwords, 403 for non-admins on');
  L.push('  `/admin/users`, 404 for an old intranet page, 500s on the CSV export endpoint, 304s for cached assets,');
  L.push('  a health check every 30 minutes from SRV-MON01.');
  L.push('');
  L.push('Attacker addresses in both files (159.223.47.112, 139.59.188.21, 188.166.93.40, 146.190.37.21,');
  L.push('167.99.201.88) are arbitrary cloud-hosting addresses chosen for this fiction; they are not known');
  L.push('to be malicious. Other public addresses are drawn from the named providers\' ranges.');
  L.push('');
  L.push(`Layout (seed ${opts.seed}): exfiltration host ${org.exfilHost.hostname}, burst host ${org.burstHost.hostname}, rare-value host ${org.rareHost.hostname}.`);
  L.push('');
  writeFileSync(join(opts.out, 'README.md'), L.join('\n'));
}

// ---------------------------------------------------------------- main

function parseOptions() {
  const { values } = parseArgs({
    options: {
      rows: { type: 'string' }, 'access-rows': { type: 'string' }, out: { type: 'string' }, seed: { type: 'string' },
      feed: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    console.log('usage: node scripts/generate-examples.mjs [--rows N] [--access-rows N] [--out DIR] [--seed S]\n'
      + `  --rows N         threat_data.csv data rows (default ${DEFAULTS.rows}, minimum 1000)\n`
      + `  --access-rows N  access_logs.csv data rows (default ${DEFAULTS.accessRows}, minimum 500)\n`
      + `  --out DIR        output folder (default ${DEFAULTS.out}, relative to the repository root)\n`
      + `  --seed S         PRNG seed, integer (default ${DEFAULTS.seed})\n`
      + `  --feed FILE      indicator feed CSV (default ${relative(REPO_ROOT, FEED_PATH)})`);
    return null;
  }
  const num = (name, v, def, min) => {
    if (v === undefined) return def;
    if (!/^\d+$/.test(v) || Number(v) < min) throw new Error(`--${name} must be an integer >= ${min}, got "${v}"`);
    return Number(v);
  };
  const outArg = values.out ?? DEFAULTS.out;
  return {
    rows: num('rows', values.rows, DEFAULTS.rows, 1000),
    accessRows: num('access-rows', values['access-rows'], DEFAULTS.accessRows, 500),
    seed: num('seed', values.seed, DEFAULTS.seed, 0) >>> 0,
    outArg,
    out: resolve(REPO_ROOT, outArg),
    feed: values.feed === undefined ? FEED_PATH : resolve(values.feed),
  };
}

async function main() {
  const started = process.hrtime.bigint();
  const opts = parseOptions();
  if (opts === null) return;
  const feed = loadFeed(opts.feed);
  const avoid = new Set(feed.rows.filter((x) => x.type === 'ip').map((x) => x.value));
  for (const ip of [EXFIL_DST, ICMP_DST, DROP_DST, BRUTE_IP, SCANNER_IP]) {
    if (avoid.has(ip)) throw new Error(`anomaly address ${ip} is in the feed; choose another`);
    avoid.add(ip);
  }
  mkdirSync(opts.out, { recursive: true });
  const org = buildOrg(opts.seed);
  const cat = buildCatalog(opts.seed, avoid);
  const manifest = await writeThreatData(opts, feed, org, cat, avoid);
  const access = writeAccessLogs(opts, org, avoid);
  writeReadme(opts, manifest, access, org);
  const secs = Number(process.hrtime.bigint() - started) / 1e9;
  console.log(`wrote ${opts.out}: threat_data.csv (${manifest.rows} rows, ${manifest.injected_rows} injected rows, `
    + `${manifest.injected.length} indicator cells), access_logs.csv (${access.rows} rows), README.md in ${secs.toFixed(2)} s`);
}

main().catch((err) => {
  console.error(`generate-examples: ${err.message}`);
  process.exitCode = 1;
});
