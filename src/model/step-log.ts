// What a component may tell the session log about its work; the session module implements it.

export interface DataOperation {
  readonly operation: 'read' | 'write' | 'transform' | 'match' | 'validate' | 'analyse';
  readonly target: string;
  readonly rows?: number;
  readonly bytes?: number;
  readonly columns?: readonly string[];
  readonly detail?: Readonly<Record<string, unknown>>;
}

export interface StepLog {
  info(type: string, description: string, metadata?: Readonly<Record<string, unknown>>): void;
  warn(type: string, description: string, metadata?: Readonly<Record<string, unknown>>): void;
  dataOperation(operation: DataOperation): void;
}
