import { describe, expect, it } from 'vitest';
import type { Exclusion } from '../../src/model/problem-profile.js';
import { parseProblem } from '../../src/planner/parse-problem.js';

function excluded(problem: string): string[] {
  return parseProblem(problem).excluded.map((e) => `${e.kind}:${e.what}`);
}

function because(problem: string, what: string): string | undefined {
  return parseProblem(problem).excluded.find((e: Exclusion) => e.what === what)?.because;
}

describe('negation', () => {
  it('excludes an intent and its capability, quoting the user', () => {
    expect(excluded('Hunt for threats, no ML')).toEqual(['intent:ml_classification', 'capability:ml-classification']);
    expect(because('Hunt for threats, no ML', 'ml_classification')).toBe('negated: "no ML"');
    expect(because('Find threats without machine learning', 'ml-classification')).toBe('negated: "without machine learning"');
    expect(because("I'm not interested in statistics", 'statistics')).toBe('negated: "not interested in statistics"');
  });

  it('excludes outputs by format and by kind', () => {
    expect(excluded("Map to ATT&CK but don't export JSON")).toEqual(['output:output:json']);
    expect(because("Map to ATT&CK but don't export JSON", 'output:json')).toBe(`negated: "don't export JSON"`);
    expect(excluded('Analyze for threats, skip the report')).toEqual(['output:output:report']);
    expect(excluded('Export enriched data as CSV instead of JSON')).toEqual(['output:output:json']);
    expect(excluded('use CSV, not JSON')).toEqual(['output:output:json']);
  });

  it('reads negations that follow what they negate', () => {
    expect(excluded('Give me port statistics; ML is not needed')).toEqual(['intent:ml_classification', 'capability:ml-classification']);
    expect(excluded("statistics aren't necessary")).toContain('intent:statistics');
    expect(excluded('the report is unnecessary')).toEqual(['output:output:report']);
  });

  it('carries a negation over "or", "nor" and "and the", but not into a new clause', () => {
    expect(excluded('no ML or statistics')).toEqual(expect.arrayContaining(['intent:ml_classification', 'intent:statistics']));
    expect(excluded('neither ML nor statistics')).toEqual(expect.arrayContaining(['intent:ml_classification', 'intent:statistics']));
    expect(excluded('skip the statistics and the report')).toEqual(expect.arrayContaining(['intent:statistics', 'output:output:report']));
    // "and export" starts a new wish; "but", a comma and "then" end the negated stretch.
    expect(excluded('no ML and export the report')).not.toContain('output:output:report');
    expect(excluded('no ML, report the statistics')).toEqual(['intent:ml_classification', 'capability:ml-classification']);
    expect(excluded('without ML but with statistics')).not.toContain('intent:statistics');
  });

  it('reads capability exclusions', () => {
    expect(excluded("Hunt for C2 beaconing, don't bother with indicator matching")).toEqual(['capability:ioc-matching']);
    expect(excluded('Threat hunt, skip the data quality checks')).toEqual(['intent:data_quality', 'capability:data-quality']);
    expect(excluded('no enrichment')).toEqual(['intent:enrichment', 'capability:enrichment', 'output:output:enriched_data']);
  });

  it('does not read descriptions as wishes', () => {
    for (const problem of [
      'Find hosts that are not PCI compliant',
      'Rows with no hostname are a data quality issue',
      'hosts that were not compromised',
      "Don't forget to check for malware",
      "don't miss the report",
      'not only threats but also compliance',
      'no more than a few statistics',
      'Check this export',
    ]) {
      expect(excluded(problem), problem).toEqual([]);
    }
  });

  it('excludes nothing when nothing it knows is negated', () => {
    expect(excluded('do not touch the original file')).toEqual([]);
    expect(excluded('without delay, hunt for threats')).toEqual([]);
  });

  it('removes a negated intent from the intents even when other words of it appear', () => {
    const analysis = parseProblem('Classify the traffic by type, but without machine learning');
    expect(analysis.intents.map((i) => i.intent)).not.toContain('ml_classification');
    expect(analysis.excluded.map((e) => e.what)).toContain('ml_classification');
  });

  it('reads misspelt negations', () => {
    expect(excluded('withou ML please')).toContain('intent:ml_classification');
    expect(excluded('exlcude the statistics')).toContain('intent:statistics');
  });
});
