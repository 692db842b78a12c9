// The pattern cache key holds every capability a problem asks for: a problem that names one more capability (Sigma
// rules, an ATT&CK Navigator layer) than a cached plan provides is planned afresh, not served the cached plan.
import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createBuiltInRegistry } from '../../src/components/built-ins.js';
import { PatternCache } from '../../src/planner/pattern-cache.js';
import { planWithMemory, rememberPattern } from '../../src/planner/plan-with-memory.js';
import { planWorkflow } from '../../src/planner/plan-workflow.js';
import { Counters } from '../../src/state/counters.js';
import { RunRecords } from '../../src/state/run-records.js';
import { StateDatabase } from '../../src/state/state-database.js';
import { FIXTURES_DIR } from '../helpers/component-harness.js';

const registry = createBuiltInRegistry();
const BASE = 'Analyze this CSV for security threats';

describe('the pattern cache and the capabilities a problem names', () => {
  let dir: string;
  let state: StateDatabase;
  let patterns: PatternCache;
  let records: RunRecords;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cs-helper-pattern-capabilities-'));
    await copyFile(join(FIXTURES_DIR, 'firewall.csv'), join(dir, 'threat_data.csv'));
    state = StateDatabase.open({ home: join(dir, 'home') });
    patterns = new PatternCache(state, new Counters(state), { maxEntries: 10 });
    records = new RunRecords(state);
  });
  afterEach(async () => {
    state.close();
    await rm(dir, { recursive: true, force: true });
  });

  const request = (problem: string) => ({ problem, inputFiles: ['threat_data.csv'], outputs: ['enriched_data', 'threat_report'], baseDir: dir });

  it.each([
    [`${BASE} using sigma rules`, 'analysis.sigma', BASE],
    ['Map threats in this CSV to MITRE ATT&CK with a navigator layer', 'export.navigator', 'Map threats in this CSV to MITRE ATT&CK'],
  ])('plans "%s" with %s after the plain problem ran well', async (problem, component, plain) => {
    const first = await planWithMemory(request(plain), registry, { patterns, records });
    expect(first.nodes.map((n) => n.component)).not.toContain(component);
    rememberPattern(patterns, first, 'completed');

    const fresh = await planWorkflow(request(problem), registry);
    expect(fresh.nodes.map((n) => n.component)).toContain(component);

    const planned = await planWithMemory(request(problem), registry, { patterns, records });
    expect(planned.nodes.map((n) => n.component)).toEqual(fresh.nodes.map((n) => n.component));
    expect(planned.nodes.map((n) => n.component)).toContain(component);
  });
});
