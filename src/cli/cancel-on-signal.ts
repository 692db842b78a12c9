// Ctrl-C and SIGTERM cancel the work in progress through an AbortSignal, so it stops cleanly and says what it finished;
// a second one quits at once. Either way the command exits 128 + the signal's number (130 for SIGINT, 143 for SIGTERM),
// as a shell reports a program the signal ended.
import { constants } from 'node:os';
import { removeTemporariesSync } from '../components/export/temporary-files.js';
import type { Printer } from './output-stream.js';

export interface SignalCancellation {
  readonly signal: AbortSignal;
  /** 130 after SIGINT, 143 after SIGTERM: the exit code of a command this cancelled; null while no signal came. */
  readonly exitCode: number | null;
  /** Removes the listeners: call it when the work is over, or Ctrl-C would keep cancelling nothing. */
  dispose(): void;
}

export function signalExitCode(signal: 'SIGINT' | 'SIGTERM'): number {
  return 128 + constants.signals[signal];
}

export function cancelOnSignal(out: Printer, what = 'the run'): SignalCancellation {
  const controller = new AbortController();
  let exitCode: number | null = null;
  let interrupts = 0;
  const onSignal = (signal: 'SIGINT' | 'SIGTERM'): void => {
    interrupts += 1;
    exitCode = signalExitCode(signal);
    if (interrupts > 1) {
      // process.exit skips every finally: the half-written export files are removed here, or they stay behind.
      removeTemporariesSync();
      process.exit(exitCode);
    }
    out.note(`cancelling ${what}... (press Ctrl-C again to quit at once)`);
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    signal: controller.signal,
    get exitCode() {
      return exitCode;
    },
    dispose: () => {
      process.removeListener('SIGINT', onSignal);
      process.removeListener('SIGTERM', onSignal);
    },
  };
}
