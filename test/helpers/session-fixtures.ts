// The session log fixtures (test/fixtures/session/) by role, and small helpers to lay out a log folder for a test.
import { copyFile, utimes, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { v7 as uuidv7 } from 'uuid';

export const SESSION_FIXTURES = resolve(import.meta.dirname, '..', 'fixtures', 'session');

export const COMPLETED = { id: '0195606f-e220-7249-8563-6c347ce7ce24', name: 'triage', file: 'triage_0195606f-e220-7249-8563-6c347ce7ce24.jsonl' } as const;
export const CRASHED = { id: '019560d1-ff50-72ed-aa53-8d4d9855fa4e', name: 'crashed_run', file: 'crashed_run_019560d1-ff50-72ed-aa53-8d4d9855fa4e.jsonl' } as const;
export const LEGACY = { id: '01955ce0-ef00-77e0-b000-f50419feff10', name: 'session_20250303_164000', file: 'session_20250303_164000_01955ce0-ef00-77e0-b000-f50419feff10.jsonl' } as const;
export const FOREIGN_FILES = ['notes.txt', 'other_123.json'] as const;

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/** Copies fixtures into a folder and returns their new paths, in the same order. */
export async function copyFixtures(dir: string, names: readonly string[]): Promise<string[]> {
  const paths = names.map((name) => join(dir, name));
  await Promise.all(names.map((name, i) => copyFile(join(SESSION_FIXTURES, name), paths[i] ?? '')));
  return paths;
}

/** Sets a file's modification time `ageMs` before `now`: how the tests make a file old without waiting. */
export async function age(path: string, ageMs: number, now = Date.now()): Promise<void> {
  const time = new Date(now - ageMs);
  await utimes(path, time, time);
}

/** A minimal stream (start and a question, no end) for a new UUIDv7 session id at `startMs`. */
export async function writeOpenStream(dir: string, name: string, startMs: number): Promise<{ id: string; path: string }> {
  const id = uuidv7({ msecs: startMs });
  const path = join(dir, `${name}_${id}.jsonl`);
  const timestamp = new Date(startMs).toISOString();
  const lines = [
    { timestamp, session_id: id, event: 'session-start', session_name: name, user_agent: 'cs-helper/0.1.0', tool_version: '0.1.0', platform: 'linux', node_version: 'v20.20.2', argv: [], debug: false },
    { timestamp, session_id: id, event: 'interaction', type: 'question', text: 'Process logs for compliance', context: 'interactive_mode', input_type: 'menu_selection', metadata: {} },
  ];
  await writeFile(path, lines.map((l) => `${JSON.stringify(l)}\n`).join(''));
  return { id, path };
}
