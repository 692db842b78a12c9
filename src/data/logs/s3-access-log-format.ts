// Amazon S3 server access logs (one line per request, space-separated, brackets around the time, quotes around the
// request line, referrer and user agent):
//   OWNER BUCKET [06/Feb/2019:00:00:38 +0000] 192.0.2.3 REQUESTER REQID REST.GET.VERSIONING - "GET /b?versioning HTTP/1.1"
//   200 - 113 - 7 - "-" "S3Console/0.4" - HOSTID SigV2 ECDHE-RSA-AES128-GCM-SHA256 AuthHeader b.s3.amazonaws.com TLSv1.2 ...
// AWS appends fields over the years: those after the user agent are optional. One pattern for the engine (RE2) and the
// profiler (JavaScript: the alternatives never overlap).

const QUOTED = String.raw`"((?:[^"\\]|\\.)*)"`;
const FIELD = String.raw`(\S+)`;

/** Groups, in order: the names of the columns they fill (the access-log names where the meaning is the same). */
export const S3_ACCESS_LOG_GROUPS = [
  'bucket_owner', 'bucket', 'time', 'client_ip', 'requester', 'request_id', 'operation', 'key', 'request', 'status', 'error_code', 'bytes',
  'object_size', 'total_time', 'turn_around_time', 'referrer', 'user_agent', 'version_id', 'host_id', 'signature_version', 'cipher_suite',
  'authentication_type', 'host_header', 'tls_version',
] as const;

export const S3_ACCESS_LOG_PATTERN =
  String.raw`^(\S+) (\S+) \[([^\]]+)\] (\S+) (\S+) (\S+) (\S+) (\S+) ` + QUOTED + String.raw` (\d{3}|-) (\S+) (\d+|-) (\d+|-) (\d+|-) (\d+|-) ` + QUOTED + ' ' + QUOTED +
  String.raw`(?: ` + FIELD + String.raw`(?: ` + FIELD + String.raw`(?: ` + FIELD + String.raw`(?: ` + FIELD + String.raw`(?: ` + FIELD + String.raw`(?: ` + FIELD + String.raw`(?: ` + FIELD + String.raw`)?)?)?)?)?)?)?.*$`;

const JS_PATTERN = new RegExp(S3_ACCESS_LOG_PATTERN);

/** Whether a line is an S3 server access log record (lines past 16 KiB are not tested). */
export function isS3AccessLogLine(line: string): boolean {
  return line.length <= 16 * 1024 && JS_PATTERN.test(line);
}

/** The columns the import makes, in order: the access-log ones first (so web analysis reads them), then S3's own. */
export const S3_ACCESS_LOG_COLUMNS = [
  'client_ip', 'user', 'timestamp', 'method', 'path', 'protocol', 'status', 'bytes', 'referrer', 'user_agent',
  'bucket_owner', 'bucket', 'requester', 'request_id', 'operation', 'key', 'error_code', 'object_size', 'total_time', 'turn_around_time',
  'version_id', 'host_id', 'signature_version', 'cipher_suite', 'authentication_type', 'host_header', 'tls_version', 'raw',
] as const;
