// The parameter names plan validation checks a step's parameters against: an object schema's keys, or no list at all
// for a schema that takes any key.
import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { createBuiltInRegistry } from '../../src/components/built-ins.js';
import { parameterNames } from '../../src/components/parameter-names.js';

describe('parameterNames', () => {
  it("lists an object schema's keys, also behind a transform", () => {
    expect(parameterNames(z.object({ top: z.number(), title: z.string() }))).toEqual(['top', 'title']);
    expect(parameterNames(z.strictObject({ top: z.number() }))).toEqual(['top']);
    expect(parameterNames(z.object({ top: z.number() }).transform((p) => p.top))).toEqual(['top']);
  });

  it('gives no list for a schema that takes any key or is no object', () => {
    expect(parameterNames(z.looseObject({ top: z.number() }))).toBeNull();
    expect(parameterNames(z.object({}).catchall(z.string()))).toBeNull();
    expect(parameterNames(z.record(z.string(), z.unknown()))).toBeNull();
  });

  it('has a list for every built-in component', () => {
    for (const component of createBuiltInRegistry().list()) expect(parameterNames(component.params), component.id).not.toBeNull();
  });
});
