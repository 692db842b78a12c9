// What a component may tell the session log about its work; the session module implements it.

export interface DataOperation {
  readonly operation: 'read' | 'write' | 'transform' | 'match' | 'validate' | 'analyse';
  readonly target: string;
  readonly rows?: number;
  readonly bytes?: number;
  readonly columns?: readonly string[];
  readonly detail?: Readonly<Record<string, unknown>>;
}

/** A choice a step made on its own (an encoding detected, a fallback taken): a decision point of the session log. */
export interface StepDecision {
  readonly decision: string;
  readonly chosen: string;
  readonly alternatives?: readonly { option: string; score: number | null }[];
  readonly reasoning: string;
}

export interface StepLog {
  info(type: string, description: string, metadata?: Readonly<Record<string, unknown>>): void;
  warn(type: string, description: string, metadata?: Readonly<Record<string, unknown>>): void;
  dataOperation(operation: DataOperation): void;
  decision(entry: StepDecision): void;
}
