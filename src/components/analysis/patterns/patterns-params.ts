// The parameters of analysis.patterns, one group per detector; in their own file so that every detector can read its
// thresholds without importing the component (which imports the detectors).
import { z } from 'zod';

export const PATTERN_DETECTORS = ['outliers', 'entity_outliers', 'rare_values', 'spikes', 'beaconing', 'brute_force', 'port_scan', 'web_scan', 'dga_domains', 'executable_downloads', 'first_seen'] as const;
export type PatternDetector = (typeof PATTERN_DETECTORS)[number];

export const patternsParams = z.object({
  detectors: z.array(z.enum(PATTERN_DETECTORS)).min(1).default([...PATTERN_DETECTORS]).describe('The detectors to run (default: all of them)'),
  outlier_threshold: z.number().min(2).max(20).default(4.5).describe('Modified z-score (0.6745 * |x - median| / MAD) above which a value is an outlier, over the whole column and within one entity'),
  outlier_max_share: z.number().min(0.001).max(1).default(0.05).describe('A measure column with more than this share of its rows past the threshold has several modes rather than a few outliers (a web log\'s response sizes: redirects and whole pages): none of its values is reported as an outlier, and the summary names the column'),
  entity_min_values: z.number().int().min(5).max(100_000).default(30).describe('An entity (source, user) is judged against its own median only when it has at least this many values'),
  rare_share: z.number().min(0).max(0.05).default(0.001).describe('A categorical value seen in less than this share of rows is rare (at least once; tables under rare_min_rows rows have no rare values)'),
  rare_min_rows: z.number().int().min(2).max(1_000_000).default(50).describe('Fewest rows a table needs before any of its values can be rare: in a tiny table every value is seen once or twice'),
  max_categories: z.number().int().min(2).max(1000).default(50).describe('Rare values are looked for only in columns with at most this many distinct values'),
  spike_factor: z.number().min(2).max(100).default(5).describe("An entity-hour with this many times the entity's median hourly volume is a spike"),
  spike_min_events: z.number().int().min(1).default(20).describe('Fewest events in an entity-hour that can make a spike, whatever its usual volume (a quiet host going from 1 to 6 events is not one)'),
  beacon_min_events: z.number().int().min(4).max(100_000).default(10).describe('Connections between one source and one destination needed before their rhythm is judged'),
  beacon_max_cv: z.number().min(0.01).max(1).default(0.2).describe('Highest robust coefficient of variation (interquartile range / 1.349 / median) of the intervals between connections that still counts as a beacon'),
  beacon_min_interval_seconds: z.number().min(0).max(86_400).default(10).describe('Intervals shorter than this are bursts within one contact, not beats: they are left out, and pairs whose typical interval is shorter are not beacons'),
  beacon_scope: z.enum(['external', 'all']).default('external').describe('external: only destinations outside private, loopback, link-local, multicast and reserved ranges (names count as external); all: every destination'),
  brute_min_failures: z.number().int().min(2).max(1_000_000).default(20).describe('Failed logons from one source or user against one target within the window that make a brute-force finding: Windows failed logons, failure messages (sshd, PAM), unsuccessful logins, HTTP 401 (per path) or 403 on a sign-in path, deny/fail outcomes against the port of a login service (SSH, RDP, SMB, LDAP, databases...) or, in logs without ports, by a named user'),
  brute_window_minutes: z.number().min(0.1).max(1440).default(10).describe('Failures are counted in a window of this length ending at each failure'),
  scan_window_minutes: z.number().min(0.1).max(1440).default(10).describe('Port and web scans are counted in windows of this length, one starting every half window (a scan shorter than half a window is seen whole wherever it falls)'),
  scan_min_ports: z.number().int().min(2).max(65_536).default(50).describe('Distinct destination ports from one source within a window that make a port scan'),
  scan_min_hosts: z.number().int().min(2).max(1_000_000).default(100).describe('Distinct destination hosts from one source within a window that make a host sweep'),
  web_scan_min_paths: z.number().int().min(2).max(1_000_000).default(100).describe('Distinct requested paths from one client within a scan window that, with enough client errors, make a web vulnerability scan'),
  web_scan_min_errors: z.number().int().min(0).max(1_000_000).default(20).describe('Requests of that client in the window answered with an error (4xx: missing, refused; 5xx: the probe broke something) needed for a web scan'),
  web_scan_min_error_share: z.number().min(0).max(1).default(0.05).describe('Share of the client\'s requests in the window that must be errors, besides their number'),
  dga_min_score: z.number().min(0.3).max(1).default(0.6).describe('DGA-likeness (0-1, the score enrichment writes as <domain>_dga_score) from which a domain value is flagged as machine-made'),
  first_seen_recent_share: z.number().min(0.01).max(0.5).default(0.1).describe('The last part of the time range (as a share of it) in which a first appearance counts as new'),
  first_seen_min_events: z.number().int().min(1).max(1_000_000).default(5).describe('A new entity is reported only when it recurs at least this many times (one-off destinations are everyday noise)'),
  max_listed: z.number().int().min(1).max(1000).default(50).describe('At most this many beacons, sources, entities per detector in the summary and as findings about the data'),
});

export type PatternsParams = z.infer<typeof patternsParams>;
