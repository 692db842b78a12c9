// Cost of logging one event: CS Helper's session logger, pino's synchronous file destination, and the raw floor
// (JSON.stringify + a write stream), side by side in one process on the same events.
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { SessionLogger } from '../dist/index.js';
import { JsonlWriter } from '../dist/session/jsonl-writer.js';
import { median } from './measure.mjs';

const EVENTS = 200_000;

/**
 * Time spent in the session logger's writer flushes (joining the buffered lines and writing them), so that the issue's
 * own measure, serialising and buffering an event, can be told from the writes in the same run. The writer flushes
 * every 64 KB while logging, as in production; one hrtime pair per flush (~1,300 in a round) costs nothing next to it.
 */
let flushNs = 0n;
const flush = JsonlWriter.prototype.flush;
JsonlWriter.prototype.flush = function timedFlush() {
  const started = process.hrtime.bigint();
  try {
    return flush.call(this);
  } finally {
    flushNs += process.hrtime.bigint() - started;
  }
};

/** A step's tool call as the engine logs it: the typical, and most frequent, event of a run. */
function toolCall(i) {
  return { tool: 'intel.ioc-match', parameters: { feeds: [], include_bundled: true, columns: null }, durationMs: 12.5 + (i % 7), rowsIn: 10_000, rowsOut: 45, result: '45 indicator hits on 40 rows (461 indicators from 1 feeds, 5 columns)' };
}

/**
 * Microseconds per event, twice: `logging` is the calls alone (serialising, buffering and the writes made while logging),
 * the issue's measure; `closed` adds the logger's end (the session logger's closing fsync, pino's final flush).
 */
async function timeIt(log) {
  globalThis.gc?.();
  flushNs = 0n;
  const started = process.hrtime.bigint();
  const close = await log();
  const logged = process.hrtime.bigint();
  const writing = Number(flushNs) / 1000 / EVENTS;
  await close();
  const ended = process.hrtime.bigint();
  const logging = Number(logged - started) / 1000 / EVENTS;
  return { logging, closed: Number(ended - started) / 1000 / EVENTS, serialising: logging - writing, writing };
}

/** A small event (a status line with one number), to compare with figures quoted for minimal events. */
function smallInfo(i) {
  return { step: i };
}

export async function sessionLogging({ rounds = 5 } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'cs-helper-bench-log-'));
  const results = { session: [], pino: [], raw: [], sessionSmall: [], pinoSmall: [] };
  try {
    for (let r = 0; r < rounds; r += 1) {
      results.session.push(
        await timeIt(async () => {
          const logger = SessionLogger.start({ logDir: join(dir, `s${r}`) });
          const step = logger.child({ trace_id: 'run', span_id: 'step', operation: 'execute_tool' });
          for (let i = 0; i < EVENTS; i += 1) step.logToolCall(toolCall(i));
          return () => logger.endSession();
        }),
      );
      results.pino.push(
        await timeIt(async () => {
          const destination = pino.destination({ dest: join(dir, `p${r}.log`), sync: true });
          const log = pino({ base: { session_id: 'x' } }, destination);
          const step = log.child({ trace_id: 'run', span_id: 'step', operation: 'execute_tool' });
          for (let i = 0; i < EVENTS; i += 1) step.info(toolCall(i), 'tool-call');
          return () => {
            destination.flushSync();
            destination.end();
          };
        }),
      );
      results.sessionSmall.push(
        await timeIt(async () => {
          const logger = SessionLogger.start({ logDir: join(dir, `ss${r}`) });
          for (let i = 0; i < EVENTS; i += 1) logger.logInfo('progress', 'step done', smallInfo(i));
          return () => logger.endSession();
        }),
      );
      results.pinoSmall.push(
        await timeIt(async () => {
          const destination = pino.destination({ dest: join(dir, `ps${r}.log`), sync: true });
          const log = pino({ base: { session_id: 'x' } }, destination);
          for (let i = 0; i < EVENTS; i += 1) log.info(smallInfo(i), 'step done');
          return () => {
            destination.flushSync();
            destination.end();
          };
        }),
      );
      results.raw.push(
        await timeIt(async () => {
          const stream = createWriteStream(join(dir, `r${r}.log`));
          for (let i = 0; i < EVENTS; i += 1) {
            const line = `${JSON.stringify({ timestamp: new Date().toISOString(), session_id: 'x', event: 'tool-call', trace_id: 'run', span_id: 'step', operation: 'execute_tool', ...toolCall(i) })}\n`;
            if (!stream.write(line)) await new Promise((resolve) => stream.once('drain', resolve));
          }
          return () => new Promise((resolve) => stream.end(resolve));
        }),
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const us = Object.fromEntries(Object.entries(results).map(([k, v]) => [k, median(v.map((run) => run.logging))]));
  const closed = Object.fromEntries(Object.entries(results).map(([k, v]) => [k, median(v.map((run) => run.closed))]));
  const runs = (key) => results[key].map((run) => run.logging.toFixed(2)).join(', ');
  const serialising = median(results.session.map((run) => run.serialising));
  const writing = median(results.session.map((run) => run.writing));
  return {
    name: 'session logging',
    events: EVENTS,
    microsecondsPerEvent: us,
    microsecondsPerEventClosed: closed,
    ratioToPino: us.session / us.pino,
    serialisingMicroseconds: serialising,
    writingMicroseconds: writing,
    print() {
      return [
        `## ${this.name}: ${EVENTS.toLocaleString('en-US')} tool-call events, median of ${rounds} (microseconds per event, written to a file)`,
        `  CS Helper SessionLogger (redaction check, 100 ms flush): ${us.session.toFixed(2)} us   (runs: ${runs('session')})`,
        `    of which serialising and buffering: ${serialising.toFixed(2)} us, writing the buffered lines (join, write every 64 KB): ${writing.toFixed(2)} us   (runs: ${results.session.map((run) => `${run.serialising.toFixed(2)}+${run.writing.toFixed(2)}`).join(', ')})`,
        `  pino, synchronous destination:                          ${us.pino.toFixed(2)} us   (runs: ${runs('pino')})`,
        `  JSON.stringify + write stream (floor):                  ${us.raw.toFixed(2)} us   (runs: ${runs('raw')})`,
        `  ratio CS Helper / pino sync: ${(us.session / us.pino).toFixed(2)}   (targets: <= 3 us per event, and not above pino sync)`,
        `  with the close (CS Helper's final fsync of the ${EVENTS.toLocaleString('en-US')} events, pino's final flush): CS Helper ${closed.session.toFixed(2)} us, pino sync ${closed.pino.toFixed(2)} us, floor ${closed.raw.toFixed(2)} us`,
        `  small info event: CS Helper ${us.sessionSmall.toFixed(2)} us, pino sync ${us.pinoSmall.toFixed(2)} us (runs: ${runs('sessionSmall')} / ${runs('pinoSmall')})`,
      ].join('\n');
    },
  };
}
