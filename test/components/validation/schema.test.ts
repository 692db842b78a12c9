import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { schemaValidation } from '../../../src/components/validation/schema.js';
import type { DatasetHandle } from '../../../src/model/dataset.js';
import { ValidationSpecError } from '../../../src/model/errors/validation-spec-error.js';
import type { ComponentHarness } from '../../helpers/component-harness.js';
import { rejectionOf } from '../../helpers/rejection.js';
import { openFirewall, rowsFor, violationsOf, writeSpec } from '../../helpers/validation-fixtures.js';

interface RuleCount {
  rule: string;
  count: number;
  checked_by: string;
}

function failedRules(summary: Record<string, unknown> | undefined): Record<string, number> {
  return Object.fromEntries((summary?.['by_rule'] as RuleCount[]).filter((r) => r.count > 0).map((r) => [r.rule, r.count]));
}

/**
 * firewall-events.csv against firewall-event.schema.json, by hand (rows from 1): src_ip is not IPv4 in rows 5
 * (10.20.300.87) and 23 (unknown); bytes_sent is not an integer in 12 (N/A) and 19 (unknown); dst_port 70000 (row 11)
 * is over the maximum; PERMIT (row 14) is not an allowed action; and the if/then (ajv) finds the login without a user (row 7).
 */
