// Indicators in one piece of free text (a command line, a description, a raw log line): IPv4/IPv6, domains (only
// under a real public suffix, so `cmd.exe` and `invoice.pdf` are not domains), URLs, e-mail addresses, MD5/SHA-1/
// SHA-256, CVE ids and ATT&CK technique ids, defanged forms refanged. tldts holds the public suffix list in the
// package (no download).
//
// The patterns are the engine's (text-patterns.ts), run here with JS regular expressions on tokens: indicators hold no
// whitespace, quotes or brackets, so the text is split on those first and each token is cut at MAX_TOKEN_CHARS. That
// bounds any backtracking to one short token (re2-wasm was measured instead: each exec copies the whole text into
// WebAssembly, 165 s for the 8,192 matches in 64 KB of `1.1.`; the ioc-extractor package, 0.3-0.5 ms a line and 2.2 s
// on 16 KB of dots, was measured and left out).
import ipaddr from 'ipaddr.js';
import { parse } from 'tldts';
import { IPV4 } from '../../data/value-patterns.js';
import { MAX_TEXT_CHARS, REFANGS, TEXT_PATTERNS, type TextPatternKind } from './text-patterns.js';

export interface ExtractedIndicators {
  readonly ipv4: string[];
  readonly ipv6: string[];
  readonly domains: string[];
  readonly urls: string[];
  readonly emails: string[];
  readonly md5: string[];
  readonly sha1: string[];
  readonly sha256: string[];
  readonly cves: string[];
  readonly attackTechniques: string[];
}

/** Each value at most once per text, at most this many of a kind. */
const MAX_PER_KIND = 1000;
/** Longest token scanned: longer runs without a separator are cut (a URL longer than this is cut too). */
const MAX_TOKEN_CHARS = 2048;
const SEPARATORS = /[\s"'<>()[\]{}|\\^`]+/;

const COMPILED: readonly (readonly [TextPatternKind, RegExp])[] = TEXT_PATTERNS.map(([kind, pattern]) => [kind, new RegExp(pattern, 'g')] as const);

export function refangText(text: string): string {
  let out = text.slice(0, MAX_TEXT_CHARS).toLowerCase();
  for (const [from, to] of REFANGS) out = out.replaceAll(from, to);
  return out;
}

export function extractIndicators(text: string): ExtractedIndicators {
  const clean = refangText(text);
  const found = Object.create(null) as Record<TextPatternKind, Set<string>>;
  for (const [kind] of COMPILED) found[kind] = new Set();
  for (const token of clean.split(SEPARATORS)) {
    if (token.length < 4) continue;
    const bounded = token.slice(0, MAX_TOKEN_CHARS);
    for (const [kind, re] of COMPILED) {
      if (found[kind].size >= MAX_PER_KIND) continue;
      for (const match of bounded.match(re) ?? []) found[kind].add(match);
    }
  }
  const urls = [...found.url].map((u) => u.replace(/[.,;:!?]+$/, ''));
  // A URL's or e-mail's host is reported as a domain too; a host inside a URL is not reported twice.
  const domains = new Set<string>();
  for (const host of [...found.host, ...urls.map(urlHostOf), ...[...found.email].map((e) => e.slice(e.indexOf('@') + 1))]) {
    if (isPublicDomain(host)) domains.add(host);
  }
  const hashes = [...found.hash];
  return {
    ipv4: bounded([...found.ipv4].filter((v) => IPV4.test(v))),
    ipv6: bounded([...found.ipv6].filter((v) => v.includes(':') && v.length >= 3 && ipaddr.IPv6.isValid(v) && v !== '::')),
    domains: bounded([...domains]),
    urls: bounded(urls),
    emails: bounded([...found.email].filter((e) => isPublicDomain(e.slice(e.indexOf('@') + 1)))),
    md5: bounded(hashes.filter((h) => h.length === 32)),
    sha1: bounded(hashes.filter((h) => h.length === 40)),
    sha256: bounded(hashes.filter((h) => h.length === 64)),
    cves: bounded([...found.cve].map((c) => c.toUpperCase())),
    attackTechniques: bounded([...found.attack].map((t) => t.toUpperCase())),
  };
}

/** A registrable domain under a listed public suffix (ICANN or private), not an IP address. */
function isPublicDomain(host: string): boolean {
  if (host === '' || IPV4.test(host)) return false;
  const parsed = parse(host, { allowPrivateDomains: true });
  return parsed.domain !== null && parsed.isIp !== true && (parsed.isIcann === true || parsed.isPrivate === true);
}

function urlHostOf(url: string): string {
  const authority = url.replace(/^[a-z]{3,5}:\/\//, '').split(/[/?#]/, 1)[0] ?? '';
  return (authority.includes('@') ? authority.slice(authority.lastIndexOf('@') + 1) : authority).replace(/:\d{1,5}$/, '').replace(/\.$/, '');
}

function bounded(values: string[]): string[] {
  return values.slice(0, MAX_PER_KIND);
}
