import { describe, expect, it } from 'vitest';
import { calibrated, classifyIntents, INTENT_THRESHOLD } from '../../src/planner/classify-intents.js';
import { tokenize } from '../../src/planner/problem-text.js';
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

describe('classifyIntents, robust to phrasing', () => {
  const top = (problem: string): Intent | undefined => classifyIntents(problem)[0]?.intent;

  it('reads synonyms of each intent', () => {
    const cases: [string, Intent][] = [
      ['Check the proxy export for IOC hits', 'threat_hunting'],
      ['Any blocklist hits in here?', 'threat_hunting'],
      ['Search for indicators of compromise', 'threat_hunting'],
      ['SOC triage of the overnight alerts', 'threat_hunting'],
      ['Audit the admin logins', 'compliance'],
      ['PCI evidence for the assessor', 'compliance'],
      ['DFIR on the payroll server', 'investigation'],
      ['Categorise the events by type', 'ml_classification'],
      ['Predict which hosts will be hit next', 'ml_classification'],
      ['Classify these alerts', 'ml_classification'],
      ['Add threat context to the rows', 'enrichment'],
      ['Reputation of every destination', 'enrichment'],
      ['Top talkers by bytes', 'statistics'],
      ['Deduplicate the export', 'data_quality'],
      ['Reformat the export for the SIEM', 'conversion'],
      ['Which ATT&CK techniques apply?', 'attack_mapping'],
    ];
    for (const [problem, intent] of cases) expect(top(problem), problem).toBe(intent);
  });

  it('reads common misspellings of words of five letters or more, and says so in the evidence', () => {
    const cases: [string, Intent, string][] = [
      ['Anaylze this CSV for threts', 'threat_hunting', 'threats (typed "threts")'],
      ['Check complaince of the logs', 'compliance', 'compliance (typed "complaince")'],
      ['enrichement of the proxy log', 'enrichment', 'enrichment (typed "enrichement")'],
      ['clasify these rows', 'ml_classification', 'classify (typed "clasify")'],
      ['statistcs per user', 'statistics', 'statistics (typed "statistcs")'],
      ['investgate the incidnet', 'investigation', 'investigate (typed "investgate")'],
    ];
    for (const [problem, intent, evidence] of cases) {
      const found = classifyIntents(problem).find((i) => i.intent === intent);
      expect(found?.score, problem).toBeGreaterThanOrEqual(INTENT_THRESHOLD);
      expect(found?.evidence, problem).toContain(evidence);
    }
  });

  it('does not correct short words or real words that are one letter from a lexicon word', () => {
    // "thread" is one letter from "threat", "covert" from "convert", "clear" from "clean", "states" from "stats".
    expect(classifyIntents('Dump the thread states and clear the covert flag')).toEqual([]);
    // Four letters are too few to guess from: "hnut" is not read as "hunt".
    expect(classifyIntents('hnut')).toEqual([]);
  });

  it('keeps word boundaries: "html" is not "ml", "format" is not "ml", "formal" is not "normal"', () => {
    for (const problem of ['export an HTML report', 'keep the original format', 'a formal write-up in xml', 'the html format of the yaml']) {
      expect(classifyIntents(problem).map((i) => i.intent), problem).not.toContain('ml_classification');
    }
  });

  it('lets negated words vote for nothing', () => {
    expect(classifyIntents('Hunt for threats, no ML').map((i) => i.intent)).toEqual(['threat_hunting']);
    expect(classifyIntents('without machine learning, find the threats').map((i) => i.intent)).toEqual(['threat_hunting']);
    expect(classifyIntents('Summarize it; statistics are not needed').map((i) => i.intent)).not.toContain('statistics');
  });

  it('maps evidence to a probability that grows with it and stays within 0..1', () => {
    const points = [0, 0.5, 1, 1.5, 3, 10].map(calibrated);
    expect(points).toEqual([...points].sort((a, b) => a - b));
    for (const p of points) {
      expect(p).toBeGreaterThanOrEqual(0);
      expect(p).toBeLessThanOrEqual(1);
    }
  });

  it('gives calibrated scores: one lone hint is not acted on, one clear word is, two clear words nearly certainly', () => {
    const score = (problem: string, intent: Intent): number => classifyIntents(problem).find((i) => i.intent === intent)?.score ?? 0;
    expect(score('security logs', 'threat_hunting')).toBeLessThan(INTENT_THRESHOLD);
    expect(score('look for threats', 'threat_hunting')).toBeGreaterThan(0.8);
    expect(score('look for malicious threats', 'threat_hunting')).toBeGreaterThan(0.99);
  });
});
