// The SELECT that splits Amazon S3 server access log lines (see data/logs/s3-access-log-format.ts) into columns, for
// the access-log loader: the columns an access log has (client, time in UTC, method, path, protocol, status, bytes,
// referrer, user agent) under the same names, so web analysis reads S3 requests too, then S3's own (bucket, requester,
// operation, key, error code, ...). `-` is no value. A line that is not an S3 record keeps only its `raw` text.
import { quoteIdent, quoteLiteral } from '../../data/sql-text.js';
import { S3_ACCESS_LOG_GROUPS, S3_ACCESS_LOG_PATTERN } from '../../data/logs/s3-access-log-format.js';
import { matchField, matchedLinesSql, unescapeQuoted } from './access-log-sql.js';

/** S3's own text columns, after the access-log ones. */
const S3_TEXT = ['bucket_owner', 'bucket', 'requester', 'request_id', 'operation', 'key', 'error_code', 'version_id', 'host_id', 'signature_version', 'cipher_suite', 'authentication_type', 'host_header', 'tls_version'] as const;
const S3_NUMBERS = ['object_size', 'total_time', 'turn_around_time'] as const;

/** Same shape as the combined-format select: the columns, then `raw`, `source_file`, `pos`, `file_index`. */
export function s3ParsedSelect(staging: string, sourceFile: string | null, fileIndex: number): string {
  const field = matchField;
  const text = (name: string): string => `CASE WHEN ok AND ${field(name)} NOT IN ('', '-') THEN ${field(name)} END`;
  const quoted = (name: string): string => `CASE WHEN ok AND ${field(name)} NOT IN ('', '-') THEN ${unescapeQuoted(field(name))} END`;
  const number = (name: string): string => `CASE WHEN ok THEN TRY_CAST(nullif(${field(name)}, '-') AS BIGINT) END`;
  return `${matchedLinesSql(staging, S3_ACCESS_LOG_PATTERN, S3_ACCESS_LOG_GROUPS)}
    SELECT
      CASE WHEN ok THEN ${field('client_ip')} END AS client_ip,
      ${text('requester')} AS "user",
      CASE WHEN ok THEN ts END AS "timestamp",
      CASE WHEN ok AND r.method <> '' THEN r.method END AS method,
      CASE WHEN ok AND r.method <> '' THEN r.path END AS path,
      CASE WHEN ok AND r.protocol <> '' THEN r.protocol END AS protocol,
      CASE WHEN ok THEN TRY_CAST(${field('status')} AS INTEGER) END AS status,
      ${number('bytes')} AS bytes,
      ${quoted('referrer')} AS referrer,
      ${quoted('user_agent')} AS user_agent,
      ${S3_TEXT.map((name) => `${text(name)} AS ${quoteIdent(name)}`).join(',\n      ')},
      ${S3_NUMBERS.map((name) => `${number(name)} AS ${quoteIdent(name)}`).join(',\n      ')},
      -- A request line of "-" (S3 writes it for some operations) is no failure to read.
      CASE WHEN NOT ok OR ts IS NULL OR (r.method = '' AND ${field('request')} <> '-') THEN line END AS raw,
      ${sourceFile === null ? 'NULL::VARCHAR' : quoteLiteral(sourceFile)} AS source_file,
      pos,
      ${fileIndex}::INTEGER AS file_index
    FROM fields`;
}
