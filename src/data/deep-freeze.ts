// Makes plain JSON data read-only all the way down: what the pattern cache, the problem-analysis memo and the compiled
// Sigma rules hand out is shared between callers, so it must not be changeable by any of them (a write throws in
// strict mode).

export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}
