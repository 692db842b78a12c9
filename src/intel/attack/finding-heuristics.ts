// The documented rules that turn a pattern finding (analysis.patterns labels `<pattern>:<column>`) into ATT&CK
// techniques. A pattern says what the traffic looks like, not what the adversary did, so each rule carries a
// confidence below a Sigma rule author's own tag (SIGMA_TAG_CONFIDENCE) and a reason a reader can check.

export interface FindingHeuristic {
  /** The label prefix analysis.patterns writes, before the colon. */
  readonly pattern: string;
  readonly technique: string;
  /** 0..1: how often this pattern is that technique in practice, as judged from the technique's own description. */
  readonly confidence: number;
  readonly reason: string;
}

/** A rule author tagged the detection with the technique: the strongest evidence the tool has. */
export const SIGMA_TAG_CONFIDENCE = 0.9;
/** A technique id written in the data itself (an EDR alert field, a ticket): real, but it may be a mention, not an event. */
export const TEXT_MENTION_CONFIDENCE = 0.6;

export const FINDING_HEURISTICS: readonly FindingHeuristic[] = [
  { pattern: 'brute-force', technique: 'T1110', confidence: 0.7, reason: 'a burst of failed logons from one source or for one account is what T1110 Brute Force describes' },
  { pattern: 'port-scan', technique: 'T1046', confidence: 0.7, reason: 'one source probing many ports or hosts is T1046 Network Service Discovery' },
  { pattern: 'web-scan', technique: 'T1595.002', confidence: 0.7, reason: 'one client requesting many paths that mostly do not exist is what T1595.002 Vulnerability Scanning looks like in an access log' },
  { pattern: 'dga-like', technique: 'T1568.002', confidence: 0.6, reason: 'a long random-character domain name is what T1568.002 Domain Generation Algorithms produce; a few legitimate names (generated names under a hosting or dynamic-DNS suffix) look the same' },
  { pattern: 'disguised-executable', technique: 'T1036.008', confidence: 0.7, reason: 'a program served under a name that claims another type (an image, a document) is T1036.008 Masquerade File Type' },
  { pattern: 'disguised-executable', technique: 'T1105', confidence: 0.6, reason: 'a program fetched over the web is brought in from outside: T1105 Ingress Tool Transfer' },
  { pattern: 'executable-download', technique: 'T1105', confidence: 0.4, reason: 'a program fetched over the web may be a tool brought in (T1105 Ingress Tool Transfer), or an ordinary installer or update, hence the low confidence' },
  { pattern: 'smb-executable', technique: 'T1570', confidence: 0.6, reason: 'a program written to another host over SMB is how T1570 Lateral Tool Transfer moves tools (and how worms such as Trickbot spread); software deployment by admins looks the same' },
  { pattern: 'smb-executable', technique: 'T1021.002', confidence: 0.4, reason: 'the copy goes through an SMB share, often an admin share (T1021.002 SMB/Windows Admin Shares)' },
  { pattern: 'beaconing', technique: 'T1071', confidence: 0.5, reason: 'a steady call-home rhythm to an external host is typical of C2 over T1071 Application Layer Protocol' },
  { pattern: 'beaconing', technique: 'T1573', confidence: 0.3, reason: 'C2 beacons are often wrapped in T1573 Encrypted Channel; the pattern alone cannot see encryption, hence the low confidence' },
];

/**
 * Patterns deliberately left unmapped, so a reader sees the choice: a volume spike, an outlier, a rare or first-seen
 * value can be any technique (or none); guessing one would fill the Navigator layer with noise.
 */
export const UNMAPPED_PATTERNS: readonly string[] = ['spike', 'outlier', 'entity-outlier', 'rare', 'first-seen'];
