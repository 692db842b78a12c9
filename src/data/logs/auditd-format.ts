// The Linux audit daemon's log format (/var/log/audit/audit.log):
//   [node=HOST ]type=SYSCALL msg=audit(1605001234.567:1234): arch=c000003e syscall=59 ... comm="arp" exe="/usr/sbin/arp"
// Records of one event share the `audit(time:serial)` stamp (SYSCALL, EXECVE, CWD, PATH, PROCTITLE, ...). Values are
// bare, double-quoted, or hex when they hold spaces or odd bytes (an EXECVE argument, a PROCTITLE); user-space records
// carry their fields inside `msg='...'`; the "enriched" format appends translated fields after a 0x1d byte. One RE2
// pattern serves the engine and the profiler (JavaScript: anchored, no nested quantifiers).

/** Groups of the header, in order: node, type, epoch seconds, fraction, serial, the fields. */
export const AUDITD_GROUPS = ['node', 'type', 'seconds', 'fraction', 'serial', 'fields'] as const;

export const AUDITD_PATTERN = String.raw`^(?:node=(\S+) )?type=([A-Za-z0-9_]+) msg=audit\((\d{1,12})(?:\.(\d{1,9}))?:(\d{1,20})\):\s?(.*)$`;

/** One `key=value` of the fields: the value bare, double-quoted or single-quoted (no escapes in auditd's writing). */
export const AUDITD_FIELD_PATTERN = String.raw`([A-Za-z0-9_-]{1,64})=("[^"]*"|'[^']*'|[^\s\x1d]*)`;

/** Columns the import always makes, before the fields found in the file; a field of one of these names is renamed. */
export const AUDITD_FIXED_COLUMNS = ['node', 'type', 'timestamp', 'serial', 'command_line', 'raw'] as const;

/** At most this many distinct field names become columns (the most frequent); real logs hold a few dozen. */
export const MAX_AUDITD_FIELDS = 200;

/** The same pattern for the profiler. */
export const AUDITD_LINE = new RegExp(AUDITD_PATTERN);

/** Whether a line is an audit record (lines past 16 KiB are not tested). */
export function isAuditdLine(line: string): boolean {
  return line.length <= 16 * 1024 && AUDITD_LINE.test(line);
}
