// The facts conditions and loops may read about a step: its status, rows, its summary, the shape of its dataset.
import type { ComponentOutput } from '../components/component.js';
import type { FactValue } from './evaluate-predicate.js';

export type StepFacts = Readonly<Record<string, FactValue>>;
export type RunFacts = Record<string, StepFacts>;

export function factsOf(status: 'completed' | 'skipped' | 'failed', output: ComponentOutput | null): StepFacts {
  if (output === null) return { status };
  const dataset = output.dataset;
  return {
    status,
    rows_in: output.rowsIn,
    rows_out: output.rowsOut,
    summary: (output.summary ?? {}),
    ...(dataset === undefined
      ? {}
      : {
          dataset: {
            rows: dataset.rowCount,
            columns: dataset.columns.map((c) => c.name),
            roles: [...new Set(dataset.columns.flatMap((c) => (c.role === null ? [] : [c.role])))],
          },
        }),
    ...(output.findings === undefined ? {} : { findings: { rows: output.findings.rowCount } }),
  };
}
