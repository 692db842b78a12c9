import { describe, expect, it } from 'vitest';
import { PlanError } from '../../src/model/errors/plan-error.js';
import { resolveOutputs } from '../../src/planner/resolve-outputs.js';

const MARKDOWN = { htmlReports: false };
const HTML = { htmlReports: true };

function planErrorOf(action: () => unknown): PlanError {
  try {
    action();
  } catch (error) {
    if (error instanceof PlanError) return error;
    throw error;
  }
  throw new Error('expected a PlanError');
}

describe('resolveOutputs', () => {
  it('reads enriched_data as a CSV dataset the user asked for', () => {
    expect(resolveOutputs(['enriched_data'], 'threat_hunting', MARKDOWN)).toEqual([{ name: 'enriched_data', kind: 'dataset', format: 'csv', requested: true }]);
  });

  it('takes the format from the extension', () => {
    expect(resolveOutputs(['enriched_data.json'], 'threat_hunting', MARKDOWN)).toEqual([{ name: 'enriched_data', kind: 'dataset', format: 'json', requested: true }]);
    expect(resolveOutputs(['findings.jsonl'], 'threat_hunting', MARKDOWN)).toEqual([{ name: 'findings', kind: 'findings', format: 'jsonl', requested: true }]);
  });

  it('writes a report as Markdown until HTML reports exist, then as HTML', () => {
    expect(resolveOutputs(['threat_report'], 'threat_hunting', MARKDOWN)).toEqual([{ name: 'threat_report', kind: 'report', format: 'md', requested: true }]);
    expect(resolveOutputs(['threat_report'], 'threat_hunting', HTML)).toEqual([{ name: 'threat_report', kind: 'report', format: 'html', requested: true }]);
  });

  it('keeps the order of the names given', () => {
    expect(resolveOutputs(['threat_report', 'enriched_data'], 'threat_hunting', MARKDOWN).map((o) => o.name)).toEqual(['threat_report', 'enriched_data']);
  });

  it('refuses an HTML report while no component writes one', () => {
    const error = planErrorOf(() => resolveOutputs(['threat_report.html'], 'threat_hunting', MARKDOWN));
    expect(error.code).toBe('output-not-available');
    expect(error.message).toContain('threat_report.html');
    expect(error.hint).toContain('threat_report.md');
  });

  it('refuses an unknown name with a hint listing the names it knows', () => {
    const error = planErrorOf(() => resolveOutputs(['pivot_table'], 'threat_hunting', MARKDOWN));
    expect(error.code).toBe('unknown-output');
    expect(error.message).toContain("'pivot_table'");
    for (const known of ['enriched_data', 'findings', 'ioc_matches', 'threat_report', 'compliance_report']) expect(error.hint).toContain(known);
  });

  it('names a planned output as not available yet rather than unknown', () => {
    const error = planErrorOf(() => resolveOutputs(['model'], 'ml_classification', MARKDOWN));
    expect(error.code).toBe('output-not-available');
    expect(error.message).toContain('a saved ML model');
  });

  it('resolves an ATT&CK Navigator layer to a JSON summary output, and refuses it in another format', () => {
    expect(resolveOutputs(['navigator_layer'], 'attack_mapping', MARKDOWN)).toEqual([{ name: 'navigator_layer', kind: 'summary', format: 'json', requested: true }]);
    expect(resolveOutputs(['attack_layer.json'], 'attack_mapping', MARKDOWN)).toEqual([{ name: 'attack_layer', kind: 'summary', format: 'json', requested: true }]);
    // The names analysts type for it: the file is named after what they asked for.
    expect(resolveOutputs(['navigator', 'Attack_Navigator'], 'attack_mapping', MARKDOWN).map((o) => [o.name, o.kind, o.format])).toEqual([
      ['navigator', 'summary', 'json'],
      ['Attack_Navigator', 'summary', 'json'],
    ]);
    const error = planErrorOf(() => resolveOutputs(['navigator_layer.csv'], 'attack_mapping', MARKDOWN));
    expect(error.code).toBe('unknown-output-format');
    expect(error.message).toBe("output 'navigator_layer.csv': an ATT&CK Navigator layer is written as .json");
  });

  it('refuses an output named twice in one format, with or without extension or in another case', () => {
    expect(planErrorOf(() => resolveOutputs(['enriched_data', 'enriched_data'], 'threat_hunting', MARKDOWN)).code).toBe('duplicate-output');
    expect(planErrorOf(() => resolveOutputs(['enriched_data', 'enriched_data.csv'], 'threat_hunting', MARKDOWN)).code).toBe('duplicate-output');
    // `Enriched_Data.csv` and `enriched_data.csv` are one file on case-insensitive file systems.
    const error = planErrorOf(() => resolveOutputs(['Enriched_Data', 'enriched_data'], 'threat_hunting', MARKDOWN));
    expect(error.code).toBe('duplicate-output');
    expect(error.message).toContain('enriched_data.csv');
  });

  it('accepts one name in two formats', () => {
    expect(resolveOutputs(['enriched_data', 'enriched_data.json'], 'threat_hunting', MARKDOWN).map((o) => `${o.name}.${o.format}`)).toEqual(['enriched_data.csv', 'enriched_data.json']);
  });

  it('refuses path-like names', () => {
    for (const name of ['../x', '../../etc/passwd', 'out/enriched_data', '.hidden', '']) {
      expect(planErrorOf(() => resolveOutputs([name], 'threat_hunting', MARKDOWN)).code, name).toBe('invalid-output');
    }
  });

  it('refuses formats it does not write and formats that do not fit the kind', () => {
    expect(planErrorOf(() => resolveOutputs(['enriched_data.xlsx'], 'threat_hunting', MARKDOWN)).code).toBe('unknown-output-format');
    expect(planErrorOf(() => resolveOutputs(['enriched_data.md'], 'threat_hunting', MARKDOWN)).code).toBe('unknown-output-format');
    expect(planErrorOf(() => resolveOutputs(['threat_report.csv'], 'threat_hunting', MARKDOWN)).code).toBe('unknown-output-format');
  });

  it('chooses default outputs from the primary intent when none are named', () => {
    expect(resolveOutputs([], 'threat_hunting', MARKDOWN)).toEqual([
      { name: 'enriched_data', kind: 'dataset', format: 'csv', requested: false },
      { name: 'threat_report', kind: 'report', format: 'md', requested: false },
    ]);
    expect(resolveOutputs([], 'compliance', MARKDOWN)).toEqual([{ name: 'compliance_report', kind: 'report', format: 'md', requested: false }]);
    expect(resolveOutputs([], 'attack_mapping', MARKDOWN)).toEqual([{ name: 'enriched_data', kind: 'dataset', format: 'json', requested: false }]);
    expect(resolveOutputs([], 'conversion', MARKDOWN)).toEqual([{ name: 'data', kind: 'dataset', format: 'json', requested: false }]);
    expect(resolveOutputs([], 'statistics', HTML)).toEqual([{ name: 'statistics_report', kind: 'report', format: 'html', requested: false }]);
  });
});

