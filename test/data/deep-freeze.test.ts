// deepFreeze: what the caches share must be read-only at every depth, through arrays, objects and JSON's own
// `__proto__` keys, and a cycle must not recurse forever.
import { describe, expect, it } from 'vitest';
import { deepFreeze } from '../../src/data/deep-freeze.js';

describe('deepFreeze', () => {
  it('freezes every object and array at every depth and leaves the values as they were', () => {
    const data = JSON.parse('{"a": 1, "b": "x", "c": null, "list": [1, {"deep": [[{"x": 2}]]}], "__proto__": {"inner": {"y": 3}}}') as Record<string, unknown>;
    const copy = structuredClone(data);
    expect(deepFreeze(data)).toBe(data);
    const list = data['list'] as [number, { deep: [[{ x: number }]] }];
    const ownProto = Object.getOwnPropertyDescriptor(data, '__proto__')?.value as { inner: { y: number } };
    for (const part of [data, list, list[1], list[1].deep, list[1].deep[0], list[1].deep[0][0], ownProto, ownProto.inner]) expect(Object.isFrozen(part)).toBe(true);
    expect(() => {
      list[1].deep[0][0].x = 5;
    }).toThrow(TypeError);
    expect(() => list.push(3)).toThrow(TypeError);
    expect(data).toEqual(copy);
  });

  it('returns on a cycle, and leaves texts and numbers alone', () => {
    const a: Record<string, unknown> = { name: 'a' };
    const b: Record<string, unknown> = { name: 'b', a };
    a['b'] = b;
    deepFreeze(a);
    expect(Object.isFrozen(a) && Object.isFrozen(b)).toBe(true);
    expect(deepFreeze('text')).toBe('text');
    expect(deepFreeze(42)).toBe(42);
    expect(deepFreeze(null)).toBe(null);
  });
});
