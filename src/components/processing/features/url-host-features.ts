// The URL features of the phishing dataset that depend on how its authors split a URL: urllib's hostname and
// tldextract's (subdomain, domain, suffix), reproduced here with tldts (ICANN section of the public suffix list, as
// tldextract's default). Runs in JS on distinct URLs only; the results are written back to the engine in bulk.
// Definitions (feature_extractor.py / url_features.py of doi:10.17632/c2gw7fy2j4.3):
//   length_hostname = len(urlsplit(url).hostname)
//   words_raw = split domain, subdomain and the path after the suffix on - . / ? = @ & % : _, empty words dropped
//   nb_www / nb_com = number of words containing `www` / `com`
//   http_in_path = occurrences of `http` in the text from the first `/` after the first occurrence of the suffix
import { parse } from 'tldts';

export const URL_HOST_FEATURES = ['length_hostname', 'nb_www', 'nb_com', 'http_in_path'] as const;
export type UrlHostFeatures = Record<(typeof URL_HOST_FEATURES)[number], number | null>;

/** Longest URL looked at: longer values are hostile or broken, and a feature of them would mean nothing. */
export const MAX_URL_LENGTH = 8192;

const WORD_SEPARATORS = /[-./?=@&%:_]/;
const SCHEME_PREFIX = /^[A-Za-z0-9+.-]*:?\/\//;
const IPV4 = /^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$/;
const URLSPLIT_NETLOC = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/([^/?#]*)/;

interface SuffixSplit {
  readonly subdomain: string;
  readonly domain: string;
  readonly suffix: string;
}

/** tldextract.extract(url): the host (scheme, path, user info and port cut away), split at its public suffix. */
export function splitLikeTldextract(url: string): SuffixSplit {
  const afterScheme = url.replace(SCHEME_PREFIX, '');
  const host = (afterScheme.split(/[/?#]/, 1)[0] ?? '').split('@').pop() ?? '';
  const netloc = (host.split(':', 1)[0] ?? '').trim().replace(/\.+$/, '');
  if (IPV4.test(netloc)) return { subdomain: '', domain: netloc, suffix: '' };
  const labels = netloc.split('.');
  const suffixLabels = icannSuffixLabels(netloc.toLowerCase());
  if (suffixLabels >= labels.length) return { subdomain: '', domain: '', suffix: suffixLabels === 0 ? '' : labels.join('.') };
  const domainIndex = labels.length - suffixLabels - 1;
  return { subdomain: labels.slice(0, domainIndex).join('.'), domain: labels[domainIndex] ?? '', suffix: labels.slice(domainIndex + 1).join('.') };
}

/** urllib.parse.urlsplit(url).hostname: lower-cased, without user info, port or IPv6 brackets; null without `scheme://`. */
export function hostnameLikeUrlsplit(url: string): string | null {
  const netloc = URLSPLIT_NETLOC.exec(url)?.[1];
  if (netloc === undefined) return null;
  const host = netloc.slice(netloc.lastIndexOf('@') + 1);
  const bracket = host.indexOf('[');
  const name = bracket >= 0 ? host.slice(bracket + 1, host.indexOf(']') < 0 ? undefined : host.indexOf(']')) : (host.split(':', 1)[0] ?? '');
  return name === '' ? null : name.toLowerCase();
}

/** Distinct URLs share few hosts: the suffix lookups are remembered, up to a bound that hostile input cannot pass. */
const suffixLabelsByHost = new Map<string, number>();
const MAX_REMEMBERED_HOSTS = 100_000;

/** Labels of the ICANN public suffix of `host`; 0 when only the list's default `*` rule matches (no suffix for tldextract). */
function icannSuffixLabels(host: string): number {
  const known = suffixLabelsByHost.get(host);
  if (known !== undefined) return known;
  const parsed = parse(host, { allowPrivateDomains: false, extractHostname: false });
  const labels = parsed.isIcann === true && parsed.publicSuffix !== null ? parsed.publicSuffix.split('.').length : 0;
  if (suffixLabelsByHost.size >= MAX_REMEMBERED_HOSTS) suffixLabelsByHost.clear();
  suffixLabelsByHost.set(host, labels);
  return labels;
}

function occurrences(text: string, needle: string): number {
  return text.split(needle).length - 1;
}

function words(text: string): string[] {
  return text.toLowerCase().split(WORD_SEPARATORS).filter((word) => word !== '');
}

export function urlHostFeatures(url: string): UrlHostFeatures {
  if (url.length > MAX_URL_LENGTH) return { length_hostname: null, nb_www: null, nb_com: null, http_in_path: null };
  const { subdomain, domain, suffix } = splitLikeTldextract(url);
  // As the authors wrote it: from the first place the suffix text appears (which may be inside the domain), then its first `/`.
  const fromSuffix = url.slice(url.indexOf(suffix) < 0 ? 0 : url.indexOf(suffix));
  const slash = fromSuffix.indexOf('/');
  const path = slash < 0 ? '' : fromSuffix.slice(slash);
  const raw = [...words(domain), ...words(path.slice(1)), ...words(subdomain)];
  const hostname = hostnameLikeUrlsplit(url);
  return {
    // Code points, as Python's len() counts them (not UTF-16 units, not graphemes).
    length_hostname: hostname === null ? null : Array.from(hostname).length,
    nb_www: raw.filter((w) => w.includes('www')).length,
    nb_com: raw.filter((w) => w.includes('com')).length,
    http_in_path: occurrences(path, 'http'),
  };
}
