// The statistics table's distinct count as the reports show it: `≈` before a figure the engine estimated (tables over
// the statistics step's `exact_max_rows`), so an estimate is never read as an exact count.
import type { PlainValue } from '../../data/plain-value.js';

export function distinctCell(column: Readonly<Record<string, PlainValue>>): PlainValue {
  const distinct = column['distinct'] ?? null;
  return column['distinct_approx'] === true && typeof distinct === 'number' ? `≈${distinct}` : distinct;
}
