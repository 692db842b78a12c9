// What running one node needs from the run: the registry, the workspace, the facts so far, where to log and report.
import type { RunInfo } from '../components/component.js';
import type { ComponentRegistry } from '../components/registry.js';
import type { Workspace } from '../data/workspace.js';
import type { RetryPolicy } from '../model/retry-policy.js';
import type { WorkflowPlan } from '../model/workflow-plan.js';
import type { SessionLog } from '../session/session-log.js';
import type { RunFacts } from './run-facts.js';
import type { RunEventListener } from './run-event.js';

export interface RunScope {
  readonly plan: WorkflowPlan;
  readonly registry: ComponentRegistry;
  readonly workspace: Workspace;
  readonly facts: RunFacts;
  readonly runLog: SessionLog | null;
  readonly workflowName: string;
  readonly emit: RunEventListener;
  /** Overrides the plan's retry policies (tests, the MCP server's time limits). */
  readonly retryPolicy: RetryPolicy | undefined;
  runInfo(node: string): RunInfo;
}
