// Indicator types and how a raw feed value is recognised and normalised (refanged, trimmed, lower-cased where case is noise).
import { MD5, SHA1, SHA256, URL_VALUE, isIp, looksLikeDomain } from '../data/value-patterns.js';

export const IndicatorType = { ip: 'ip', domain: 'domain', url: 'url', md5: 'md5', sha1: 'sha1', sha256: 'sha256' } as const;
export type IndicatorType = (typeof IndicatorType)[keyof typeof IndicatorType];
export const INDICATOR_TYPES: readonly IndicatorType[] = Object.values(IndicatorType);

const HXXP_START = /^\s*hxxp/i;

/** Undoes the usual defanging of shared indicators: hxxp://, [.], (dot), [:]. */
export function refang(value: string): string {
  // Most values carry no defanging at all: a bracket, a parenthesis or an `hxxp` start is in every form undone below.
  if (!value.includes('[') && !value.includes('(') && !HXXP_START.test(value)) return value.trim();
  return value
    .trim()
    .replace(/^hxxp/i, 'http')
    .replace(/\[\.\]|\(\.\)|\(dot\)|\[dot\]/gi, '.')
    .replace(/\[:\]/g, ':')
    .replace(/\[\/\]/g, '/');
}

/** The canonical form used on both sides of a match: feeds and data are normalised the same way. */
export function normaliseIndicator(type: IndicatorType, value: string): string {
  const v = refang(value);
  switch (type) {
    case 'url':
      return v.toLowerCase().replace(/\/+$/, '');
    case 'ip':
    case 'domain':
      return v.toLowerCase().replace(/\.$/, '');
    default:
      return v.toLowerCase();
  }
}

export function classifyIndicator(raw: string): IndicatorType | null {
  const value = refang(raw);
  if (value === '' || value.length > 2048) return null;
  if (isIp(value)) return 'ip';
  if (URL_VALUE.test(value)) return 'url';
  if (MD5.test(value)) return 'md5';
  if (SHA1.test(value)) return 'sha1';
  if (SHA256.test(value)) return 'sha256';
  if (looksLikeDomain(value)) return 'domain';
  return null;
}

export function isIndicatorType(value: string): value is IndicatorType {
  return (INDICATOR_TYPES as readonly string[]).includes(value);
}
