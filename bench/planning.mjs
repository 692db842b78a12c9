// Plan generation without reading data (file profiles made beforehand), uncached and from the pattern cache, per plan
// in microseconds; and profiling the 1M-row bench CSV (the head is sampled, the rest never read). The targets
// (0.2 ms uncached, 0.05 ms cached, profiling 140 MB in 50 ms) come from a Python predecessor that cannot run here, so
// the figures are absolute, with the cost of copying the plan as JSON measured in the same run as this machine's floor.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createBuiltInRegistry } from '../dist/components/built-ins.js';
import { PatternCache } from '../dist/planner/pattern-cache.js';
import { parseProblem } from '../dist/planner/parse-problem.js';
import { planWorkflow } from '../dist/planner/plan-workflow.js';
import { planWithMemory } from '../dist/planner/plan-with-memory.js';
import { profileFile } from '../dist/planner/profile-file.js';
import { validatePlan } from '../dist/planner/load-plan.js';
import { Counters } from '../dist/state/counters.js';
import { RunRecords } from '../dist/state/run-records.js';
import { StateDatabase } from '../dist/state/state-database.js';
import { median } from './measure.mjs';

const ROOT = resolve(import.meta.dirname, '..');
const PLANS = 10_000;
const PROBLEM = 'Analyze this CSV for security threats and export enriched data';

/** Microseconds per call of `run`, over `count` calls (after a warm-up of a tenth as many). */
async function perCall(count, run) {
  for (let i = 0; i < Math.max(10, count / 5); i += 1) await run(i);
  globalThis.gc?.();
  const started = process.hrtime.bigint();
  for (let i = 0; i < count; i += 1) await run(i);
  return Number(process.hrtime.bigint() - started) / 1000 / count;
}

function ensureBenchCsv(rows) {
  const dataDir = join(ROOT, 'bench', '.data');
  const input = join(dataDir, `threat_data_${rows}.csv`);
  if (existsSync(input)) return input;
  mkdirSync(dataDir, { recursive: true });
  process.stderr.write(`generating ${rows.toLocaleString('en-US')} rows into ${input}...\n`);
  const out = join(dataDir, `gen_${rows}`);
  execFileSync(process.execPath, [join(ROOT, 'scripts', 'generate-examples.mjs'), '--rows', String(rows), '--out', out], { stdio: ['ignore', 'ignore', 'inherit'] });
  execFileSync('mv', [join(out, 'threat_data.csv'), input]);
  rmSync(out, { recursive: true, force: true });
  return input;
}

export async function planning({ rounds = 5, rows = 1_000_000 } = {}) {
  const home = mkdtempSync(join(tmpdir(), 'cs-helper-bench-plan-'));
  const registry = createBuiltInRegistry();
  const example = join(ROOT, 'examples', 'threat_data.csv');
  const profiles = [await profileFile(example, 'threat_data.csv')];
  const request = { problem: PROBLEM, inputFiles: ['threat_data.csv'], outputs: ['enriched_data', 'threat_report'], baseDir: join(ROOT, 'examples') };
  const state = StateDatabase.open({ home });
  const counters = new Counters(state);
  const records = new RunRecords(state);
  const patterns = new PatternCache(state, counters);
  const times = { uncached: [], cached: [], cachedRecorded: [], floor: [], coldLookup: [], classify: [], validate: [], registryVersion: [] };
  let profilingMs = [];
  let csvBytes = 0;
  try {
    const plan = await planWorkflow(request, registry, { profiles });
    patterns.record(plan);
    const json = JSON.stringify(plan);
    for (let r = 0; r < rounds; r += 1) {
      // Interleaved, round by round: drift in machine load hits every case alike.
      times.uncached.push(await perCall(PLANS, () => planWorkflow(request, registry, { profiles })));
      times.cached.push(await perCall(PLANS, () => planWorkflow(request, registry, { profiles, patterns })));
      times.cachedRecorded.push(await perCall(PLANS, () => planWithMemory(request, registry, { patterns, records }, { profiles })));
      times.floor.push(await perCall(PLANS, () => JSON.parse(json)));
      times.classify.push(await perCall(PLANS, () => parseProblem(PROBLEM)));
      times.validate.push(await perCall(PLANS / 4, () => validatePlan(JSON.parse(json), registry)));
      times.registryVersion.push(await perCall(PLANS, () => registry.version));
      // A new process's first lookup reads the pattern from the database (and checks it) before memory serves it.
      times.coldLookup.push(await perCall(50, () => planWorkflow(request, registry, { profiles, patterns: new PatternCache(state, counters) })));
    }
    const input = ensureBenchCsv(rows);
    csvBytes = statSync(input).size;
    await profileFile(input);
    for (let r = 0; r < Math.max(rounds, 10); r += 1) {
      const started = performance.now();
      await profileFile(input);
      profilingMs.push(performance.now() - started);
    }
  } finally {
    state.close();
    rmSync(home, { recursive: true, force: true });
  }
  const us = Object.fromEntries(Object.entries(times).map(([k, v]) => [k, median(v)]));
  const profiling = median(profilingMs);
  const runs = (k) => times[k].map((v) => v.toFixed(1)).join(', ');
  return {
    name: 'planning',
    plans: PLANS,
    microsecondsPerPlan: us,
    profilingMs: profiling,
    csvBytes,
    print() {
      return [
        `## ${this.name}: Example 1's request on the examples' CSV, profiles made beforehand; median of ${rounds} rounds of ${PLANS.toLocaleString('en-US')} plans (microseconds per plan)`,
        `  uncached (planWorkflow):                        ${us.uncached.toFixed(1)} us   (runs: ${runs('uncached')}; target <= 200 us)`,
        `  from the pattern cache (in memory):             ${us.cached.toFixed(1)} us   (runs: ${runs('cached')}; target <= 50 us)`,
        `  from the pattern cache, time recorded (CLI way): ${us.cachedRecorded.toFixed(1)} us   (runs: ${runs('cachedRecorded')})`,
        `  first lookup of a process (from the database):  ${us.coldLookup.toFixed(1)} us   (runs: ${runs('coldLookup')})`,
        `  floor, JSON.parse of the plan as text:          ${us.floor.toFixed(1)} us   (runs: ${runs('floor')})`,
        `  inside: problem analysis ${us.classify.toFixed(1)} us, plan validation ${us.validate.toFixed(1)} us (skipped on a cache hit), registry.version ${us.registryVersion.toFixed(1)} us per call`,
        `  profiling ${(csvBytes / 1e6).toFixed(0)} MB CSV (${rows.toLocaleString('en-US')} rows, head sampled): ${profiling.toFixed(1)} ms   (runs: ${profilingMs.map((v) => v.toFixed(1)).join(', ')}; target <= 50 ms)`,
      ].join('\n');
    },
  };
}
