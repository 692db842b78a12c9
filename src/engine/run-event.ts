// What the engine reports while it runs; the CLI draws progress from these, the MCP server sends them as notifications.
import type { RunResult, StepResult } from '../model/run-result.js';
import type { WorkflowPlan } from '../model/workflow-plan.js';

export type RunEvent =
  | { readonly type: 'run-start'; readonly runId: string; readonly plan: WorkflowPlan }
  | { readonly type: 'stage-start'; readonly stage: number; readonly mode: 'sequential' | 'parallel'; readonly nodes: readonly string[] }
  | { readonly type: 'step-start'; readonly node: string; readonly component: string; readonly index: number; readonly total: number }
  | { readonly type: 'step-progress'; readonly node: string; readonly fraction: number; readonly message?: string }
  | { readonly type: 'step-retry'; readonly node: string; readonly attempt: number; readonly delayMs: number; readonly error: string }
  | { readonly type: 'step-adapted'; readonly node: string; readonly detail: string }
  | { readonly type: 'step-end'; readonly step: StepResult; readonly index: number; readonly total: number }
  | { readonly type: 'run-end'; readonly result: RunResult };

export type RunEventListener = (event: RunEvent) => void;
