// The component contract: a value declared once per file, with its schema, its estimate and its run function.
import type { z } from 'zod';
import type { Capability } from '../model/capability.js';
import type { ComponentType, Complexity, PortKind } from '../model/component-kind.js';
import type { DatasetHandle } from '../model/dataset.js';
import type { StepResult, WrittenFile } from '../model/run-result.js';
import type { StepLog } from '../model/step-log.js';
import type { WorkflowPlan } from '../model/workflow-plan.js';
import type { PlainValue } from '../data/plain-value.js';
import type { SqlSession } from '../data/sql-session.js';

/** Size of the data a step will see, for estimates. */
export interface InputSize {
  readonly rows: number;
  readonly bytes: number;
  readonly columns: number;
}

/** A small JSON result that later steps (the report) read: quality figures, statistics, match counts. */
export interface ComponentSummary {
  readonly component: string;
  readonly node: string;
  readonly data: Readonly<Record<string, PlainValue>>;
}

export interface ComponentInputs {
  readonly datasets: readonly DatasetHandle[];
  readonly findings: readonly DatasetHandle[];
  readonly summaries: readonly ComponentSummary[];
}

export interface ComponentOutput {
  readonly dataset?: DatasetHandle;
  readonly findings?: DatasetHandle;
  readonly summary?: Readonly<Record<string, PlainValue>>;
  readonly files?: readonly WrittenFile[];
  readonly rowsIn: number;
  readonly rowsOut: number;
  /** One line for the progress display and the log: what the step found or did, with its numbers. */
  readonly message: string;
}

/** What the run knows that a step may need: where files go, the plan, and the steps finished so far (for the report). */
export interface RunInfo {
  readonly runId: string;
  readonly sessionId: string | null;
  readonly baseDir: string;
  readonly outputDir: string;
  readonly plan: WorkflowPlan;
  readonly node: string;
  readonly startedAt: number;
  completedSteps(): readonly StepResult[];
}

export interface ComponentContext {
  readonly sql: SqlSession;
  /** A fresh table name for this step's results. */
  tableName(prefix: string): string;
  /** Describes a table the step created, with column roles, as a handle for later steps. */
  describe(table: string, sources: readonly string[]): Promise<DatasetHandle>;
  readonly signal: AbortSignal;
  readonly log: StepLog;
  progress(fraction: number, message?: string): void;
  readonly run: RunInfo;
}

export interface Component<P extends z.ZodType = z.ZodType> {
  readonly id: string;
  /** Bumped when results for the same inputs and parameters would change (result cache key). */
  readonly version: string;
  readonly type: ComponentType;
  readonly complexity: Complexity;
  readonly title: string;
  /** Shown by `components list` and as the MCP tool description: what it does and when to choose it. */
  readonly description: string;
  readonly capabilities: readonly Capability[];
  readonly consumes: readonly PortKind[];
  readonly produces: readonly PortKind[];
  /**
   * Position in the pipeline: a step consumes datasets from the latest dataset producer of a lower order,
   * and findings and summaries from every producer of a lower order.
   */
  readonly order: number;
  readonly params: P;
  estimateMs(size: InputSize): number;
  /**
   * Files the component reads besides those its parameters name (step-key.ts FILE_PARAMS): state kept outside the
   * plan, such as the feeds imported into the state folder. Their content goes into the step's result-cache key, so
   * a run after `feeds import` is not answered with a result from before it.
   */
  readsFiles?(params: z.infer<P>): readonly string[];
  readonly fallback?: string;
  run(context: ComponentContext, inputs: ComponentInputs, params: z.infer<P>): Promise<ComponentOutput>;
}

/** Declares a component with its parameter type inferred from its schema. */
export function defineComponent<P extends z.ZodType>(component: Component<P>): Component<P> {
  return Object.freeze(component);
}

/** The component with its parameter type erased, as the registry and engine hold it. */
export type AnyComponent = Component;
