// Timestamps written back as ISO 8601, the way security tools write them, not in the engine's display format.
import type { DatasetColumn } from '../../model/dataset.js';
import { isTimestampType } from '../../data/sql-types.js';

/** ISO 8601 text for timestamp columns (`Z` for zoned ones; fractions only when present); null for other columns. */
export function isoTimestampSql(column: DatasetColumn, expression: string): string | null {
  const zoned = column.sqlType === 'TIMESTAMP WITH TIME ZONE';
  if (!isTimestampType(column.sqlType)) return null;
  const suffix = zoned ? 'Z' : '';
  // The workspace's zone is UTC, so strftime of a zoned timestamp prints UTC.
  return `CASE WHEN ${expression} IS NULL THEN NULL WHEN microsecond(${expression}) % 1000000 = 0 THEN strftime(${expression}, '%Y-%m-%dT%H:%M:%S${suffix}') ELSE strftime(${expression}, '%Y-%m-%dT%H:%M:%S.%f${suffix}') END`;
}
