// OpenIOC 1.0 (`<ioc>`, schemas.mandiant.com/2010/ioc) and 1.1 (`<OpenIOC>`, openioc.org/schemas/OpenIOC_1.1):
// each IndicatorItem whose condition is `is` on an IP, domain, URL or hash term becomes an indicator; other terms
// (file names, registry keys, process arguments) and other conditions are counted as unsupported, since one value
// cannot stand for them. saxes expands no external entity (no XXE).
import { SaxesParser } from 'saxes';
import { InputFileError } from '../../model/errors/input-file-error.js';
import { IndicatorCollector, type CollectedFeed, type FeedIndicatorType } from './feed-indicator.js';

const MAX_DEPTH = 256;
const MAX_CONTENT_CHARS = 8192;

/** The last part of a Context `search` path, lower-cased, to the indicator type it holds. */
const TERMS: Readonly<Record<string, FeedIndicatorType>> = {
  md5sum: 'md5',
  md5: 'md5',
  sha1sum: 'sha1',
  sha1: 'sha1',
  sha256sum: 'sha256',
  sha256: 'sha256',
  remoteip: 'ip',
  localip: 'ip',
  ip: 'ip',
  ipv4: 'ip',
  ipv6: 'ip',
  remoteipaddress: 'ip',
  host: 'domain',
  recordname: 'domain',
  hostname: 'domain',
  dnshostname: 'domain',
  uri: 'url',
  url: 'url',
  requesturl: 'url',
};

export function isOpenIoc(text: string): boolean {
  const head = text.slice(0, 4096);
  return /<(?:[a-z0-9]+:)?(?:OpenIOC|ioc)\b[^>]*xmlns(?::[a-z0-9]+)?="http:\/\/(?:openioc\.org\/schemas\/OpenIOC_1\.1|schemas\.mandiant\.com\/2010\/ioc)"/i.test(head);
}

export function readOpenIoc(text: string, source: string, display: string): CollectedFeed {
  const collector = new IndicatorCollector(source);
  const parser = new SaxesParser({ xmlns: false, position: true });
  const stack: string[] = [];
  let description = '';
  let item: { condition: string; negate: boolean; search: string; contentType: string; content: string } | null = null;
  let inContent = false;
  let inDescription = false;
  let lastModified: string | null = null;
  const reported: { error: Error | null } = { error: null };
  parser.on('error', (error) => {
    reported.error ??= error;
  });
  parser.on('opentag', (tag) => {
    const name = localName(tag.name).toLowerCase();
    stack.push(name);
    if (stack.length > MAX_DEPTH) throw new InputFileError(display, 'malformed', `elements nested over ${MAX_DEPTH} deep`);
    const attribute = (key: string): string => (typeof tag.attributes[key] === 'string' ? tag.attributes[key] : '');
    if ((name === 'openioc' || name === 'ioc') && stack.length === 1) lastModified = attribute('last-modified') || null;
    else if (name === 'short_description') inDescription = true;
    else if (name === 'indicatoritem') item = { condition: attribute('condition').toLowerCase(), negate: attribute('negate') === 'true', search: '', contentType: '', content: '' };
    else if (name === 'context' && item !== null) item.search = attribute('search');
    else if (name === 'content' && item !== null) {
      item.contentType = attribute('type').toLowerCase();
      inContent = true;
    }
  });
  parser.on('text', (chunk) => {
    if (inContent && item !== null && item.content.length < MAX_CONTENT_CHARS) item.content += chunk;
    else if (inDescription && description.length < 256) description += chunk;
  });
  parser.on('closetag', (tag) => {
    const name = localName(tag.name).toLowerCase();
    stack.pop();
    if (name === 'content') inContent = false;
    else if (name === 'short_description') inDescription = false;
    else if (name === 'indicatoritem' && item !== null) {
      addItem(collector, item, description.trim(), lastModified);
      item = null;
    }
  });
  try {
    parser.write(text).close();
  } catch (error) {
    if (error instanceof InputFileError) throw error;
    if (reported.error === null) throw error;
  }
  if (reported.error !== null) throw new InputFileError(display, 'malformed', `not well-formed XML (${reported.error.message})`, { hint: 'an OpenIOC file is XML; export it again from its source' });
  return collector.finish('openioc');
}

function addItem(collector: IndicatorCollector, item: { condition: string; negate: boolean; search: string; contentType: string; content: string }, family: string, seen: string | null): void {
  const term = item.search.split('/').pop()?.toLowerCase() ?? '';
  const type = TERMS[term] ?? (item.contentType === 'md5' || item.contentType === 'ip' ? item.contentType : undefined);
  if (type === undefined) {
    collector.count(collector.unsupported, `term ${item.search.slice(0, 60)}`);
    return;
  }
  if (item.condition !== 'is' || item.negate) {
    collector.count(collector.unsupported, `condition ${item.negate ? 'not ' : ''}${item.condition.slice(0, 20)}`);
    return;
  }
  // A URI term may hold a bare host or path; only full URLs are URL indicators, the rest classify themselves.
  const value = item.content.trim();
  collector.add(value, { type: type === 'url' && !/^[a-z]{3,5}:\/\//i.test(value) ? null : type, malwareFamily: family || null, firstSeen: seen, threatType: 'openioc' });
}

function localName(name: string): string {
  const colon = name.indexOf(':');
  return colon < 0 ? name : name.slice(colon + 1);
}