describe('resolveOutputs with exclusions and a preferred format', () => {
  const noJson = [{ kind: 'output' as const, what: 'output:json', because: `negated: "don't export JSON"` }];
  const noReport = [{ kind: 'output' as const, what: 'output:report', because: 'negated: "skip the report"' }];

  it('moves a default data output to another format when its own is ruled out', () => {
    expect(resolveOutputs([], 'attack_mapping', { ...MARKDOWN, excluded: noJson })).toEqual([{ name: 'enriched_data', kind: 'dataset', format: 'csv', requested: false }]);
    expect(resolveOutputs([], 'conversion', { ...MARKDOWN, excluded: noJson })).toEqual([{ name: 'data', kind: 'dataset', format: 'csv', requested: false }]);
  });

  it('drops a default output whose kind is ruled out, and refuses when nothing is left', () => {
    expect(resolveOutputs([], 'threat_hunting', { ...MARKDOWN, excluded: noReport }).map((o) => o.name)).toEqual(['enriched_data']);
    const error = planErrorOf(() => resolveOutputs([], 'compliance', { ...MARKDOWN, excluded: noReport }));
    expect(error.code).toBe('nothing-to-write');
    expect(error.message).toContain('skip the report');
  });

  it('refuses a named output the problem rules out: the request contradicts itself', () => {
    const error = planErrorOf(() => resolveOutputs(['threat_report'], 'threat_hunting', { ...MARKDOWN, excluded: noReport }));
    expect(error.code).toBe('contradictory-request');
    expect(error.message).toContain('contradicts itself');
    expect(planErrorOf(() => resolveOutputs(['findings.jsonl'], 'threat_hunting', { ...MARKDOWN, excluded: noJson })).code).toBe('contradictory-request');
  });

  it('writes default outputs in the preferred format when it fits their kind (data: csv/json/jsonl, reports: md/html), never named outputs', () => {
    expect(resolveOutputs([], 'threat_hunting', { ...MARKDOWN, preferredFormat: 'json' })).toEqual([
      { name: 'enriched_data', kind: 'dataset', format: 'json', requested: false },
      { name: 'threat_report', kind: 'report', format: 'md', requested: false },
    ]);
    expect(resolveOutputs(['enriched_data'], 'threat_hunting', { ...MARKDOWN, preferredFormat: 'json' })[0]?.format).toBe('csv');
    expect(resolveOutputs([], 'conversion', { ...MARKDOWN, preferredFormat: 'jsonl' })[0]?.format).toBe('jsonl');
    // A report asked for "as Markdown" in passing is written as Markdown; the data output keeps CSV.
    expect(resolveOutputs([], 'threat_hunting', { ...HTML, preferredFormat: 'md' }).map((o) => [o.name, o.format])).toEqual([
      ['enriched_data', 'csv'],
      ['threat_report', 'md'],
    ]);
    expect(resolveOutputs([], 'threat_hunting', { ...HTML, preferredFormat: 'json' }).map((o) => [o.name, o.format])).toEqual([
      ['enriched_data', 'json'],
      ['threat_report', 'html'],
    ]);
  });
});
