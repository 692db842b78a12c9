import { describe, expect, it } from 'vitest';
import type { FileProfile } from '../../src/model/file-profile.js';
import type { Exclusion, IntentScore } from '../../src/model/problem-profile.js';
import { deriveRequirements } from '../../src/planner/requirements.js';

const csv: FileProfile = { path: 'fw.csv', kind: 'csv', bytes: 10, encoding: 'utf-8', delimiter: ',', has_header: true, columns: [], estimated_rows: 1, schema_fingerprint: 'x', notes: [] };
const intent = (name: IntentScore['intent'], score = 0.9): IntentScore => ({ intent: name, score, evidence: [] });

describe('deriveRequirements', () => {
  it('asks for what the files, intents and outputs need, each once, saying who wanted it', () => {
    const requirements = deriveRequirements([intent('threat_hunting'), intent('enrichment')], [{ name: 'threat_report', kind: 'report', format: 'md', requested: true }], [csv]);
    expect(requirements).toEqual([
      { capability: 'import-csv', wantedBy: 'file:fw.csv' },
      { capability: 'data-quality', wantedBy: 'intent:threat_hunting' },
      { capability: 'anomaly-detection', wantedBy: 'intent:threat_hunting' },
      { capability: 'ioc-matching', wantedBy: 'intent:threat_hunting' },
      { capability: 'enrichment', wantedBy: 'intent:threat_hunting' },
      { capability: 'report-md', wantedBy: 'output:threat_report' },
    ]);
  });

  it('ignores intents below the threshold and intents the user excluded', () => {
    const excluded: Exclusion[] = [{ kind: 'intent', what: 'compliance', because: 'negated: "no audit"' }];
    const requirements = deriveRequirements([intent('statistics', 0.2), intent('compliance')], [], [csv], { excluded });
    expect(requirements.map((r) => r.capability)).toEqual(['import-csv']);
  });

  it('never asks for an excluded capability, whoever wants it', () => {
    const excluded: Exclusion[] = [{ kind: 'capability', what: 'ioc-matching', because: 'negated: "no IOC matching"' }];
    const requirements = deriveRequirements([intent('threat_hunting')], [{ name: 'findings', kind: 'findings', format: 'csv', requested: true }], [csv], {
      excluded,
      requests: [{ kind: 'feed', value: 'feed.txt', text: 'against feed.txt' }],
    });
    expect(requirements.map((r) => r.capability)).not.toContain('ioc-matching');
  });

  it('asks for what explicit requests and named capabilities need', () => {
    const requirements = deriveRequirements([intent('compliance')], [], [csv], {
      requests: [
        { kind: 'rules', value: './rules', text: 'rules in ./rules' },
        { kind: 'scope', value: 'proxy logs', text: 'only the proxy logs' },
      ],
      mentions: [{ capability: 'navigator-layer', cue: 'navigator' }],
    });
    expect(requirements).toContainEqual({ capability: 'sigma-detection', wantedBy: 'request:rules ./rules' });
    expect(requirements).toContainEqual({ capability: 'navigator-layer', wantedBy: 'problem:"navigator"' });
    // A layer draws the ATT&CK mapping, so naming the Navigator asks for the mapping too.
    expect(requirements).toContainEqual({ capability: 'attack-mapping', wantedBy: 'capability:navigator-layer' });
    expect(requirements).toHaveLength(6);
  });

  it('asks a Navigator layer output for the ATT&CK mapping and the layer writer, not a JSON export', () => {
    const layer = { name: 'navigator_layer', kind: 'summary', format: 'json', requested: true } as const;
    const requirements = deriveRequirements([intent('compliance')], [layer], [csv]);
    expect(requirements.filter((r) => r.wantedBy === 'output:navigator_layer')).toEqual([
      { capability: 'attack-mapping', wantedBy: 'output:navigator_layer' },
      { capability: 'navigator-layer', wantedBy: 'output:navigator_layer' },
    ]);
    expect(requirements.map((r) => r.capability)).not.toContain('export-json');
  });

  it('refuses a Navigator layer when the problem rules out the ATT&CK mapping', () => {
    const layer = { name: 'navigator_layer', kind: 'summary', format: 'json', requested: true } as const;
    const excluded: Exclusion[] = [{ kind: 'capability', what: 'attack-mapping', because: 'negated: "no ATT&CK mapping"' }];
    expect(() => deriveRequirements([intent('threat_hunting')], [layer], [csv], { excluded })).toThrow(
      "the request contradicts itself: it asks for output 'navigator_layer' but the problem rules out attack-mapping (negated: \"no ATT&CK mapping\")",
    );
  });
});

describe('hunting in logs the shipped rules are written for', () => {
  const json = (columns: string[]): FileProfile => ({ ...csv, path: 'events.json', kind: 'json', delimiter: null, has_header: null, columns: columns.map((name) => ({ name, role: null, role_confidence: 0, inferred_type: 'string' as const })) });

  it('runs the Sigma rules on Windows events and on CloudTrail events, not on other JSON', () => {
    const wanted = (file: FileProfile): string | undefined => deriveRequirements([intent('threat_hunting')], [], [file]).find((r) => r.capability === 'sigma-detection')?.wantedBy;
    expect(wanted(json(['EventID', 'Channel', 'Image']))).toBe('file:events.json (Windows events)');
    expect(wanted(json(['eventVersion', 'eventSource', 'eventName', 'userIdentity.type']))).toBe('file:events.json (AWS CloudTrail events)');
    expect(wanted(json(['ts', 'src_ip', 'action']))).toBeUndefined();
  });
});

describe('hunting in Winlogbeat exports', () => {
  it('runs the Sigma rules on Windows events named the Winlogbeat way', () => {
    const file: FileProfile = { ...csv, path: 'winlogbeat.json', kind: 'jsonl', delimiter: null, has_header: null, columns: ['@timestamp', 'winlog.channel', 'winlog.event_id', 'winlog.event_data.CommandLine'].map((name) => ({ name, role: null, role_confidence: 0, inferred_type: 'string' as const })) };
    const wanted = deriveRequirements([intent('threat_hunting')], [], [file]).find((r) => r.capability === 'sigma-detection');
    expect(wanted?.wantedBy).toBe('file:winlogbeat.json (Windows events (Winlogbeat))');
  });
});
