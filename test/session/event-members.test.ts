// The hand-written members of the frequent events must be exactly what JSON.stringify writes, whatever the texts hold.
import { describe, expect, it } from 'vitest';
import { eventMembers } from '../../src/session/event-members.js';
import { num } from '../../src/session/json-number.js';
import type { SessionEventInput } from '../../src/session/session-event.js';

const AWKWARD = ['plain', 'with "quotes" and \\ backslash', 'tab\there, newline\nthere, NUL \u0000', 'é ü ß 日本 🛡️', 'lone \ud800 surrogate', '', '</script>'];

function events(text: string): SessionEventInput[] {
  return [
    { event: 'tool-call', tool: text, parameters: { feeds: [], include_bundled: true, columns: null, note: text }, duration_ms: 12.57, rows_in: 10_000, rows_out: 0, result: text, error: null },
    { event: 'tool-call', tool: 'analysis.patterns', parameters: {}, duration_ms: Number.NaN, rows_in: null, rows_out: Number.POSITIVE_INFINITY, result: null, error: text },
    { event: 'tool-call', tool: 'analysis.patterns', parameters: { at: new Date(0), gone: undefined }, duration_ms: -0, rows_in: 1e21, rows_out: 2.5e-7, result: null, error: null },
    { event: 'tool-call', tool: 'intel.ioc-match', parameters: { columns: ['src_ip', text], nested: { text }, list: [1, undefined] }, duration_ms: 3, rows_in: 1, rows_out: 1, result: 'ok', error: null },
    { event: 'tool-call', tool: 'intel.ioc-match', parameters: { [text]: 1, 2: text, 1: -0 }, duration_ms: 3, rows_in: 1, rows_out: 1, result: 'ok', error: null },
    { event: 'workflow-execution', workflow_name: text, step_name: `step ${text}`, status: 'completed', metadata: { rows: 3, text } },
    { event: 'data-operation', operation_type: 'read', target: text, rows: 5, bytes: null, columns: ['a', text], detail: { text } },
    { event: 'data-operation', operation_type: 'write', target: 'out.csv', rows: null, bytes: 12, columns: null, detail: {} },
    { event: 'data-operation', operation_type: 'write', target: 'out.csv', rows: 1, bytes: 12, columns: [text, { text }] as unknown as string[], detail: { at: new Date(0) } },
    { event: 'info', level: 'warn', type: text, description: `about ${text}`, metadata: { list: [1, text] } },
  ];
}

describe('eventMembers', () => {
  it('writes the frequent events exactly as JSON.stringify would', () => {
    for (const text of AWKWARD) {
      for (const event of events(text)) expect(`{${eventMembers(event)}}`).toBe(JSON.stringify(event));
    }
  });

  it('writes every other kind, and members of an unexpected type, through JSON.stringify', () => {
    const odd = { event: 'tool-call', tool: 42, parameters: {}, duration_ms: 1, rows_in: null, rows_out: null, result: null, error: null } as unknown as SessionEventInput;
    const decision: SessionEventInput = { event: 'decision', decision: 'strategy', chosen: 'fast', alternatives: [{ option: 'slow', score: 0.2 }], confidence: 0.8, threshold: null, reasoning: 'small "input"' };
    for (const event of [odd, decision]) expect(`{${eventMembers(event)}}`).toBe(JSON.stringify(event));
  });

  it('redacts a secret-named key or a secret-shaped value in parameters, metadata, detail and column lists', () => {
    const members = [
      eventMembers({ event: 'tool-call', tool: 'integration.siem', parameters: { Password: 'hunter2', list: ['x', 'Bearer abcdefghijklmnop'] }, duration_ms: 1, rows_in: null, rows_out: null, result: null, error: null }),
      eventMembers({ event: 'info', level: 'info', type: 'feed', description: 'loaded', metadata: { url: 'https://kira:hunter2@feeds.example/list' } }),
      eventMembers({ event: 'workflow-execution', workflow_name: 'w', step_name: 's', status: 'completed', metadata: { nested: { api_key: 'hunter2' } } }),
      eventMembers({ event: 'data-operation', operation_type: 'read', target: 'f.csv', rows: 1, bytes: 1, columns: ['token=hunter2'], detail: {} }),
    ];
    for (const text of members) expect(text).not.toContain('hunter2');
    expect(members[0]).not.toContain('abcdefghijklmnop');
  });

  it('redacts what looks secret in any text of a frequent event', () => {
    const members = eventMembers({ event: 'tool-call', tool: 'integration.siem', parameters: { api_key: 'k-123456789' }, duration_ms: 1, rows_in: null, rows_out: null, result: 'sent with Bearer abcdefghijklmnop', error: null });
    expect(members).not.toContain('k-123456789');
    expect(members).not.toContain('abcdefghijklmnop');
    expect(JSON.parse(`{${members}}`)).toMatchObject({ parameters: { api_key: '[REDACTED]' }, result: 'sent with [REDACTED]' });
  });
});

describe('num', () => {
  it('writes every hundredth from -2,000 to 2,000, and random hundredths and doubles, as JSON.stringify does', () => {
    const wrong: number[] = [];
    for (let cents = -200_000; cents <= 200_000; cents += 1) {
      const value = cents / 100;
      if (num(value) !== JSON.stringify(value)) wrong.push(value);
    }
    for (let i = 0; i < 20_000; i += 1) {
      const big = Math.round((Math.random() - 0.5) * 2e14) / 100;
      const any = (Math.random() - 0.5) * 10 ** Math.floor(Math.random() * 30 - 10);
      for (const value of [big, any]) if (num(value) !== JSON.stringify(value)) wrong.push(value);
    }
    expect(wrong).toEqual([]);
    expect([num(null), num(Number.NaN), num(-0), num(1e21), num(-0.05)]).toEqual(['null', 'null', '0', '1e+21', '-0.05']);
  });
});
