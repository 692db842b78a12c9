import { describe, expect, it } from 'vitest';
import { classifyIntents, INTENT_THRESHOLD, tokenize } from '../../src/planner/classify-intents.js';
import type { Intent, IntentScore } from '../../src/model/problem-profile.js';

function scoreOf(intents: readonly IntentScore[], intent: Intent): number {
  return intents.find((i) => i.intent === intent)?.score ?? 0;
}

describe('classifyIntents', () => {
  it('reads the guide\'s first example as threat hunting, with enrichment as a second intent', () => {
    const intents = classifyIntents('Analyze this CSV for security threats and export enriched data');
    expect(intents[0]?.intent).toBe('threat_hunting');
    expect(intents[0]?.evidence).toEqual(expect.arrayContaining(['threats', 'security']));
    expect(scoreOf(intents, 'enrichment')).toBeGreaterThan(INTENT_THRESHOLD);
    expect(intents.find((i) => i.intent === 'enrichment')?.evidence).toEqual(['enriched']);
  });

  it('finds both intents of a multi-intent statement: compliance and ATT&CK mapping', () => {
    const intents = classifyIntents('Check this data for compliance and map to MITRE ATT&CK');
    expect(scoreOf(intents, 'compliance')).toBeGreaterThan(0.3);
    expect(scoreOf(intents, 'attack_mapping')).toBeGreaterThan(0.3);
    expect(['attack_mapping', 'compliance']).toContain(intents[0]?.intent);
    expect(intents.find((i) => i.intent === 'attack_mapping')?.evidence).toEqual(['mitre', 'att&ck']);
    expect(intents.find((i) => i.intent === 'compliance')?.evidence).toEqual(['compliance']);
  });

  it('reads the guide\'s third example as ML classification', () => {
    const intents = classifyIntents('Apply machine learning to classify this data');
    expect(intents[0]?.intent).toBe('ml_classification');
    expect(intents[0]?.evidence).toEqual(['machine learning', 'classify']);
  });

  it('matches cues on word boundaries: "html" is not "ml"', () => {
    const intents = classifyIntents('export an HTML report');
    expect(intents.map((i) => i.intent)).not.toContain('ml_classification');
    expect(classifyIntents('Use an ML model on these rows')[0]?.intent).toBe('ml_classification');
  });

  it('does not match a cue inside a longer word', () => {
    // "threatening" and "auditorium" hold the cues "threat" and "audit" only as substrings.
    expect(classifyIntents('the auditorium was threatening')).toEqual([]);
  });

  it('matches a phrase cue across punctuation and case', () => {
    const intents = classifyIntents('Run MACHINE-LEARNING over the flows');
    expect(intents.find((i) => i.intent === 'ml_classification')?.evidence).toEqual(['machine learning']);
  });

  it('gives scores in 0..1, best first, and more evidence a higher score', () => {
    const intents = classifyIntents('Hunt for malicious beaconing, c2 and exfiltration, then summarize the statistics');
    expect(intents.length).toBeGreaterThanOrEqual(2);
    for (const intent of intents) {
      expect(intent.score).toBeGreaterThan(0);
      expect(intent.score).toBeLessThanOrEqual(1);
      expect(intent.evidence.length).toBeGreaterThan(0);
    }
    const scores = intents.map((i) => i.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    expect(scoreOf(intents, 'threat_hunting')).toBeGreaterThan(scoreOf(classifyIntents('look for threats'), 'threat_hunting'));
  });

  it('never passes 1, however much evidence there is', () => {
    const intents = classifyIntents('threat threats malicious suspicious hunt hunting ioc iocs malware c2 beaconing intrusion triage phishing');
    expect(scoreOf(intents, 'threat_hunting')).toBeLessThanOrEqual(1);
    expect(scoreOf(intents, 'threat_hunting')).toBeGreaterThan(0.99);
  });

  it('gives no intents for empty or irrelevant text', () => {
    expect(classifyIntents('')).toEqual([]);
    expect(classifyIntents('   \n\t ')).toEqual([]);
    expect(classifyIntents('The weather in Lisbon was pleasant on Tuesday')).toEqual([]);
  });
});

describe('tokenize', () => {
  it('lower-cases, splits on punctuation and keeps ATT&CK as one word', () => {
    expect(tokenize('Map to MITRE ATT&CK, then export (CSV).')).toEqual(['map', 'to', 'mitre', 'att&ck', 'then', 'export', 'csv']);
  });
});
