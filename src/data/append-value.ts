// How a JS text or number becomes the value an appender's column takes, for the column types appended in bulk: a
// data chunk is filled column-typed (about twice as fast as one native call per value, measured on 160k rows x 25
// columns), so a number bound for a VARCHAR column, or for a BIGINT one, must be converted here rather than by the engine.
import { DuckDBTypeId, type DuckDBType, type DuckDBValue } from '@duckdb/node-api';

export type AppendValue = (value: string | number) => DuckDBValue;

const asText: AppendValue = (value) => (typeof value === 'string' ? value : String(value));
const asNumber: AppendValue = (value) => (typeof value === 'number' ? value : Number(value));
const asBigInt: AppendValue = (value) => BigInt(typeof value === 'number' ? Math.trunc(value) : value.trim());

const BY_TYPE: ReadonlyMap<DuckDBTypeId, AppendValue> = new Map([
  [DuckDBTypeId.VARCHAR, asText],
  [DuckDBTypeId.DOUBLE, asNumber],
  [DuckDBTypeId.FLOAT, asNumber],
  [DuckDBTypeId.INTEGER, asNumber],
  [DuckDBTypeId.SMALLINT, asNumber],
  [DuckDBTypeId.TINYINT, asNumber],
  [DuckDBTypeId.UINTEGER, asNumber],
  [DuckDBTypeId.USMALLINT, asNumber],
  [DuckDBTypeId.UTINYINT, asNumber],
  [DuckDBTypeId.BIGINT, asBigInt],
  [DuckDBTypeId.UBIGINT, asBigInt],
  [DuckDBTypeId.HUGEINT, asBigInt],
]);

/** The conversion for a column of `type`, or null when the column needs the engine's own cast (dates, lists, ...). */
export function appendValueFor(type: DuckDBType): AppendValue | null {
  return BY_TYPE.get(type.typeId) ?? null;
}