describe('validation.schema', () => {
  let harness: ComponentHarness;
  let dataset: DatasetHandle;
  beforeAll(async () => {
    ({ harness, dataset } = await openFirewall());
  });
  afterAll(async () => {
    await harness.close();
  });

  it('infers column, type, role, nullable and observed ranges', async () => {
    const output = await harness.run(schemaValidation, { datasets: [dataset] }, {});
    const inferred = output.summary?.['inferred'] as Record<string, unknown>[];
    const byName = new Map(inferred.map((c) => [c['column'], c]));
    expect(byName.get('dst_port')).toEqual(expect.objectContaining({ type: 'integer', role: 'port', nullable: false, min: 22, max: 70000 }));
    expect(byName.get('timestamp')).toEqual(expect.objectContaining({ type: 'timestamp', min: '1970-01-01T00:00:00.000Z', max: '2099-01-01T00:00:00.000Z' }));
    expect(byName.get('user')).toEqual(expect.objectContaining({ type: 'string', role: 'user', nullable: true, missing: 7, min_length: 4, max_length: 13 }));
    expect(byName.get('bytes_sent')).toEqual(expect.objectContaining({ type: 'string', min_length: 1, max_length: 10 }));
    const jsonSchema = output.summary?.['inferred_json_schema'] as { required: string[]; properties: Record<string, unknown> };
    expect(jsonSchema.required).not.toContain('user');
    expect(jsonSchema.properties['timestamp']).toEqual({ type: 'string', format: 'date-time' });
    expect(output.message).toBe('inferred the schema of 11 columns (no schema given to validate against)');
  });

  it('validates against a JSON Schema: counts per rule and the exact rows, in the engine and with ajv', async () => {
    const output = await harness.run(schemaValidation, { datasets: [dataset] }, { schema: 'firewall-event.schema.json' });
    expect(failedRules(output.summary)).toEqual({ 'src_ip.format': 2, 'bytes_sent.type': 2, 'dst_port.maximum': 1, 'action.enum': 1, 'user.required': 1 });
    expect((output.summary?.['by_rule'] as unknown as RuleCount[]).find((r) => r.rule === 'user.required')?.checked_by).toBe('ajv');
    expect(output.summary?.['ajv']).toEqual({ columns: 11, rows_checked: 25 });
    const violations = await violationsOf(harness, output);
    expect(rowsFor(violations, 'src_ip.format')).toEqual([5, 23]);
    expect(rowsFor(violations, 'bytes_sent.type')).toEqual([12, 19]);
    expect(rowsFor(violations, 'user.required')).toEqual([7]);
    expect(violations.find((v) => v.rule === 'dst_port.maximum')).toEqual({ row: 11, rule: 'dst_port.maximum', column: 'dst_port', severity: 'error', value: '70000', message: 'must be <= 65535' });
    expect(violations.find((v) => v.rule === 'user.required')?.message).toBe("must have required property 'user'");
    expect(output.message).toBe('7 schema errors in 5 of 27 rules against firewall-event.schema.json: bytes_sent.type 2, src_ip.format 2, action.enum 1, dst_port.maximum 1, user.required 1');
  });

  it('validates against a column-type spec, with a missing required column reported once for the whole data', async () => {
    const output = await harness.run(schemaValidation, { datasets: [dataset] }, { schema: 'firewall-columns.yaml' });
    expect(output.summary?.['kind']).toBe('column-spec');
    expect(failedRules(output.summary)).toEqual({ 'rule_name.required': 25, 'event_id.unique': 2, 'src_ip.type': 2, 'bytes_sent.type': 2, 'timestamp.min': 1, 'timestamp.max': 1, 'dst_port.type': 1, 'bytes_sent.max': 1, 'action.enum': 1 });
    const violations = await violationsOf(harness, output);
    expect(violations.filter((v) => v.rule === 'rule_name.required')).toEqual([{ row: null, rule: 'rule_name.required', column: 'rule_name', severity: 'error', value: null, message: 'column rule_name is missing from the data' }]);
    expect(rowsFor(violations, 'event_id.unique')).toEqual([10, 21]);
    expect(rowsFor(violations, 'timestamp.min')).toEqual([18]);
    expect(rowsFor(violations, 'timestamp.max')).toEqual([15]);
    expect(rowsFor(violations, 'bytes_sent.max')).toEqual([17]);
  });

  it('reads draft 7 and checks what the engine cannot with ajv (patterns through RE2)', async () => {
    const path = await writeSpec(harness, 'draft7.json', JSON.stringify({ $schema: 'http://json-schema.org/draft-07/schema#', properties: { user: { anyOf: [{ pattern: '^[a-z][a-z._]+$' }, { const: 'root' }] } } }));
    const output = await harness.run(schemaValidation, { datasets: [dataset] }, { schema: path });
    const violations = await violationsOf(harness, output);
    expect(rowsFor(violations, 'user.anyOf')).toEqual([8]);
  });

  it('refuses a misspelt keyword, a remote reference and an unknown draft, naming the file', async () => {
    const typo = await writeSpec(harness, 'typo.json', JSON.stringify({ properties: { dst_port: { type: 'integer', maximun: 65535 } } }));
    const typoError = await rejectionOf(harness.run(schemaValidation, { datasets: [dataset] }, { schema: typo }), ValidationSpecError);
    expect(typoError.message).toBe(`${typo}: not a usable JSON Schema: strict mode: unknown keyword: "maximun"`);

    const remote = await writeSpec(harness, 'remote.json', JSON.stringify({ properties: { src_ip: { $ref: 'https://example.org/ip.json' } } }));
    const remoteError = await rejectionOf(harness.run(schemaValidation, { datasets: [dataset] }, { schema: remote }), ValidationSpecError);
    expect(remoteError.message).toContain("can't resolve reference https://example.org/ip.json");
    expect(remoteError.hint).toContain('nothing is fetched');

    const draft4 = await writeSpec(harness, 'draft4.json', JSON.stringify({ $schema: 'http://json-schema.org/draft-04/schema#' }));
    expect((await rejectionOf(harness.run(schemaValidation, { datasets: [dataset] }, { schema: draft4 }), ValidationSpecError)).message).toContain('is not a draft CS Helper reads');
  });

  it('finds the line of a mistake in a column spec', async () => {
    const path = await writeSpec(harness, 'bad-spec.yaml', 'columns:\n  dst_port:\n    type: port\n  bytes_sent:\n    type: integer\n    min: "zero"\n');
    const error = await rejectionOf(harness.run(schemaValidation, { datasets: [dataset] }, { schema: path }), ValidationSpecError);
    expect(error.message).toBe(`${path}:6: bytes_sent: min of a integer column is a number`);
  });
});
