import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rulesValidation } from '../../../src/components/validation/rules.js';
import type { DatasetHandle } from '../../../src/model/dataset.js';
import type { ComponentHarness } from '../../helpers/component-harness.js';
import { ValidationSpecError } from '../../../src/model/errors/validation-spec-error.js';
import { rejectionOf } from '../../helpers/rejection.js';
import { openFirewall, rowsFor, violationsOf, writeSpec } from '../../helpers/validation-fixtures.js';

/**
 * firewall-rules.yaml on firewall-events.csv (25 rows; rows count from 1), by hand:
 * - bytes_sent_limit: 17 sends 5,000,000,000; 12 (N/A) and 19 (unknown) are not numbers: 3.
 * - dst_port_range: 11 (70000). known_action: 14 (PERMIT). unique_event_id: 10 (FW-1009 again), 21 (FW-1020 again).
 * - login_has_user: logins are rows 2, 6, 7, 8, 19, 22; row 7 has no user. user_format: row 8 (Admin!).
 * - ssh_from_outside_denied: the SSH rows (6-8) are all denied: holds.
 */
describe('validation.rules', () => {
  let harness: ComponentHarness;
  let dataset: DatasetHandle;
  beforeAll(async () => {
    ({ harness, dataset } = await openFirewall());
  });
  afterAll(async () => {
    await harness.close();
  });

  it('counts violations per rule and lists the exact rows', async () => {
    const output = await harness.run(rulesValidation, { datasets: [dataset] }, { rules: 'firewall-rules.yaml' });
    const byRule = Object.fromEntries((output.summary?.['by_rule'] as { rule: string; count: number }[]).map((r) => [r.rule, r.count]));
    expect(byRule).toEqual({ bytes_sent_limit: 3, dst_port_range: 1, known_action: 1, unique_event_id: 2, login_has_user: 1, user_format: 1, ssh_from_outside_denied: 0 });
    expect(output.summary?.['violations']).toBe(9);
    expect(output.summary?.['failed_rules']).toBe(6);
    expect(output.summary?.['by_severity']).toEqual({ error: 5, warning: 3, info: 1 });

    const violations = await violationsOf(harness, output);
    expect(rowsFor(violations, 'bytes_sent_limit')).toEqual([12, 17, 19]);
    expect(rowsFor(violations, 'dst_port_range')).toEqual([11]);
    expect(rowsFor(violations, 'known_action')).toEqual([14]);
    expect(rowsFor(violations, 'unique_event_id')).toEqual([10, 21]);
    expect(rowsFor(violations, 'login_has_user')).toEqual([7]);
    expect(rowsFor(violations, 'user_format')).toEqual([8]);
    expect(violations.find((v) => v.rule === 'bytes_sent_limit' && v.row === 17)).toEqual({ row: 17, rule: 'bytes_sent_limit', column: 'bytes_sent', severity: 'warning', value: '5000000000', message: 'A single connection never sends more than 1 GB' });
    expect(violations.find((v) => v.rule === 'unique_event_id' && v.row === 21)).toEqual(expect.objectContaining({ column: 'event_id', value: 'FW-1020', message: 'same event_id as row 20' }));
    expect(violations.find((v) => v.rule === 'known_action')).toEqual(expect.objectContaining({ value: 'PERMIT', message: 'not an allowed value (allow, deny, drop)' }));
    expect(violations.find((v) => v.rule === 'login_has_user')).toEqual(expect.objectContaining({ column: 'user', value: null, message: "user is missing (required if event_type == 'login')" }));
    expect(output.message).toBe('9 violations of 6 of 7 rules (errors 5, warnings 3, info 1): bytes_sent_limit 3, unique_event_id 2, dst_port_range 1, known_action 1, login_has_user 1, user_format 1');
  });

  it('reads the same rules from JSON, with required-if written as keys', async () => {
    const path = await writeSpec(harness, 'rules.json', JSON.stringify({ rules: [{ id: 'login_has_user', required: 'user', when: "event_type = 'login'" }, { id: 'pair', unique: ['src_ip', 'src_port'] }] }));
    const output = await harness.run(rulesValidation, { datasets: [dataset] }, { rules: path });
    const violations = await violationsOf(harness, output);
    expect(rowsFor(violations, 'login_has_user')).toEqual([7]);
    // Rows 20 and 21 are the same connection: the pair repeats once.
    expect(violations.filter((v) => v.rule === 'pair')).toEqual([expect.objectContaining({ row: 21, column: 'src_ip, src_port', value: '10.20.11.7, 51000', message: 'same src_ip, src_port as row 20' })]);
  });

  it('refuses a rule naming a column the data does not have, naming the rule, the column and the nearest column', async () => {
    const path = await writeSpec(harness, 'typo.yaml', 'rules:\n  - id: ok\n    check: dst_port > 0\n  - id: byte_limit\n    check: byts_sent <= 1e9\n');
    const error = await rejectionOf(harness.run(rulesValidation, { datasets: [dataset] }, { rules: path }), ValidationSpecError);
    expect(error).toMatchObject({ code: 'validation-spec-unknown-column', rule: "rule 'byte_limit'", column: 'byts_sent' });
    expect(error.message).toBe(`${path}:4: rule 'byte_limit': names column 'byts_sent', which the data does not have`);
    expect(error.hint).toContain("did you mean 'bytes_sent'?");
  });

  it('runs a catastrophic-backtracking pattern in linear time', async () => {
    const long = await harness.table('long_values', `SELECT repeat('a', 50000) || '!' AS payload FROM range(200)`);
    const path = await writeSpec(harness, 'redos.yaml', "rules:\n  - id: redos\n    column: payload\n    pattern: '(a+)+$'\n");
    const output = await harness.run(rulesValidation, { datasets: [long] }, { rules: path, pattern_time_limit_ms: 20_000 });
    // Every value ends in '!', so none matches the whole pattern; RE2 decides each in one pass.
    expect(output.summary?.['violations']).toBe(200);
  });

  it('names the rule whose pattern RE2 does not accept', async () => {
    const path = await writeSpec(harness, 'lookahead.yaml', "rules:\n  - id: no_lookahead\n    column: user\n    pattern: '(?=admin).*'\n");
    const error = await rejectionOf(harness.run(rulesValidation, { datasets: [dataset] }, { rules: path }), ValidationSpecError);
    expect(error).toMatchObject({ code: 'validation-spec-bad-pattern', rule: 'no_lookahead' });
    expect(error.message).toContain('is not one RE2 accepts');
  });

  it('refuses YAML with a custom tag, and an alias bomb, before reading any rule', async () => {
    const tagged = await writeSpec(harness, 'tagged.yaml', 'rules:\n  - id: x\n    check: !!js/function "function () { return true }"\n');
    const tagError = await rejectionOf(harness.run(rulesValidation, { datasets: [dataset] }, { rules: tagged }), ValidationSpecError);
    expect(tagError).toMatchObject({ code: 'validation-spec-unsafe' });
    expect(tagError.message).toMatch(new RegExp(`^${tagged}:3: refused: `));

    const levels = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 9; i += 1) levels.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9).fill(`*${String.fromCharCode(96 + i)}`).join(',')}]`);
    const bomb = await writeSpec(harness, 'bomb.yaml', `${levels.join('\n')}\nrules: *i\n`);
    const started = performance.now();
    const bombError = await rejectionOf(harness.run(rulesValidation, { datasets: [dataset] }, { rules: bomb }), ValidationSpecError);
    expect(bombError).toMatchObject({ code: 'validation-spec-unsafe' });
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  it('explains a structural mistake with the line and the rule', async () => {
    const path = await writeSpec(harness, 'two-kinds.yaml', 'rules:\n  - id: a\n    column: action\n    allowed: [allow]\n    pattern: x\n');
    const error = await rejectionOf(harness.run(rulesValidation, { datasets: [dataset] }, { rules: path }), ValidationSpecError);
    expect(error.message).toBe(`${path}:2: rule 'a': a rule has exactly one of check, range, allowed, pattern, unique, required; this one has allowed and pattern`);
    const unknownKey = await writeSpec(harness, 'unknown-key.yaml', 'rules:\n  - id: a\n    if: x == 1\n    required: user\n');
    expect((await rejectionOf(harness.run(rulesValidation, { datasets: [dataset] }, { rules: unknownKey }), ValidationSpecError)).message).toMatch(/unknown-key\.yaml:3: rule 'a': Unrecognized key: "if"/);
  });

  it('says which file is missing', async () => {
    const error = await rejectionOf(harness.run(rulesValidation, { datasets: [dataset] }, { rules: 'no-such-rules.yaml' }), ValidationSpecError);
    expect(error.message).toBe('no-such-rules.yaml: no such file');
  });
});
