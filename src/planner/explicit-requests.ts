// Reads what the user named explicitly: rules to apply ("use the Sigma rules in ./rules"), a feed to match against
// ("match against feed.txt"), the part of the data to look at ("only the proxy logs"), a time range ("last 24 hours"),
// a format ("export them as JSON").
import type { ExplicitRequest } from '../model/problem-profile.js';

/**
 * Paths must look like paths (a slash, or a file name with an extension) so that "match against known bad IPs" is not
 * read as a feed called "known". Every pattern is compiled once, starts at a literal word, and its repeated parts are
 * separated by fixed characters, so matching stays linear in the text whatever arrives.
 */
const DIR_OR_FILE = String.raw`((?:~|\.{1,2})?\/[\w.\-/]*[\w/]|[\w\-]+\/[\w.\-/]*[\w/]|[\w\-.]*\w\.(?:ya?ml|json|txt|zip))`;
const FEED_FILE = String.raw`((?:(?:~|\.{1,2})?\/)?(?:[\w\-.]+\/)*[\w\-.]*\w\.(?:txt|csv|tsv|json|jsonl|ndjson|lst|list|ioc|iocs|stix|xml))\b`;

interface RequestPattern {
  readonly kind: ExplicitRequest['kind'];
  /** Group 1 is the request's value. */
  readonly pattern: RegExp;
}

/** A noun phrase naming part of the data: up to three words ending in a data noun ("proxy logs", "outbound traffic"). */
const DATA_PART = String.raw`((?:[a-z0-9_-]+\s+){0,3}?(?:logs?|events?|records?|rows?|entries|traffic|alerts?|flows?|connections?|requests?|queries|sessions?|hosts?|users?|lines?|data|files?))\b`;
const DETERMINER = String.raw`(?:the|my|our|these|those)\s+`;
const LOOK_AT = String.raw`(?:(?:look\s+at|consider|use|keep)\s+)?`;

const PATTERNS: readonly RequestPattern[] = [
  {
    kind: 'rules',
    pattern: new RegExp(String.raw`\brules?\s+(?:files?\s+)?(?:in|from|at|under|stored\s+in)\s+(?:the\s+)?(?:(?:folder|directory|dir)\s+)?${DIR_OR_FILE}`, 'gi')
  },
  // "against" nearly always means matching: "match against feed.txt", "check the IPs against the blocklist bad.txt".
  { kind: 'feed', pattern: new RegExp(String.raw`\bagainst\s+(?:[a-z-]+\s+){0,3}?${FEED_FILE}`, 'gi') },
  {
    kind: 'feed',
    pattern: new RegExp(String.raw`\b(?:feed|feeds|blocklist|blacklist|watchlist|indicators|iocs|indicator\s+list|ioc\s+list|threat\s+list)\s+(?:(?:in|from|at|file)\s+)?${FEED_FILE}`, 'gi')
  },
  // "just" is usually an adverb ("just transform the file"): it names a part of the data only before a determiner.
  { kind: 'scope', pattern: new RegExp(String.raw`\b(?:only|exclusively)\s+${LOOK_AT}(?:${DETERMINER})?${DATA_PART}`, 'gi') },
  { kind: 'scope', pattern: new RegExp(String.raw`\bjust\s+${LOOK_AT}${DETERMINER}${DATA_PART}`, 'gi') },
  // A format wanted in passing ("export them as JSON", "into JSON Lines", "a CSV export") sets the format of default data
  // outputs. "in CSV" and "CSV file" usually describe the input, so they are not read as wishes.
  { kind: 'format', pattern: /\b(?:as|to|into)\s+(?:an?\s+)?(json\s+lines|jsonl|ndjson|json|csv|markdown)\b/gi },
  { kind: 'format', pattern: /\b(json\s+lines|jsonl|ndjson|json|csv|markdown)\s+(?:output|export)\b/gi },
  {
    kind: 'time_range',
    pattern: /\b(?:in\s+)?(?:the\s+)?((?:last|past|previous)\s+(?:\d+\s+|few\s+|two\s+|three\s+|seven\s+)?(?:minutes?|hours?|days?|weeks?|months?|night)|since\s+(?:\d{4}-\d{2}-\d{2}(?:[t ]\d{2}:\d{2}(?::\d{2})?z?)?|yesterday|midnight|monday|tuesday|wednesday|thursday|friday|saturday|sunday)|between\s+\d{1,4}[-:/]\d{2}(?:[-:/t ]\d{2}(?::\d{2})?)*\s+and\s+\d{1,4}[-:/]\d{2}(?:[-:/t ]\d{2}(?::\d{2})?)*|yesterday|overnight)\b/gi
  },
];

const FORMAT_NAMES: Readonly<Record<string, string>> = { 'json lines': 'jsonl', ndjson: 'jsonl', markdown: 'md' };
const TRAILING_MARKS = /[.,;:]+$/;
const SPACES = /\s+/g;

export function findExplicitRequests(text: string): ExplicitRequest[] {
  const requests: ExplicitRequest[] = [];
  for (const { kind, pattern } of PATTERNS) {
    pattern.lastIndex = 0;
    for (let match = pattern.exec(text); match !== null; match = pattern.exec(text)) {
      const raw = (match[1] ?? '').replace(TRAILING_MARKS, '').trim();
      if (raw === '') continue;
      // Paths keep their case; words are compared lower-case; formats by their file extension.
      const words = raw.toLowerCase().replace(SPACES, ' ');
      const value = kind === 'format' ? (FORMAT_NAMES[words] ?? words) : kind === 'scope' || kind === 'time_range' ? words : raw;
      const found: ExplicitRequest = { kind, value, text: match[0].trim().replace(SPACES, ' ') };
      if (!requests.some((r) => r.kind === found.kind && r.value === found.value)) requests.push(found);
    }
  }
  return requests;
}
