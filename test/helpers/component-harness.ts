// Runs one component the way the engine does: a real Workspace, a real SqlSession per run, a real AbortSignal,
// and a StepLog that records what the component logged, so tests can assert on values, files and data operations.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { z } from 'zod';
import { createBuiltInRegistry } from '../../src/components/built-ins.js';
import type { Component, ComponentContext, ComponentInputs, ComponentOutput, ComponentSummary, RunInfo } from '../../src/components/component.js';
import type { PlainRow, SqlSession } from '../../src/data/sql-session.js';
import { quoteIdent } from '../../src/data/sql-text.js';
import { Workspace } from '../../src/data/workspace.js';
import { ROW_ID_COLUMN, type DatasetHandle } from '../../src/model/dataset.js';
import type { StepResult } from '../../src/model/run-result.js';
import type { DataOperation, StepDecision, StepLog } from '../../src/model/step-log.js';
import type { WorkflowPlan } from '../../src/model/workflow-plan.js';
import { planWorkflow } from '../../src/planner/plan-workflow.js';

export const FIXTURES_DIR = fileURLToPath(new URL('../fixtures/components/', import.meta.url));

export interface LogEntry {
  readonly level: 'info' | 'warn';
  readonly type: string;
  readonly description: string;
  readonly metadata: Readonly<Record<string, unknown>> | undefined;
}

/** A StepLog that keeps every call, in order. */
export class RecordingStepLog implements StepLog {
  readonly entries: LogEntry[] = [];
  readonly dataOperations: DataOperation[] = [];
  readonly decisions: StepDecision[] = [];

  info(type: string, description: string, metadata?: Readonly<Record<string, unknown>>): void {
    this.entries.push({ level: 'info', type, description, metadata });
  }

  warn(type: string, description: string, metadata?: Readonly<Record<string, unknown>>): void {
    this.entries.push({ level: 'warn', type, description, metadata });
  }

  dataOperation(operation: DataOperation): void {
    this.dataOperations.push(operation);
  }

  decision(entry: StepDecision): void {
    this.decisions.push(entry);
  }
}

export interface HarnessRunOptions {
  /** The plan node id the run stands for (what the report's plan section shows); defaults to the component id. */
  readonly node?: string;
  readonly signal?: AbortSignal;
}

const NO_INPUTS: ComponentInputs = { datasets: [], findings: [], summaries: [] };

let defaultPlan: Promise<WorkflowPlan> | undefined;

/** A valid plan made by the real planner on the firewall fixture: what RunInfo.plan holds in a real run. */
export function fixturePlan(): Promise<WorkflowPlan> {
  defaultPlan ??= planWorkflow(
    { problem: 'Analyze this CSV for security threats and export enriched data', inputFiles: ['firewall.csv'], outputs: ['enriched_data', 'threat_report'], baseDir: FIXTURES_DIR },
    createBuiltInRegistry(),
  );
  return defaultPlan;
}

export class ComponentHarness {
  readonly log = new RecordingStepLog();
  readonly progress: { fraction: number; message: string | undefined }[] = [];
  /** One StepResult per run, as the engine would record it: the report reads these. */
  readonly steps: StepResult[] = [];
  readonly #startedAt = performance.now();

  private constructor(
    readonly workspace: Workspace,
    /** A connection for the test's own queries. */
    readonly sql: SqlSession,
    readonly outputDir: string,
    readonly baseDir: string,
    readonly plan: WorkflowPlan,
  ) {}

  static async open(options: { baseDir?: string } = {}): Promise<ComponentHarness> {
    const plan = await fixturePlan();
    const outputDir = await mkdtemp(join(tmpdir(), 'cs-helper-test-out-'));
    const workspace = await Workspace.open({ threads: 2 });
    const sql = await workspace.session();
    return new ComponentHarness(workspace, sql, outputDir, options.baseDir ?? FIXTURES_DIR, plan);
  }

  /** Parses the parameters with the component's schema (defaults filled in, as the engine does) and runs it. */
  async run<P extends z.ZodType>(component: Component<P>, inputs: Partial<ComponentInputs>, params: z.input<P>, options: HarnessRunOptions = {}): Promise<ComponentOutput> {
    const parsed = component.params.parse(params);
    const node = options.node ?? component.id;
    const sql = await this.workspace.session();
    const signal = options.signal ?? new AbortController().signal;
    const run: RunInfo = {
      runId: 'test-run',
      sessionId: null,
      baseDir: this.baseDir,
      outputDir: this.outputDir,
      plan: this.plan,
      node,
      startedAt: this.#startedAt,
      completedSteps: () => [...this.steps],
    };
    const context: ComponentContext = {
      sql,
      tableName: (prefix) => this.workspace.tableName(prefix),
      describe: (table, sources) => this.workspace.handle(sql, table, sources, signal),
      signal,
      log: this.log,
      progress: (fraction, message) => {
        this.progress.push({ fraction, message });
      },
      run,
    };
    const startedAt = new Date().toISOString();
    const started = performance.now();
    try {
      const output = await component.run(context, { ...NO_INPUTS, ...inputs }, parsed);
      this.steps.push({ node, component: component.id, status: 'completed', startedAt, durationMs: performance.now() - started, estimatedMs: 0, rowsIn: output.rowsIn, rowsOut: output.rowsOut, summary: output.message, attempts: 1, iterations: 1, adaptations: [] });
      return output;
    } finally {
      sql.close();
    }
  }

  /** Creates a table from a query and describes it (roles inferred as at import), to build a step's input directly. */
  async table(name: string, query: string): Promise<DatasetHandle> {
    await this.sql.run(`CREATE TABLE ${quoteIdent(name)} AS ${query}`);
    return this.workspace.handle(this.sql, name, [name]);
  }

  /** Every row of a dataset in its row order, without the hidden row-number column of views. */
  async rows(table: string | DatasetHandle): Promise<PlainRow[]> {
    const name = typeof table === 'string' ? table : table.table;
    const rowId = typeof table === 'string' ? 'rowid' : table.rowId;
    const hidden = rowId === ROW_ID_COLUMN ? ` EXCLUDE (${ROW_ID_COLUMN})` : '';
    return this.sql.all(`SELECT *${hidden} FROM ${quoteIdent(name)} ORDER BY ${quoteIdent(rowId)}`);
  }

  async close(): Promise<void> {
    this.sql.close();
    await this.workspace.close();
    await rm(this.outputDir, { recursive: true, force: true });
  }
}

/** The summary a later step receives from an earlier one, as the engine passes it. */
export function summaryOf(component: { readonly id: string }, output: ComponentOutput, node: string = component.id): ComponentSummary {
  if (output.summary === undefined) throw new Error(`${component.id} returned no summary`);
  return { component: component.id, node, data: output.summary };
}

/** The dataset a step returned; fails the test when it returned none. */
export function datasetOf(output: ComponentOutput): DatasetHandle {
  if (output.dataset === undefined) throw new Error('the step returned no dataset');
  return output.dataset;
}

/** The findings table a step returned; fails the test when it returned none. */
export function findingsOf(output: ComponentOutput): DatasetHandle {
  if (output.findings === undefined) throw new Error('the step returned no findings');
  return output.findings;
}
