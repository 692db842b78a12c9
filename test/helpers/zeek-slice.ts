// Loads a Zeek TSV log into a table with DuckDB's read_csv, columns named and typed from its #fields/#types header:
// how the analysis tests read real Zeek data until the log importer (import.log) is wired into them.
import { readFile } from 'node:fs/promises';
import { quoteIdent, quoteLiteral } from '../../src/data/sql-text.js';
import type { DatasetHandle } from '../../src/model/dataset.js';
import type { ComponentHarness } from './component-harness.js';

const ZEEK_TYPES: Readonly<Record<string, string>> = { time: 'DOUBLE', interval: 'DOUBLE', port: 'BIGINT', count: 'BIGINT', int: 'BIGINT', double: 'DOUBLE' };

export async function zeekTable(harness: ComponentHarness, name: string, path: string): Promise<DatasetHandle> {
  const header = (await readFile(path, 'utf8')).split('\n').filter((line) => line.startsWith('#'));
  const fields = header.find((l) => l.startsWith('#fields'))?.split('\t').slice(1) ?? [];
  const types = header.find((l) => l.startsWith('#types'))?.split('\t').slice(1) ?? [];
  const columns = fields.map((f, i) => `${quoteLiteral(f)}: ${quoteLiteral(ZEEK_TYPES[types[i] ?? ''] ?? 'VARCHAR')}`).join(', ');
  // Zeek's time is seconds since the epoch; as a TIMESTAMP WITH TIME ZONE it is what an importer would give.
  const times = fields.filter((_, i) => types[i] === 'time').map((f) => `to_timestamp(${quoteIdent(f)}) AS ${quoteIdent(f)}`);
  const replace = times.length > 0 ? ` REPLACE (${times.join(', ')})` : '';
  return harness.table(name, `SELECT *${replace} FROM read_csv(${quoteLiteral(path)}, delim = '\t', header = false, comment = '#', quote = '', escape = '', nullstr = '-', auto_detect = false, columns = {${columns}})`);
}
