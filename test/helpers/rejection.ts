// Awaits a promise that must reject with a given error class and returns the error, typed, for field-by-field assertions.

export async function rejectionOf<E extends Error>(promise: Promise<unknown>, type: abstract new (...args: never[]) => E): Promise<E> {
  let outcome: { rejected: false } | { rejected: true; error: unknown };
  try {
    await promise;
    outcome = { rejected: false };
  } catch (error) {
    outcome = { rejected: true, error };
  }
  if (!outcome.rejected) throw new Error(`expected a ${type.name}, but the promise resolved`);
  if (!(outcome.error instanceof type)) {
    const got = outcome.error instanceof Error ? `${outcome.error.name}: ${outcome.error.message}` : String(outcome.error);
    throw new Error(`expected a ${type.name}, got ${got}`);
  }
  return outcome.error;
}
