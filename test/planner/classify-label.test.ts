import { describe, expect, it } from 'vitest';
import type { FileProfile } from '../../src/model/file-profile.js';
import { labelNamedInProblem } from '../../src/planner/classify-label.js';

const file = (...names: string[]): FileProfile => ({
  path: 'flows.csv',
  kind: 'csv',
  bytes: 10,
  encoding: 'utf-8',
  delimiter: ',',
  has_header: true,
  columns: names.map((name) => ({ name, role: null, role_confidence: 0, inferred_type: 'string' as const })),
  estimated_rows: 1,
  schema_fingerprint: 'x',
  notes: [],
});

describe('labelNamedInProblem', () => {
  const unsw = file('dur', 'proto', 'attack_cat', 'label');

  it('takes the label column the problem names, in its own words', () => {
    expect(labelNamedInProblem('Classify these network flows by attack category', [unsw])).toBe('attack_cat');
    expect(labelNamedInProblem('Predict the attack_cat of each flow', [unsw])).toBe('attack_cat');
    expect(labelNamedInProblem('Train a model on the label column', [unsw])).toBe('label');
  });

  it('leaves the choice to the classifier when no label column is named, or when there is only one', () => {
    expect(labelNamedInProblem('Classify these network flows as attack or normal', [unsw])).toBeNull();
    expect(labelNamedInProblem('Classify by attack category', [file('dur', 'attack_cat')])).toBeNull();
  });

  it('prefers the most specific mention: "attack category" is attack_cat, not a column called attack or category', () => {
    expect(labelNamedInProblem('Classify connections by attack category', [file('attack', 'category', 'attack_cat')])).toBe('attack_cat');
    expect(labelNamedInProblem('Which attack is each connection?', [file('attack', 'label')])).toBe('attack');
  });
});
