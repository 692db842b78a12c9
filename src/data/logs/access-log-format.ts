// The Apache/Nginx access-log formats: combined (`%h %l %u %t "%r" %>s %b "%{Referer}i" "%{User-Agent}i"`) and common
// (the same without the last two fields). Quoted fields may hold `\"` and `\\` escapes, as Apache writes them; a line
// may be wrapped in one more pair of double quotes (some exports do that). One pattern serves the engine (RE2, linear
// time) and the profiler (JavaScript: the alternatives never overlap, so it does not backtrack).

const QUOTED = String.raw`((?:[^"\\]|\\.)*)`;

/** Groups, in order: the names of the columns they fill. */
export const ACCESS_LOG_GROUPS = ['client_ip', 'ident', 'user', 'time', 'request', 'status', 'bytes', 'referrer', 'user_agent'] as const;

export const ACCESS_LOG_PATTERN = String.raw`^"?(\S+) (\S+) (\S+) \[([^\]]+)\] "` + QUOTED + String.raw`" (\d{3}|-) (\d+|-)(?: "` + QUOTED + String.raw`" "` + QUOTED + String.raw`")?"?\s*$`;

/** The request line: method, target (which may hold spaces in hostile requests), and an optional protocol. */
export const REQUEST_PATTERN = String.raw`^(\S+) (.*?)(?: (HTTP/[0-9.]+))?$`;

/** `22/Dec/2016:16:30:52 +0300` in strptime terms. */
export const ACCESS_LOG_TIME_FORMAT = '%d/%b/%Y:%H:%M:%S %z';

/** The lines a profiler samples are cut here: a real access-log line is a few hundred characters. */
export const MAX_SAMPLED_LINE = 16 * 1024;

const JS_PATTERN = new RegExp(ACCESS_LOG_PATTERN);

/** Whether one line has the combined or common shape (lines longer than MAX_SAMPLED_LINE are not tested). */
export function isAccessLogLine(line: string): boolean {
  return line.length <= MAX_SAMPLED_LINE && JS_PATTERN.test(line);
}

/** The columns the import makes, in order (`raw` holds a line that could not be read in full). */
export const ACCESS_LOG_COLUMNS = ['client_ip', 'ident', 'user', 'timestamp', 'method', 'path', 'protocol', 'status', 'bytes', 'referrer', 'user_agent', 'raw'] as const;
