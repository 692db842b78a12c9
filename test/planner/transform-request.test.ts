import { describe, expect, it } from 'vitest';
import { Capability } from '../../src/model/capability.js';
import { readTransformRequest } from '../../src/planner/transform-request.js';
import { extraSteps, isViolationsOutput } from '../../src/planner/validation-requests.js';

const COLUMNS = ['ts', 'src_ip', 'bytes', 'user', 'action'];

describe('reading a transformation out of the problem', () => {
  it('reads de-duplication, a condition and UTC normalisation', () => {
    expect(readTransformRequest('drop duplicates and keep only rows where bytes > 1000', COLUMNS)).toEqual({
      params: { dedupe: true, filter: 'bytes > 1000' },
      cues: ['drop duplicates', 'rows where bytes > 1000'],
    });
    expect(readTransformRequest('Normalize timestamps to UTC and remove duplicate rows', COLUMNS)?.params).toEqual({ dedupe: true, normalise_time: true });
    expect(readTransformRequest('Deduplicate the events', COLUMNS)?.params).toEqual({ dedupe: true });
  });

  it('takes the longest condition the columns make valid, and stops before the rest of the sentence', () => {
    expect(readTransformRequest("Keep only events where action == 'deny' and bytes >= 10, then export them as JSON.", COLUMNS)?.params.filter).toBe("action == 'deny' and bytes >= 10");
    expect(readTransformRequest('Show the rows where bytes > 1000 and export as CSV', COLUMNS)?.params.filter).toBe('bytes > 1000');
    // A column the file does not have is no condition; with no columns known, any well-formed one is taken.
    expect(readTransformRequest('rows where bites > 1000', COLUMNS)).toBeNull();
    expect(readTransformRequest('rows where bites > 1000', [])?.params.filter).toBe('bites > 1000');
  });

  it('reads nothing from problems that only talk about duplicates or conditions in words', () => {
    expect(readTransformRequest('Report how many duplicate rows there are', COLUMNS)).toBeNull();
    expect(readTransformRequest('Find users where the login came from two countries', COLUMNS)).toBeNull();
    expect(readTransformRequest('Analyze this CSV for security threats', COLUMNS)).toBeNull();
  });

  it('never passes a statement through as a condition', () => {
    // The semicolon ends the condition: what follows it is prose to the planner, never part of the filter.
    expect(readTransformRequest('keep rows where bytes > 1; DROP TABLE t', COLUMNS)?.params.filter).toBe('bytes > 1');
    expect(readTransformRequest('keep rows where bytes > (SELECT 1)', COLUMNS)).toBeNull();
  });
});

describe('steps added by the request', () => {
  const files = [{ columns: COLUMNS.map((name) => ({ name })) }] as never;

  it('adds schema and rule validation for the files given, with the flag in the reason', () => {
    const steps = extraSteps('Check the data', files, [], { schema: 'schema.json', validationRules: 'rules.yaml' }, []);
    expect(steps.requirements).toEqual([
      { capability: Capability.schemaValidation, wantedBy: 'request:--schema schema.json' },
      { capability: Capability.ruleValidation, wantedBy: 'request:--validation-rules rules.yaml' },
    ]);
    expect(steps.fingerprint).toEqual({ schema: 'schema.json', validation_rules: 'rules.yaml' });
  });

  it('adds schema inference when the problem asks to validate a schema, and a quality check for a violations output alone', () => {
    expect(extraSteps('Validate the export against the schema', files, [], {}, []).requirements.map((r) => r.capability)).toEqual([Capability.schemaValidation]);
    const violations = { name: 'violations', kind: 'findings', format: 'csv', requested: true } as const;
    expect(isViolationsOutput(violations)).toBe(true);
    expect(extraSteps('Look at this', files, [violations], {}, []).requirements).toEqual([{ capability: Capability.dataQuality, wantedBy: 'output:violations' }]);
    expect(extraSteps('Look at this', files, [], {}, []).requirements).toEqual([]);
  });
});
