// Which columns the detectors read: chosen by semantic role, and for sources and destinations by the words of the
// column name (`src_ip`, `id.orig_h`, `client_ip` are sources; `dst_ip`, `id.resp_h`, `server` are destinations).
// Answers are not evidence: ground-truth labels, a benchmark's difficulty and an earlier classification's output are
// left out, as processing.classify leaves them out of its features (the same lists, from ml/feature-spec.ts).
import type { DatasetColumn, DatasetHandle } from '../../../model/dataset.js';
import { DIFFICULTY_NAME, OUTPUT_COLUMNS } from '../../../ml/feature-spec.js';
import { isTimestampType } from '../../../data/sql-types.js';

export interface PatternColumns {
  /** The event time: the first timestamp column the engine typed as a timestamp. */
  readonly time: DatasetColumn | undefined;
  /** Who acts: a source address, else a host or user. */
  readonly source: DatasetColumn | undefined;
  /** Whom it talks to: a destination address, else a domain. */
  readonly destination: DatasetColumn | undefined;
  readonly destinationPort: DatasetColumn | undefined;
  readonly user: DatasetColumn | undefined;
  readonly measures: readonly DatasetColumn[];
  readonly categories: readonly DatasetColumn[];
  readonly domains: readonly DatasetColumn[];
}

const SOURCE_WORDS: ReadonlySet<string> = new Set(['src', 'source', 'orig', 'origin', 'client', 'srcip', 'sourceip', 'sip', 'from', 'local', 'initiator', 'caller', 'sport', 'srcport']);
const DESTINATION_WORDS: ReadonlySet<string> = new Set(['dst', 'dest', 'destination', 'resp', 'responder', 'server', 'remote', 'target', 'dstip', 'destip', 'dip', 'to', 'dport', 'dstport', 'destport']);
const NUMERIC_TYPE = /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|FLOAT|DOUBLE|DECIMAL)/;

/** `id.resp_h` -> [id, resp, h]; `dstIp` -> [dst, ip]. */
export function nameWords(name: string): string[] {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase().split(/[^a-z0-9]+/).filter((w) => w !== '');
}

function says(column: DatasetColumn, words: ReadonlySet<string>): boolean {
  const tokens = nameWords(column.name);
  return tokens.some((t) => words.has(t)) || words.has(tokens.join(''));
}

export function isNumeric(column: DatasetColumn): boolean {
  return NUMERIC_TYPE.test(column.sqlType);
}

/**
 * A column that holds answers about the rows rather than facts of the traffic: a ground-truth label (NSL-KDD's
 * `label`, UNSW-NB15's `attack_cat`), a benchmark's difficulty, or what an earlier classification wrote. An anomaly
 * "found" in one is the benchmark read back.
 */
export function isAnswerColumn(column: DatasetColumn): boolean {
  return column.role === 'label' || DIFFICULTY_NAME.test(column.name) || OUTPUT_COLUMNS.includes(column.name);
}

export function patternColumns(dataset: DatasetHandle): PatternColumns {
  const columns = dataset.columns.filter((c) => !isAnswerColumn(c));
  const ips = columns.filter((c) => c.role === 'ip');
  const sourceIp = ips.find((c) => says(c, SOURCE_WORDS) && !says(c, DESTINATION_WORDS)) ?? ips.find((c) => !says(c, DESTINATION_WORDS));
  const destinationIp = ips.find((c) => c !== sourceIp && says(c, DESTINATION_WORDS)) ?? ips.find((c) => c !== sourceIp && !says(c, SOURCE_WORDS));
  const hostOrUser = columns.find((c) => c.role === 'hostname') ?? columns.find((c) => c.role === 'user');
  const domains = columns.filter((c) => c.role === 'domain');
  return {
    time: columns.find((c) => c.role === 'timestamp' && isTimestampType(c.sqlType)),
    source: sourceIp ?? hostOrUser,
    destination: destinationIp ?? domains[0],
    // Only a port the name calls a destination port: a source port is an ephemeral number that says nothing.
    destinationPort: columns.find((c) => c.role === 'port' && isNumeric(c) && says(c, DESTINATION_WORDS)),
    user: columns.find((c) => c.role === 'user'),
    measures: columns.filter((c) => c.role === 'measure' && isNumeric(c)),
    categories: columns.filter((c) => c.role === 'category'),
    domains,
  };
}
