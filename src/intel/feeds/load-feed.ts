// Reads one feed file of any supported format: sniffs the format from the content, hands it to its loader, and
// refuses (naming the file) what is too large, binary, malformed or holds no indicator.
import { readFile, stat } from 'node:fs/promises';
import { archiveFormat, archiveMember, readMemberHead } from '../../data/archive/archive-member.js';
import { basename, dirname, join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { deepFreeze } from '../../data/deep-freeze.js';
import { fileIdentityOf } from '../../data/file-identity.js';
import { InputFileError } from '../../model/errors/input-file-error.js';
import { readAbuseChCsv } from './abuse-ch-csv.js';
import { IndicatorCollector, type CollectedFeed, type FeedIndicator } from './feed-indicator.js';
import { isMispManifest, mispEventsOf, readMispEvents, UUID } from './misp-event.js';
import { isOpenIoc, readOpenIoc } from './openioc.js';
import { isTypedColumnCsv, isValueCsv, readPlainList, readValueCsv } from './plain-list.js';
import { isStixBundle, readStixBundle } from './stix-bundle.js';

export const MAX_FEED_FILE_BYTES = 512 * 1024 * 1024;
/** JSON is parsed whole: a smaller bound than for line formats. */
export const MAX_JSON_FEED_BYTES = 256 * 1024 * 1024;
/** A web address (`https://...`, `ftp://...`) given where a feed file's path was expected. */
const WEB_ADDRESS = /^[a-z][a-z0-9+.-]{1,15}:\/\//i;
const MAX_MANIFEST_EVENTS = 10_000;

export interface LoadFeedOptions {
  /** Shown in messages; defaults to the path. */
  readonly display?: string;
  /** Source name for every indicator (`--name`); otherwise the feed's own (abuse.ch/urlhaus) or `feed:<file name>`. */
  readonly name?: string | null;
}

/**
 * Feeds already read in this process, by path and display name, with the file's identity when it was read: a
 * long-lived process (the MCP server, a batch, a worker) matches against the same feed file run after run, and
 * parsing and normalising 200k indicators costs ~1.5-2 s each time. A file whose size, times or inode changed is read
 * again; a MISP manifest (whose events are other files) is never kept. At most MAX_KEPT_INDICATORS are kept, the
 * oldest feeds dropped first. What is kept is frozen: every run shares it.
 */
const kept = new Map<string, { readonly identity: string; readonly feed: CollectedFeed }>();
const MAX_KEPT_INDICATORS = 2_000_000;

export async function loadFeed(path: string, options: LoadFeedOptions = {}): Promise<CollectedFeed> {
  const display = options.display ?? path;
  const key = `${path}\0${display}`;
  const identity = await fileIdentityOf(path);
  const known = kept.get(key);
  const feed = known !== undefined && known.identity === identity ? known.feed : await readAndKeep(path, display, key, identity);
  const name = options.name?.trim();
  return name === undefined || name === '' ? feed : { ...feed, indicators: feed.indicators.map((i): FeedIndicator => ({ ...i, source: name })) };
}

async function readAndKeep(path: string, display: string, key: string, identity: string | null): Promise<CollectedFeed> {
  const text = await readFeedText(path, display);
  const feed = await parseFeed(text, `feed:${basename(display)}`, path, display);
  if (feed.indicators.length === 0) {
    throw new InputFileError(display, 'empty', `no indicators found in the ${feed.format} feed`, {
      hint: `a feed lists IPs, ranges, domains, URLs or hashes (plain list, abuse.ch CSV, MISP, STIX 2.1 or OpenIOC)${feed.skippedExamples.length > 0 ? `; unrecognised: ${feed.skippedExamples.join(', ')}` : ''}`,
    });
  }
  if (identity === null || feed.format === 'misp-manifest' || feed.indicators.length > MAX_KEPT_INDICATORS) return feed;
  kept.delete(key);
  kept.set(key, { identity, feed: deepFreeze(feed) });
  let total = 0;
  for (const entry of kept.values()) total += entry.feed.indicators.length;
  for (const [oldest, entry] of kept) {
    if (total <= MAX_KEPT_INDICATORS) break;
    total -= entry.feed.indicators.length;
    kept.delete(oldest);
  }
  return feed;
}

async function parseFeed(text: string, source: string, path: string, display: string): Promise<CollectedFeed> {
  const start = text.trimStart();
  if (start.startsWith('{') || start.startsWith('[')) {
    if (text.length > MAX_JSON_FEED_BYTES) throw new InputFileError(display, 'too-large', `JSON feed of ${text.length} characters is over the ${MAX_JSON_FEED_BYTES} limit`);
    const document = parseJson(text, display);
    if (isStixBundle(document)) return readStixBundle(document, source);
    const events = mispEventsOf(document);
    if (events !== null) return readMispEvents(events, source);
    if (isMispManifest(document)) return readManifest(document, source, path, display);
    throw new InputFileError(display, 'unsupported', 'JSON that is neither a STIX 2.1 bundle, a MISP event nor a MISP feed manifest', { hint: 'JSON feeds are STIX 2.1 bundles ({"type": "bundle"}), MISP events ({"Event": ...}) or a MISP manifest.json' });
  }
  if (start.startsWith('<')) {
    if (!isOpenIoc(text)) throw new InputFileError(display, 'unsupported', 'XML that is not OpenIOC 1.0 or 1.1', { hint: 'XML feeds are OpenIOC 1.0 (<ioc>) or 1.1 (<OpenIOC>) files' });
    return readOpenIoc(text, source, display);
  }
  if (isValueCsv(text)) return readValueCsv(text, source);
  return readAbuseChCsv(text) ?? (isTypedColumnCsv(text) ? readValueCsv(text, source) : readPlainList(text, source));
}

async function readManifest(manifest: Readonly<Record<string, unknown>>, source: string, path: string, display: string): Promise<CollectedFeed> {
  const collector = new IndicatorCollector(source);
  // Only uuid-named files beside the manifest: a key can never name a path elsewhere.
  const uuids = Object.keys(manifest).filter((k) => UUID.test(k)).slice(0, MAX_MANIFEST_EVENTS);
  const events: Readonly<Record<string, unknown>>[] = [];
  for (const uuid of uuids) {
    let text: string;
    try {
      text = await readFeedText(join(dirname(path), `${uuid.toLowerCase()}.json`), `${uuid}.json`);
    } catch {
      collector.count(collector.unsupported, 'manifest event file missing');
      continue;
    }
    const found = mispEventsOf(parseJson(text, join(dirname(display), `${uuid}.json`)));
    if (found === null) collector.count(collector.unsupported, 'manifest event file not a MISP event');
    else events.push(...found);
  }
  const feed = readMispEvents(events, source, collector);
  return { ...feed, format: 'misp-manifest' };
}

async function readFeedText(path: string, display: string): Promise<string> {
  let size: number;
  try {
    const info = await stat(path);
    if (info.isDirectory()) {
      throw new InputFileError(display, 'unsupported', 'a folder, not a feed file', { hint: `name the feed files in it, e.g. \`cs-helper feeds import ${join(display, '*.csv')}\`` });
    }
    if (!info.isFile()) throw new InputFileError(display, 'unsupported', 'not a regular file (a device, a pipe or a socket)', { hint: 'a feed is a file: a text list, abuse.ch CSV, MISP or STIX JSON, or OpenIOC XML' });
    size = info.size;
  } catch (error) {
    if (error instanceof InputFileError) throw error;
    // A web address where a file was expected: nothing is downloaded unless asked, so say how to ask.
    const hint = WEB_ADDRESS.test(display) ? `feeds are read from files; \`cs-helper feeds import --fetch ${display}\` downloads and imports it (the only command that uses the network), and later runs match it` : undefined;
    throw new InputFileError(display, 'not-found', 'no such feed file', hint === undefined ? { cause: error } : { cause: error, hint });
  }
  if (size > MAX_FEED_FILE_BYTES) throw new InputFileError(display, 'too-large', `feed of ${size} bytes is over the ${MAX_FEED_FILE_BYTES}-byte limit`);
  let bytes: Buffer = await readFile(path);
  if (archiveFormat(bytes) === 'zip') bytes = await zippedFeed(path, display, size);
  else if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      bytes = gunzipSync(bytes, { maxOutputLength: MAX_FEED_FILE_BYTES });
    } catch (error) {
      throw new InputFileError(display, 'malformed', 'a damaged or too large gzip feed', { cause: error });
    }
  }
  const text = bytes.toString('utf8').replace(/^\uFEFF/, '');
  if (text.includes('\u0000')) throw new InputFileError(display, 'malformed', 'binary content in a feed file', { hint: 'a feed is a text list, abuse.ch CSV, MISP or STIX JSON, or OpenIOC XML' });
  return text;
}

/** The one file of a ZIP archive (abuse.ch ships its full dumps zipped), up to the feed size limit. */
async function zippedFeed(path: string, display: string, size: number): Promise<Buffer> {
  const member = await archiveMember(path, display, 'zip', size);
  if (member === null) throw new InputFileError(display, 'unsupported', 'an Office document where a feed was expected', { hint: 'a feed is a text list, abuse.ch CSV, MISP or STIX JSON, or OpenIOC XML' });
  const { raw, complete } = await readMemberHead(path, display, member, MAX_FEED_FILE_BYTES + 1);
  if (!complete) throw new InputFileError(display, 'too-large', `${member.name} inflates past the ${MAX_FEED_FILE_BYTES}-byte feed limit`);
  return raw;
}

function parseJson(text: string, display: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new InputFileError(display, 'malformed', `not valid JSON (${error instanceof Error ? error.message : String(error)})`, { cause: error });
  }
}
