import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileSession } from '../../src/session/compile-session.js';
import { readSessionEvents } from '../../src/session/session-files.js';
import { sessionRuns } from '../../src/session/session-runs.js';
import { COMPLETED, CRASHED, SESSION_FIXTURES } from '../helpers/session-fixtures.js';

async function runsOf(file: string, interrupted: boolean): Promise<ReturnType<typeof sessionRuns>> {
  const { events } = await readSessionEvents(join(SESSION_FIXTURES, file));
  return sessionRuns(compileSession(events, { interrupted }));
}

describe('sessionRuns', () => {
  it('reads a run as its steps with their final status, time and estimate', async () => {
    const [run, ...others] = await runsOf(COMPLETED.file, true);
    expect(others).toEqual([]);
    expect(run).toMatchObject({ trace_id: '0195606f-e284-7b1c-9c3a-1f0e2d3c4b5a', status: 'completed', started_at: '2025-03-04T09:15:00.100Z', duration_ms: 470, estimated_ms: 170 });
    expect(run?.steps.map((s) => [s.step, s.component, s.status, s.duration_ms, s.estimated_ms, s.attempts])).toEqual([
      ['import', 'import.csv', 'completed', 180, 100, 1],
      ['enrich', 'processing.enrich', 'completed', 30, 50, 2],
      ['export-enriched_data', 'export.csv', 'completed', 40, 20, 1],
    ]);
    // The retry's error is history, not the outcome of a step that then completed.
    expect(run?.steps[1]?.error).toBeNull();
  });

  it('marks what never ended as interrupted in a dead session, and in progress in a live one', async () => {
    const [dead] = await runsOf(CRASHED.file, true);
    expect(dead?.status).toBe('interrupted');
    expect(dead?.duration_ms).toBeNull();
    expect(dead?.steps.map((s) => [s.step, s.status])).toEqual([
      ['import', 'completed'],
      ['patterns', 'interrupted'],
    ]);
    const [live] = await runsOf(CRASHED.file, false);
    expect(live?.status).toBe('in_progress');
    expect(live?.steps[1]?.status).toBe('in_progress');
  });
});
