// The words and phrases that signal each intent, with weights; matched on whole words so "html" never reads as "ml".
import { Capability } from '../model/capability.js';
import type { Intent } from '../model/problem-profile.js';

export interface IntentCue {
  /** Lower-case word or phrase; a phrase matches its words in order, separated by spaces or punctuation. */
  readonly cue: string;
  /**
   * Evidence for the intent, added up over the cues found and turned into a probability by the calibration in
   * classify-intents.ts. About 1.5 for a word that settles the question alone ("compliance"), 1 for a clear sign,
   * 0.5 for a hint that needs company ("security", "context").
   */
  readonly weight: number;
  /** A capability the words ask for beyond what the intent implies ("Sigma" asks for Sigma detection). */
  readonly needs?: Capability;
}

/** Cues of one weight, written compactly: `cues(1.2, 'threat', 'threats')`. */
function cues(weight: number, ...words: string[]): IntentCue[] {
  return words.map((cue) => ({ cue, weight }));
}

/**
 * Where one phrase contains another ("threat intelligence" and "threat"), the longest match wins and its words vote
 * once: "enrich with threat intel" is enrichment, not also threat hunting.
 */
export const INTENT_LEXICON: Readonly<Record<Intent, readonly IntentCue[]>> = {
  threat_hunting: [
    ...cues(1.5, 'threat hunting', 'threat hunt', 'hunt for threats', 'indicators of compromise', 'ioc hits', 'blocklist hits', 'blacklist hits', 'known bad'),
    ...cues(1.2, 'threat', 'threats', 'malicious', 'hunt', 'hunting', 'malware', 'ransomware', 'compromised', 'compromise', 'intrusion', 'intrusions'),
    ...cues(1.2, 'exfiltration', 'exfil', 'c2', 'command and control', 'beaconing', 'beacon', 'beacons', 'phishing', 'triage', 'lateral movement', 'brute force'),
    ...cues(1.2, 'ioc', 'iocs'),
    ...cues(1, 'suspicious', 'attacker', 'attackers', 'attacks', 'backdoor', 'botnet', 'trojan', 'infected', 'bad ips', 'bad domains', 'blocklist', 'blocklisted'),
    ...cues(1, 'blacklist', 'watchlist', 'detections', 'detection rules', 'persistence', 'skimming', 'callbacks', 'scanning', 'port scan', 'password spraying'),
    ...cues(1.2, 'escalate', 'escalating', 'escalation', 'impossible travel', 'different countries', 'threat feed', 'feodo', 'emotet', 'qakbot', 'cobalt strike', 'mimikatz'),
    ...cues(1, 'baseline', 'deviates', 'deviation', 'deviations', 'normal behaviour', 'normal behavior', 'spikes', 'spike'),
    { cue: 'sigma', weight: 1.2, needs: Capability.sigmaDetection },
    { cue: 'sigma rules', weight: 1.4, needs: Capability.sigmaDetection },
    ...cues(0.9, 'indicators', 'indicator', 'anomalies', 'anomalous', 'anomaly', 'outliers', 'unusual', 'match against', 'intel', 'correlate'),
    ...cues(0.7, 'hashes', 'hits'),
    ...cues(0.6, 'alerts', 'risky'),
    ...cues(0.5, 'security', 'attack'),
  ],
  compliance: [
    ...cues(1.6, 'compliance', 'compliant', 'non compliant', 'audit', 'auditor', 'auditors', 'audits', 'auditing', 'pci', 'pci dss', 'hipaa', 'gdpr', 'sox'),
    ...cues(1.6, 'sarbanes oxley', 'iso 27001', 'nist', 'soc 2', 'cis benchmark', 'regulation', 'regulations', 'regulatory', 'regulator', 'cardholder'),
    ...cues(1.1, 'personal data', 'pii', 'data protection', 'retention', 'controls testing', 'policy violations', 'policy', 'access review', 'customer data'),
    ...cues(0.7, 'policies', 'controls', 'evidence'),
  ],
  investigation: [
    ...cues(1.5, 'investigate', 'investigation', 'investigating', 'incident', 'incidents', 'incident response', 'forensic', 'forensics', 'dfir', 'timeline'),
    ...cues(1.5, 'root cause', 'what happened', 'post incident', 'breach', 'reconstruct', 'blast radius', 'scope the breach', 'patient zero'),
    ...cues(1.5, 'led up to', 'leading up to', 'show me everything', 'trace', 'retrace', 'who did what'),
    ...cues(0.8, 'chronology', 'sequence of events'),
  ],
  enrichment: [
    ...cues(1.5, 'enrich', 'enriched', 'enriching', 'enrichment', 'add context', 'threat context', 'threat intel', 'threat intelligence', 'reputation'),
    ...cues(1.5, 'annotate', 'annotated', 'threat score', 'risk score', 'whois', 'geolocation', 'geo'),
    ...cues(1, 'look up', 'lookup', 'context', 'country'),
    ...cues(0.8, 'tag'),
  ],
  attack_mapping: [
    ...cues(1.6, 'mitre', 'att&ck', 'mitre attack', 'attack framework', 'attack techniques', 'ttp', 'ttps', 'kill chain'),
    ...cues(1, 'techniques', 'technique', 'tactics', 'tactic'),
    { cue: 'navigator', weight: 1.4, needs: Capability.navigatorLayer },
    { cue: 'navigator layer', weight: 1.6, needs: Capability.navigatorLayer },
  ],
  ml_classification: [
    ...cues(1.7, 'machine learning', 'ml', 'classify', 'classification', 'classifier', 'classifying', 'categorize', 'categorise', 'categorization'),
    ...cues(1.7, 'categorisation', 'predict', 'prediction', 'predictive', 'cluster', 'clustering', 'unsupervised', 'supervised', 'trained model', 'random forest'),
    ...cues(1.2, 'neural', 'ai', 'label the', 'into categories'),
    // "threat model", "data model": alone the word is not a wish for machine learning.
    ...cues(0.9, 'model', 'models'),
  ],
  statistics: [
    ...cues(1.5, 'statistics', 'statistical', 'stats', 'summarize', 'summarise', 'summary statistics', 'distribution', 'top talkers', 'histogram'),
    ...cues(1.5, 'overview', 'breakdown', 'trends', 'trend', 'noisiest', 'most common'),
    ...cues(1, 'count', 'rank'),
    ...cues(1, 'describe', 'summary', 'profile', 'busiest', 'volumes', 'volume', 'average', 'averages', 'median', 'per hour', 'per day', 'per user', 'top'),
  ],
  data_quality: [
    ...cues(1.6, 'quality', 'data quality', 'validate', 'validation', 'completeness', 'missing values', 'duplicates', 'duplicate rows', 'integrity', 'malformed'),
    ...cues(1.6, 'empty fields', 'nulls', 'null values', 'consistency', 'sanity check', 'data check', 'look right', 'double check', 'cleaned up', 'clean up'),
    ...cues(1.6, 'blank lines', 'deduplicate', 'dedupe', 'duplicate'),
    ...cues(1, 'missing', 'clean', 'invalid'),
    ...cues(0.7, 'errors', 'fix'),
  ],
  conversion: [
    ...cues(1.6, 'convert', 'conversion', 'converted', 'reformat', 'json lines', 'into json lines', 'to json lines'),
    ...cues(1, 'transform', 'normalise', 'normalize', 're export', 'data lake', 'to utc'),
    ...cues(1, 'ingestion', 'ingest'),
    // "to JSON" is as often about the output of another task ("export the hits as JSON", "enrich, then export to CSV")
    // as a conversion: alone it does not settle the question.
    ...cues(0.8, 'as json', 'as csv', 'to json', 'to csv', 'into json', 'into csv', 'to jsonl'),
  ],
};
