// Registered domain and public suffix of a host name, with tldts (the public suffix list bundled in the package:
// nothing is fetched). The private section is on, so `x.ddns.net` is its own registered domain: dynamic-DNS and hosting
// names are what an analyst needs apart. Runs in JS on distinct values only.
import { parse } from 'tldts';

/** Longest host name DNS allows (RFC 1035); anything longer is not a domain and gets no parts. */
export const MAX_DOMAIN_LENGTH = 253;

export interface DomainParts {
  /** The host name as compared: lower case, no trailing dot, no port. */
  readonly host: string | null;
  readonly registeredDomain: string | null;
  readonly tld: string | null;
}

const NO_PARTS: DomainParts = { host: null, registeredDomain: null, tld: null };

/** Distinct values share few hosts (URLs of one site): parts are remembered per host, up to a bound. */
const partsByHost = new Map<string, DomainParts>();
const MAX_REMEMBERED_HOSTS = 100_000;

/** Parts of a host name already cut out of a URL (`hostnameLikeUrlsplit`), remembered per host. */
export function hostParts(host: string): DomainParts {
  const known = partsByHost.get(host);
  if (known !== undefined) return known;
  const parts = domainParts(host);
  if (partsByHost.size >= MAX_REMEMBERED_HOSTS) partsByHost.clear();
  partsByHost.set(host, parts);
  return parts;
}

/** Parts of a domain value, or of the host of a URL value (`https://a.b.example.co.uk:8443/x` -> example.co.uk, co.uk). */
export function domainParts(value: string): DomainParts {
  const text = value.trim();
  if (text === '' || text.length > 4 * MAX_DOMAIN_LENGTH) return NO_PARTS;
  const parsed = parse(text, { allowPrivateDomains: true });
  const host = parsed.hostname?.replace(/\.+$/, '') ?? null;
  if (host === null || host === '' || host.length > MAX_DOMAIN_LENGTH) return NO_PARTS;
  if (parsed.isIp === true) return { host, registeredDomain: null, tld: null };
  return { host, registeredDomain: parsed.domain, tld: parsed.publicSuffix };
}
