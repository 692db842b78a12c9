// MISP event JSON (`{"Event": ...}`, a `{"response": [...]}` search result, or an array of events) and the
// manifest.json of a MISP feed folder, whose events sit beside it as <uuid>.json.
import { IndicatorCollector, type CollectedFeed, type FeedIndicatorType, type IndicatorFields } from './feed-indicator.js';

type Json = Readonly<Record<string, unknown>>;

/** MISP attribute types that carry a matchable value; composite `a|b` types name the part that is matched. */
const ATTRIBUTE_TYPES: Readonly<Record<string, FeedIndicatorType | null>> = {
  'ip-dst': null,
  'ip-src': null,
  domain: 'domain',
  hostname: 'domain',
  url: 'url',
  md5: 'md5',
  sha1: 'sha1',
  sha256: 'sha256',
  'x509-fingerprint-sha1': 'sha1',
};
/** `ip-dst|port` holds `1.2.3.4|443`: the part before the bar is the indicator; `filename|md5`: the part after it. */
const COMPOSITE_PARTS: Readonly<Record<string, { part: 0 | 1; type: FeedIndicatorType | null }>> = {
  'ip-dst|port': { part: 0, type: null },
  'ip-src|port': { part: 0, type: null },
  'domain|ip': { part: 0, type: 'domain' },
  'hostname|port': { part: 0, type: 'domain' },
  'filename|md5': { part: 1, type: 'md5' },
  'filename|sha1': { part: 1, type: 'sha1' },
  'filename|sha256': { part: 1, type: 'sha256' },
};
const THREAT_LEVEL_CONFIDENCE: Readonly<Record<string, number>> = { '1': 0.9, '2': 0.7, '3': 0.5, '4': 0.6 };
const MAX_EVENTS = 10_000;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const text = (value: unknown): string | null => (typeof value === 'string' && value.trim() !== '' ? value : typeof value === 'number' ? String(value) : null);
const list = (value: unknown): readonly unknown[] => (Array.isArray(value) ? value : []);

/** The events of a parsed document, or null when it is no MISP event document. */
export function mispEventsOf(document: unknown): Json[] | null {
  const candidates = Array.isArray(document) ? document : isObject(document) && Array.isArray(document['response']) ? document['response'] : [document];
  // Wrapped (`{"Event": {...}}`, MISP's export) or bare (PyMISP's to_json of an event: `{"info": ..., "Attribute": [...]}`).
  const events = candidates.map((c) => (isObject(c) && isObject(c['Event']) ? c['Event'] : isObject(c) && 'info' in c && Array.isArray(c['Attribute']) ? c : null));
  const found = events.filter((e): e is Json => e !== null);
  return found.length > 0 && found.length === events.length ? found : null;
}

/** A manifest maps event uuids to summaries with `info` and `timestamp`. */
export function isMispManifest(document: unknown): document is Json {
  if (!isObject(document)) return false;
  const entries = Object.entries(document);
  return entries.length > 0 && entries.every(([uuid, entry]) => UUID.test(uuid) && isObject(entry) && 'info' in entry && 'timestamp' in entry);
}
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function readMispEvents(events: readonly Json[], source: string, collector: IndicatorCollector = new IndicatorCollector(source)): CollectedFeed {
  for (const event of events.slice(0, MAX_EVENTS)) addEvent(collector, event);
  if (events.length > MAX_EVENTS) collector.unsupported['events over the limit'] = events.length - MAX_EVENTS;
  return collector.finish('misp-event');
}

function addEvent(collector: IndicatorCollector, event: Json): void {
  const eventTags = tagNames(event['Tag']);
  const family = galaxyFamily(event['Galaxy']) ?? tagFamily(eventTags);
  const certainty = eventTags.map((t) => /^osint:certainty="(\d{1,3})"$/.exec(t)?.[1]).find((v) => v !== undefined);
  const defaults: IndicatorFields = {
    confidence: certainty === undefined ? (THREAT_LEVEL_CONFIDENCE[text(event['threat_level_id']) ?? ''] ?? 0.6) : Number(certainty) / 100,
    firstSeen: text(event['date']),
    malwareFamily: family,
    tags: eventTags,
  };
  collector.count(collector.context, 'misp event');
  const attributes = [...list(event['Attribute']), ...list(event['Object']).flatMap((o) => (isObject(o) ? list(o['Attribute']) : []))];
  for (const attribute of attributes) {
    if (isObject(attribute)) addAttribute(collector, attribute, defaults);
  }
}

function addAttribute(collector: IndicatorCollector, attribute: Json, defaults: IndicatorFields): void {
  const type = text(attribute['type']) ?? '';
  const raw = text(attribute['value']);
  if (raw === null || attribute['deleted'] === true) return;
  const composite = COMPOSITE_PARTS[type];
  if (!(type in ATTRIBUTE_TYPES) && composite === undefined) {
    collector.count(collector.context, `misp attribute ${type.slice(0, 40)}`);
    return;
  }
  // to_ids false: the producer says the value is not for detection (a reference link, a benign file name).
  if (attribute['to_ids'] === false) {
    collector.count(collector.unsupported, 'misp attribute with to_ids false');
    return;
  }
  const value = composite === undefined ? raw : (raw.split('|')[composite.part] ?? '');
  const attributeTags = tagNames(attribute['Tag']);
  collector.add(value, {
    ...defaults,
    type: composite === undefined ? (ATTRIBUTE_TYPES[type] ?? null) : composite.type,
    firstSeen: text(attribute['first_seen']) ?? unixTime(attribute['timestamp']) ?? defaults.firstSeen ?? null,
    lastSeen: text(attribute['last_seen']),
    threatType: text(attribute['category']),
    tags: [...(defaults.tags ?? []), ...attributeTags],
    malwareFamily: tagFamily(attributeTags) ?? defaults.malwareFamily ?? null,
  });
}

function tagNames(tags: unknown): string[] {
  return list(tags)
    .map((t) => (isObject(t) ? text(t['name']) : null))
    .filter((t): t is string => t !== null);
}

/** `misp-galaxy:malpedia="Sednit"` and the like name the family. */
function tagFamily(tags: readonly string[]): string | null {
  for (const tag of tags) {
    const match = /^misp-galaxy:(?:malpedia|tool|ransomware|botnet|rat|mitre-malware|threat-actor)="([^"]{1,128})"$/.exec(tag);
    if (match?.[1] !== undefined) return match[1];
  }
  return null;
}

function galaxyFamily(galaxies: unknown): string | null {
  for (const galaxy of list(galaxies)) {
    if (!isObject(galaxy) || !['malpedia', 'tool', 'ransomware', 'botnet', 'rat', 'mitre-malware'].includes(text(galaxy['type']) ?? '')) continue;
    const cluster = list(galaxy['GalaxyCluster'])[0];
    if (isObject(cluster)) return text(cluster['value']);
  }
  return null;
}

function unixTime(value: unknown): string | null {
  const seconds = Number(text(value) ?? Number.NaN);
  return Number.isFinite(seconds) && seconds > 0 && seconds < 1e11 ? new Date(seconds * 1000).toISOString() : null;
}
