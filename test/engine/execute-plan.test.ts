import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import Papa from 'papaparse';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createBuiltInRegistry } from '../../src/components/built-ins.js';
import { executePlan } from '../../src/engine/execute-plan.js';
import type { RunEvent } from '../../src/engine/run-event.js';
import type { AnyComponent } from '../../src/components/component.js';
import type { ComponentRegistry } from '../../src/components/registry.js';
import type { RunResult } from '../../src/model/run-result.js';
import type { WorkflowPlan } from '../../src/model/workflow-plan.js';
import { fixturePlan } from '../helpers/component-harness.js';
import { filesIn, planNode, planWith, registryWith, rendezvous, testComponent } from '../helpers/test-plans.js';

describe('executePlan: a full run of the planned workflow', () => {
  let outputDir: string;
  let plan: WorkflowPlan;
  let result: RunResult;
  const events: RunEvent[] = [];

  beforeAll(async () => {
    outputDir = await mkdtemp(join(tmpdir(), 'cs-helper-engine-'));
    plan = await fixturePlan();
    result = await executePlan(plan, { registry: createBuiltInRegistry(), outputDir, workspace: { threads: 2 }, onEvent: (e) => events.push(e) });
  });
  afterAll(async () => {
    await rm(outputDir, { recursive: true, force: true });
  });

  it('completes every step, each with a measured duration', () => {
    expect(result.error).toBeUndefined();
    expect(result.status).toBe('completed');
    expect(result.steps.map((s) => s.node).sort()).toEqual(plan.nodes.map((n) => n.id).sort());
    for (const step of result.steps) {
      expect(step.status, step.node).toBe('completed');
      expect(step.durationMs, step.node).toBeGreaterThan(0);
      expect(Number.isNaN(Date.parse(step.startedAt))).toBe(false);
    }
  });

  it('counts the rows that came in and went out, per step and for the run', () => {
    const step = (node: string): RunResult['steps'][number] | undefined => result.steps.find((s) => s.node === node);
    expect(result.rowsIn).toBe(24);
    expect(result.rowsOut).toBe(24);
    expect(step('import')).toEqual(expect.objectContaining({ rowsIn: 24, rowsOut: 24 }));
    // 11 indicator hits from the bundled feed (see the ioc-match component test).
    expect(step('ioc-match')).toEqual(expect.objectContaining({ rowsIn: 24, rowsOut: 11 }));
    expect(step('enrich')).toEqual(expect.objectContaining({ rowsIn: 24, rowsOut: 24 }));
    expect(step('export-enriched_data')).toEqual(expect.objectContaining({ rowsIn: 24, rowsOut: 24 }));
  });

  it('writes the files it reports, with their real sizes, and nothing else', async () => {
    expect(result.files.map((f) => [f.output, basename(f.path), f.format])).toEqual(
      expect.arrayContaining([
        ['enriched_data', 'enriched_data.csv', 'csv'],
        ['threat_report', 'threat_report.html', 'html'],
      ]),
    );
    expect(result.files).toHaveLength(2);
    for (const file of result.files) expect((await stat(file.path)).size, file.path).toBe(file.bytes);
    expect(await filesIn(outputDir)).toEqual(['enriched_data.csv', 'threat_report.html']);

    const csv = Papa.parse<Record<string, string>>(await readFile(join(outputDir, 'enriched_data.csv'), 'utf8'), { header: true, skipEmptyLines: true });
    expect(csv.data).toHaveLength(24);
    expect(csv.data[4]).toEqual(expect.objectContaining({ dst_ip: '103.82.243.5', threat_level: 'critical', ioc_matches: 'ip:103.82.243.5' }));
    expect(await readFile(join(outputDir, 'threat_report.html'), 'utf8')).toContain('<section id="indicators"><h2>Indicator hits</h2>');
  });

  it('emits run-start, then per stage stage-start, step-start and step-end, then run-end', () => {
    const types = events.map((e) => e.type).filter((t) => t !== 'step-progress');
    expect(types[0]).toBe('run-start');
    expect(types.at(-1)).toBe('run-end');
    expect(types.filter((t) => t === 'stage-start')).toHaveLength(plan.stages.length);

    const stageStarts = events.flatMap((e, i) => (e.type === 'stage-start' ? [{ stage: e.stage, at: i }] : []));
    expect(stageStarts.map((s) => s.stage)).toEqual(plan.stages.map((s) => s.index));
    for (const stage of plan.stages) {
      const from = stageStarts[stage.index]?.at ?? -1;
      const to = stageStarts[stage.index + 1]?.at ?? events.length;
      for (const node of stage.nodes) {
        const start = events.findIndex((e) => e.type === 'step-start' && e.node === node);
        const end = events.findIndex((e) => e.type === 'step-end' && e.step.node === node);
        expect(start, node).toBeGreaterThan(from);
        expect(end, node).toBeGreaterThan(start);
        expect(end, node).toBeLessThan(to);
      }
    }
    const last = events.at(-1);
    expect(last?.type === 'run-end' ? last.result : undefined).toBe(result);
  });
});

describe('executePlan: a parallel stage', () => {
  let outputDir: string;
  beforeEach(async () => {
    outputDir = await mkdtemp(join(tmpdir(), 'cs-helper-engine-'));
  });
  afterEach(async () => {
    await rm(outputDir, { recursive: true, force: true });
  });

  /** Two steps that each wait until both have started: they pass only when the engine runs them at the same time. */
  const siblings = async (timeoutMs: number): Promise<{ plan: WorkflowPlan; registry: ComponentRegistry; spans: Map<string, { start: number; end: number }> }> => {
    const meet = rendezvous(2, timeoutMs);
    const spans = new Map<string, { start: number; end: number }>();
    const waiting = (id: string): AnyComponent =>
      testComponent(`test.${id}`, async (context) => {
        const start = performance.now();
        await meet(context.signal);
        spans.set(id, { start, end: performance.now() });
      });
    const a = waiting('wait-a');
    const b = waiting('wait-b');
    const registry = registryWith(a, b);
    return { plan: planWith(await fixturePlan(), [planNode('wait-a', a), planNode('wait-b', b)], registry), registry, spans };
  };

  it('runs its steps at the same time', async () => {
    const { plan, registry, spans } = await siblings(5_000);
    expect(plan.stages.map((s) => [s.mode, s.nodes])).toEqual([
      ['sequential', ['import']],
      ['parallel', ['wait-a', 'wait-b']],
    ]);
    const result = await executePlan(plan, { registry, outputDir, workspace: { threads: 2 } });

    expect(result.error).toBeUndefined();
    expect(result.steps.map((s) => [s.node, s.status])).toEqual(expect.arrayContaining([['wait-a', 'completed'], ['wait-b', 'completed']]));
    const a = spans.get('wait-a');
    const b = spans.get('wait-b');
    expect(a !== undefined && b !== undefined && a.start < b.end && b.start < a.end).toBe(true);
  });

  it('runs them one after another with a concurrency of 1, which the waiting steps detect', async () => {
    const { plan, registry } = await siblings(300);
    const result = await executePlan(plan, { registry, outputDir, concurrency: 1, workspace: { threads: 2 } });

    expect(result.status).toBe('failed');
    expect(result.error?.message).toMatch(/only 1 of 2 steps started/);
  });
});
