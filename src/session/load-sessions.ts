// Reads the sessions of a log folder as compiled documents, whatever state each is in: a compiled file, or a stream
// compiled in memory (nothing is written). A stream with no `session-end` is `running` while its file was modified in
// the last ten minutes and its writer may be alive, `interrupted` after that or once its writer, a process of this
// machine, is gone: a display rule only; rotation waits much longer before it acts.
import { hostname } from 'node:os';
import { processExists } from '../process-alive.js';
import type { CompiledSession } from './compiled-session.js';
import { compileSession } from './compile-session.js';
import { listSessionFiles, readCompiledSession, readSessionEvents, type SessionFile, type SessionFileGroup } from './session-files.js';

export const LIVE_STREAM_WINDOW_MS = 10 * 60 * 1000;

export interface LoadedSession {
  readonly group: SessionFileGroup;
  readonly document: CompiledSession;
  readonly source: 'compiled' | 'stream';
  readonly tornLastLine: boolean;
  readonly invalidLines: readonly number[];
}

export interface LoadOptions {
  readonly now?: number;
  readonly liveWindowMs?: number;
  readonly signal?: AbortSignal;
}

export interface LoadProblem {
  readonly sessionId: string;
  readonly message: string;
}

/** Every session of the folder, oldest first, and the ones that could not be read, with why. */
export async function loadSessions(dir: string, options: LoadOptions = {}): Promise<{ sessions: LoadedSession[]; problems: LoadProblem[] }> {
  const sessions: LoadedSession[] = [];
  const problems: LoadProblem[] = [];
  for (const group of await listSessionFiles(dir)) {
    try {
      sessions.push(await loadSession(group, options));
    } catch (error) {
      options.signal?.throwIfAborted();
      problems.push({ sessionId: group.sessionId, message: error instanceof Error ? error.message : String(error) });
    }
  }
  return { sessions, problems };
}

/**
 * A stream newer than the compiled document is read first (the document is a snapshot of an older state); if the
 * preferred file cannot be read, the other one is tried before giving up.
 */
export async function loadSession(group: SessionFileGroup, options: LoadOptions = {}): Promise<LoadedSession> {
  const { stream, compiled } = group;
  const streamFirst = stream !== null && (compiled === null || stream.mtimeMs > compiled.mtimeMs);
  const order: (() => Promise<LoadedSession>)[] = [];
  if (stream !== null) order.push(() => fromStream(group, stream, options));
  if (compiled !== null) order.push(async () => ({ group, document: await readCompiledSession(compiled.path, signalOf(options)), source: 'compiled', tornLastLine: false, invalidLines: [] }));
  if (!streamFirst) order.reverse();
  let firstError: unknown = new Error(`session ${group.sessionId} has no readable file`);
  for (const [index, load] of order.entries()) {
    try {
      return await load();
    } catch (error) {
      options.signal?.throwIfAborted();
      if (index === 0) firstError = error;
    }
  }
  throw firstError;
}

async function fromStream(group: SessionFileGroup, stream: SessionFile, options: LoadOptions): Promise<LoadedSession> {
  const read = await readSessionEvents(stream.path, signalOf(options));
  const idleMs = (options.now ?? Date.now()) - stream.mtimeMs;
  const start = read.events.find((e) => e.event === 'session-start');
  const document = compileSession(read.events, {
    interrupted: idleMs > (options.liveWindowMs ?? LIVE_STREAM_WINDOW_MS) || (start?.event === 'session-start' && writerIsGone(start.pid, start.host)),
    fallback: { sessionId: group.sessionId, sessionName: group.sessionName, startTime: new Date(group.startTimeMs).toISOString() },
  });
  return { group, document, source: 'stream', tornLastLine: read.tornLastLine, invalidLines: read.invalidLines };
}

/**
 * Whether the process that wrote a stream is known to be gone: it ran on this machine and no process has its id. A
 * killed run (`kill -9`, a crash) then shows as interrupted at once, not as running for ten minutes. Another machine's
 * writer (a shared log folder), an id taken by a new process, or a log written before the id was recorded: not known.
 */
export function writerIsGone(pid: number | undefined, host: string | undefined): boolean {
  return pid !== undefined && host === hostname() && pid !== process.pid && !processExists(pid);
}

function signalOf(options: LoadOptions): { signal?: AbortSignal } {
  return options.signal === undefined ? {} : { signal: options.signal };
}
