// Draws run events on stderr: one line when a step starts, one when it ends with its measured time and numbers.
import pc from 'picocolors';
import type { RunEvent } from '../engine/run-event.js';
import { ms } from './format.js';
import type { Printer } from './output-stream.js';

export function progressPrinter(out: Printer): (event: RunEvent) => void {
  return (event) => {
    switch (event.type) {
      case 'stage-start':
        out.note(pc.dim(`stage ${event.stage + 1} (${event.mode}): ${event.nodes.join(', ')}`));
        break;
      case 'step-start':
        out.note(`  ${pc.dim('→')} ${event.node} ${pc.dim(`(${event.component})`)}`);
        break;
      case 'step-retry':
        out.note(pc.yellow(`  ↻ ${event.node}: attempt ${event.attempt} failed (${event.error}); retrying in ${ms(event.delayMs)}`));
        break;
      case 'step-adapted':
        out.note(pc.yellow(`  ↺ ${event.node}: ${event.detail}`));
        break;
      case 'step-end': {
        const step = event.step;
        const mark = step.status === 'completed' ? pc.green('✔') : step.status === 'skipped' ? pc.dim('○') : step.status === 'cancelled' ? pc.yellow('■') : pc.red('✖');
        out.note(`  ${mark} [${event.index}/${event.total}] ${step.node} ${pc.dim(ms(step.durationMs))}  ${step.summary}`);
        break;
      }
      default:
        break;
    }
  };
}
