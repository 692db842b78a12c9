// The hand-written JSON of flat records and lists must be JSON.stringify's, and must leave everything else to it.
import { describe, expect, it } from 'vitest';
import { flatListJson, flatRecordJson } from '../../src/session/flat-json.js';

class Point {
  x = 1;
}

describe('flatRecordJson', () => {
  it('writes flat records exactly as JSON.stringify does, and gives their keys and strings as texts', () => {
    const records: Record<string, unknown>[] = [
      {},
      { feeds: [], include_bundled: true, columns: null },
      { 2: 'two', 1: 'one', b: 'x', a: -0, nan: Number.NaN, inf: -Infinity, big: 1e21, small: 2.5e-7, cents: 12.57, gone: undefined },
      { list: ['a', 1, false, null, 3.25], empty: '' },
      Object.defineProperty({ shown: 1 }, 'hidden', { value: 2, enumerable: false }),
      { get computed() { return 'value'; } },
    ];
    for (const record of records) expect(flatRecordJson(record)?.json).toBe(JSON.stringify(record));
    expect(flatRecordJson({ tool: 'x', columns: ['src_ip', 'dst_ip'], rows: 3 })?.texts).toBe(' x tool src_ip dst_ip columns rows');
  });

  it('leaves to JSON.stringify what it does not write: nested objects, other prototypes, toJSON, odd values', () => {
    const others: object[] = [
      { nested: { a: 1 } },
      { at: new Date(0) },
      { list: [1, undefined] },
      { list: [1, , 3] }, // eslint-disable-line no-sparse-arrays -- a hole, which JSON writes as null
      { list: [[1]] },
      { fn: () => 1 },
      { n: 10n },
      { s: Symbol('s') },
      Object.assign(Object.create(null) as object, { a: 1 }),
      new Point(),
      { toJSON: () => 'x' },
    ];
    for (const value of others) expect(flatRecordJson(value)).toBeNull();
  });
});

describe('flatListJson', () => {
  it('writes flat lists as JSON.stringify does and refuses anything else', () => {
    for (const list of [[], ['a'], ['a', 'b', 1, true, null, Number.NaN]]) expect(flatListJson(list)?.json).toBe(JSON.stringify(list));
    expect(flatListJson(['a', 'b'])?.texts).toBe(' a b');
    expect(flatListJson([undefined])).toBeNull();
    expect(flatListJson([{ a: 1 }])).toBeNull();
    expect(flatListJson(Object.assign([1], { toJSON: () => 'x' }))).toBeNull();
  });
});
