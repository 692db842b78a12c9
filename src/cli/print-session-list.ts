// The session list as a table, newest first: id, name, start, duration, status, steps, errors (`sessions list`,
// interactive mode).
import Table from 'cli-table3';
import type { LoadedSession } from '../session/load-sessions.js';
import { ms } from './format.js';
import type { Printer } from './output-stream.js';
import { statusText } from './print-session.js';

/** Prints the sessions in the order given (callers pass them newest first). */
export function printSessionList(sessions: readonly LoadedSession[], logDir: string, out: Printer): void {
  if (sessions.length === 0) {
    out.text(`No sessions in ${logDir}`);
    return;
  }
  const table = new Table({ head: ['id', 'name', 'start (UTC)', 'duration', 'status', 'steps', 'errors'], style: { head: [], border: [], compact: true } });
  for (const { document } of sessions) {
    const meta = document.session_metadata;
    table.push([meta.session_id, meta.session_name, meta.start_time.slice(0, 19).replace('T', ' '), ms(meta.duration_ms), statusText(meta.status), document.performance_metrics.total_workflow_steps, document.performance_metrics.total_errors]);
  }
  out.text(table.toString());
}
