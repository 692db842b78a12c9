// Session, plan, run and span ids: UUIDv7, unique, and in the order they were made.
import { validate, version } from 'uuid';
import { describe, expect, it } from 'vitest';
import { uuidV7 } from '../../src/ids/uuid-v7.js';

describe('uuidV7', () => {
  it('makes valid version 7 UUIDs with the RFC 9562 variant', () => {
    for (let i = 0; i < 1_000; i += 1) {
      const id = uuidV7();
      expect(validate(id)).toBe(true);
      expect(version(id)).toBe(7);
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    }
  });

  it('puts the current time in milliseconds in the first 48 bits', () => {
    const before = Date.now();
    const id = uuidV7();
    const after = Date.now();
    const ms = Number.parseInt(id.replaceAll('-', '').slice(0, 12), 16);
    expect(ms).toBeGreaterThanOrEqual(before);
    expect(ms).toBeLessThanOrEqual(after + 1);
  });

  it('gives ids that are unique and sort in the order they were made, many within one millisecond', () => {
    const ids = Array.from({ length: 50_000 }, () => uuidV7());
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
  });

  it('draws fresh random bits for each id (the pool is refilled)', () => {
    // 4 KB of pool gives 409 ids; 2,000 ids cross several refills, and the random tails must all differ.
    const tails = Array.from({ length: 2_000 }, () => uuidV7().slice(-10));
    expect(new Set(tails).size).toBeGreaterThan(1_990);
  });
});
