// Engine types as the components test them: a column of single timestamps, of any precision, zoned or not. A list or a
// struct holding timestamps (`TIMESTAMP[]`, a JSON field of several times) starts with the same word and is neither:
// cast, bucketed or compared as one, it failed the whole run.
export function isTimestampType(sqlType: string): boolean {
  return /^TIMESTAMP(?:_S|_MS|_NS| WITH TIME ZONE)?$/i.test(sqlType);
}
