// How a JS text or number becomes the value an appender's column takes, for the column types appended in bulk: a
// data chunk is filled column-typed (about twice as fast as one native call per value, measured on 160k rows x 25
// columns), so a number bound for a VARCHAR column, or for a BIGINT one, must be converted here rather than by the engine.
import type { DuckDBType, DuckDBTypeId, DuckDBValue } from '@duckdb/node-api';
import { duckDb } from './duckdb-api.js';

export type AppendValue = (value: string | number) => DuckDBValue;

const asText: AppendValue = (value) => (typeof value === 'string' ? value : String(value));
const asNumber: AppendValue = (value) => (typeof value === 'number' ? value : Number(value));
const asBigInt: AppendValue = (value) => BigInt(typeof value === 'number' ? Math.trunc(value) : value.trim());

let byType: ReadonlyMap<DuckDBTypeId, AppendValue> | null = null;

/** Made on first use: the type ids come from DuckDB's API, loaded with the first workspace. */
function conversions(): ReadonlyMap<DuckDBTypeId, AppendValue> {
  if (byType !== null) return byType;
  const { DuckDBTypeId: id } = duckDb();
  byType = new Map([
    [id.VARCHAR, asText],
    [id.DOUBLE, asNumber],
    [id.FLOAT, asNumber],
    [id.INTEGER, asNumber],
    [id.SMALLINT, asNumber],
    [id.TINYINT, asNumber],
    [id.UINTEGER, asNumber],
    [id.USMALLINT, asNumber],
    [id.UTINYINT, asNumber],
    [id.BIGINT, asBigInt],
    [id.UBIGINT, asBigInt],
    [id.HUGEINT, asBigInt],
  ]);
  return byType;
}

/** The conversion for a column of `type`, or null when the column needs the engine's own cast (dates, lists, ...). */
export function appendValueFor(type: DuckDBType): AppendValue | null {
  return conversions().get(type.typeId) ?? null;
}
