// The words and phrases that signal each intent, with weights; matched on word boundaries so "html" never reads as "ml".
import type { Intent } from '../model/problem-profile.js';

export interface IntentCue {
  /** Lower-case word or phrase; a phrase matches its words in order, separated by spaces or punctuation. */
  readonly cue: string;
  readonly weight: number;
}

export const INTENT_LEXICON: Readonly<Record<Intent, readonly IntentCue[]>> = {
  threat_hunting: [
    { cue: 'threat', weight: 1.2 }, { cue: 'threats', weight: 1.2 }, { cue: 'malicious', weight: 1.2 }, { cue: 'suspicious', weight: 1.1 },
    { cue: 'security', weight: 0.7 }, { cue: 'hunt', weight: 1.2 }, { cue: 'hunting', weight: 1.2 }, { cue: 'ioc', weight: 1 },
    { cue: 'iocs', weight: 1 }, { cue: 'indicators', weight: 0.8 }, { cue: 'compromise', weight: 1 }, { cue: 'malware', weight: 1.1 },
    { cue: 'c2', weight: 1.1 }, { cue: 'beaconing', weight: 1.1 }, { cue: 'intrusion', weight: 1 }, { cue: 'attacks', weight: 0.8 },
    { cue: 'triage', weight: 1 }, { cue: 'alerts', weight: 0.6 }, { cue: 'exfiltration', weight: 1.1 }, { cue: 'phishing', weight: 1 },
  ],
  compliance: [
    { cue: 'compliance', weight: 1.6 }, { cue: 'compliant', weight: 1.4 }, { cue: 'audit', weight: 1.2 }, { cue: 'policy', weight: 0.9 },
    { cue: 'regulation', weight: 1 }, { cue: 'regulatory', weight: 1 }, { cue: 'pci', weight: 1.3 }, { cue: 'hipaa', weight: 1.3 },
    { cue: 'gdpr', weight: 1.3 }, { cue: 'sox', weight: 1.2 }, { cue: 'iso 27001', weight: 1.3 }, { cue: 'nist', weight: 1 },
  ],
  investigation: [
    { cue: 'investigate', weight: 1.4 }, { cue: 'investigation', weight: 1.4 }, { cue: 'incident', weight: 1.1 }, { cue: 'forensic', weight: 1.3 },
    { cue: 'forensics', weight: 1.3 }, { cue: 'dfir', weight: 1.5 }, { cue: 'timeline', weight: 1 }, { cue: 'root cause', weight: 1.2 },
    { cue: 'what happened', weight: 1.1 },
  ],
  enrichment: [
    { cue: 'enrich', weight: 1.5 }, { cue: 'enriched', weight: 1.5 }, { cue: 'enrichment', weight: 1.5 }, { cue: 'add context', weight: 1.2 },
    { cue: 'annotate', weight: 1 }, { cue: 'context', weight: 0.5 },
  ],
  attack_mapping: [
    { cue: 'mitre', weight: 1.6 }, { cue: 'att&ck', weight: 1.6 }, { cue: 'attack framework', weight: 1.3 }, { cue: 'techniques', weight: 0.9 },
    { cue: 'tactics', weight: 0.9 }, { cue: 'ttp', weight: 1.2 }, { cue: 'ttps', weight: 1.2 }, { cue: 'navigator', weight: 1 },
  ],
  ml_classification: [
    { cue: 'machine learning', weight: 1.7 }, { cue: 'ml', weight: 1.4 }, { cue: 'classify', weight: 1.4 }, { cue: 'classification', weight: 1.4 },
    { cue: 'classifier', weight: 1.4 }, { cue: 'predict', weight: 1.2 }, { cue: 'prediction', weight: 1.2 }, { cue: 'categorize', weight: 1 },
    { cue: 'categorise', weight: 1 }, { cue: 'cluster', weight: 0.9 }, { cue: 'model', weight: 0.5 },
  ],
  statistics: [
    { cue: 'statistics', weight: 1.5 }, { cue: 'statistical', weight: 1.4 }, { cue: 'stats', weight: 1.3 }, { cue: 'summarize', weight: 1 },
    { cue: 'summarise', weight: 1 }, { cue: 'summary', weight: 0.8 }, { cue: 'distribution', weight: 1 }, { cue: 'describe', weight: 0.8 },
    { cue: 'trends', weight: 0.9 }, { cue: 'profile', weight: 0.7 }, { cue: 'top talkers', weight: 1.2 },
  ],
  data_quality: [
    { cue: 'quality', weight: 1.5 }, { cue: 'validate', weight: 1.2 }, { cue: 'validation', weight: 1.2 }, { cue: 'completeness', weight: 1.3 },
    { cue: 'missing values', weight: 1.2 }, { cue: 'duplicates', weight: 1.1 }, { cue: 'integrity', weight: 1 }, { cue: 'clean', weight: 0.8 },
    { cue: 'check this data', weight: 0.6 }, { cue: 'data check', weight: 0.8 },
  ],
  conversion: [
    { cue: 'convert', weight: 1.5 }, { cue: 'conversion', weight: 1.5 }, { cue: 'to json', weight: 1 }, { cue: 'to csv', weight: 1 },
    { cue: 'reformat', weight: 1.2 }, { cue: 'transform', weight: 0.8 },
  ],
};
