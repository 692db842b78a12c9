import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/model/errors/usage-error.js';
import { parseConstraints, parseConstraintsJson } from '../../src/planner/constraints.js';

function usageErrorOf(action: () => unknown): UsageError {
  try {
    action();
  } catch (error) {
    if (error instanceof UsageError) return error;
    throw error;
  }
  throw new Error('expected a UsageError');
}

describe('constraints', () => {
  it('reads the known limits', () => {
    expect(parseConstraintsJson('{"time_budget_seconds": 60, "no_network": true, "max_rows": 100000}')).toEqual({ time_budget_seconds: 60, no_network: true, max_rows: 100000 });
    expect(parseConstraintsJson('{}')).toEqual({});
    expect(parseConstraints({ time_budget_seconds: 0.5 })).toEqual({ time_budget_seconds: 0.5 });
  });

  it('refuses text that is not JSON, with a hint showing the shape', () => {
    const error = usageErrorOf(() => parseConstraintsJson('{time_budget_seconds: 60}'));
    expect(error.code).toBe('usage');
    expect(error.message).toContain('--constraints is not valid JSON');
    expect(error.hint).toContain('"time_budget_seconds": 60');
  });

  it('refuses unknown keys, so that a misspelt limit is not ignored', () => {
    const error = usageErrorOf(() => parseConstraintsJson('{"max_row": 10}'));
    expect(error.message).toBe("invalid constraints: unknown constraint 'max_row'");
    expect(error.hint).toContain('time_budget_seconds, no_network, max_rows');
  });

  it('refuses values of the wrong type or range, naming the key', () => {
    expect(usageErrorOf(() => parseConstraintsJson('{"max_rows": 0}')).message).toContain('max_rows');
    expect(usageErrorOf(() => parseConstraintsJson('{"max_rows": 1.5}')).message).toContain('max_rows');
    expect(usageErrorOf(() => parseConstraintsJson('{"time_budget_seconds": -1}')).message).toContain('time_budget_seconds');
    expect(usageErrorOf(() => parseConstraintsJson('{"no_network": "yes"}')).message).toContain('no_network');
    expect(usageErrorOf(() => parseConstraintsJson('[1, 2]')).message).toContain('invalid constraints');
    expect(usageErrorOf(() => parseConstraintsJson('null')).message).toContain('invalid constraints');
  });

  it('is not fooled by a prototype key', () => {
    expect(usageErrorOf(() => parseConstraintsJson('{"__proto__": {"max_rows": 1}}')).message).toContain('__proto__');
  });
});
