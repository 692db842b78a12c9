// Ctrl-C and SIGTERM cancel the work in progress through an AbortSignal, so it stops cleanly and says what it finished;
// a second Ctrl-C quits at once.
import type { Printer } from './output-stream.js';

export interface SignalCancellation {
  readonly signal: AbortSignal;
  /** Removes the listeners: call it when the work is over, or Ctrl-C would keep cancelling nothing. */
  dispose(): void;
}

export function cancelOnSignal(out: Printer, what = 'the run'): SignalCancellation {
  const controller = new AbortController();
  let interrupts = 0;
  const onSignal = (): void => {
    interrupts += 1;
    if (interrupts > 1) process.exit(130);
    out.note(`cancelling ${what}... (press Ctrl-C again to quit at once)`);
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    signal: controller.signal,
    dispose: () => {
      process.removeListener('SIGINT', onSignal);
      process.removeListener('SIGTERM', onSignal);
    },
  };
}
