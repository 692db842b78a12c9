// Reads the sessions of a log folder as compiled documents, whatever state each is in: a compiled file, or a stream
// compiled in memory (nothing is written). A stream with no `session-end` is `running` while its file was modified in
// the last ten minutes and `interrupted` after that: a display rule only; rotation waits much longer before it acts.
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
  const document = compileSession(read.events, {
    interrupted: idleMs > (options.liveWindowMs ?? LIVE_STREAM_WINDOW_MS),
    fallback: { sessionId: group.sessionId, sessionName: group.sessionName, startTime: new Date(group.startTimeMs).toISOString() },
  });
  return { group, document, source: 'stream', tornLastLine: read.tornLastLine, invalidLines: read.invalidLines };
}

function signalOf(options: LoadOptions): { signal?: AbortSignal } {
  return options.signal === undefined ? {} : { signal: options.signal };
}
