// import.log: loads Zeek TSV logs (typed from their #fields/#types header), Apache/Nginx access logs (combined or
// common format) and Linux audit logs into the workspace, in the engine. Lines it cannot read are counted and named by
// line number.
import { open } from 'node:fs/promises';
import { basename } from 'node:path';
import { z } from 'zod';
import { Capability } from '../../model/capability.js';
import { ComponentType, Complexity } from '../../model/component-kind.js';
import { isCsHelperError } from '../../model/errors/cs-helper-error.js';
import { InputFileError } from '../../model/errors/input-file-error.js';
import { isAuditdLine } from '../../data/logs/auditd-format.js';
import { isS3AccessLogLine } from '../../data/logs/s3-access-log-format.js';
import { isZeekLog } from '../../data/logs/zeek-header.js';
import { type ComponentContext, type ComponentOutput, defineComponent } from '../component.js';
import { COMBINED, S3_ACCESS, loadAccessLogs } from './access-log.js';
import { loadAuditdLogs } from './auditd-log.js';
import { firstLine } from './engine-error-text.js';
import { type ImportFiles, inflatedNote, withImportFiles } from './import-files.js';
import { describeRejects } from './log-rejects.js';
import { loadZeekLogs, type LogFile } from './zeek-log.js';

export const logImportParams = z.object({
  paths: z.array(z.string().min(1)).min(1).describe('Log files of one kind; several are stacked, with a source_file column'),
  format: z.enum(['auto', 'zeek', 'access', 's3', 'auditd']).default('auto').describe("'zeek' for Zeek TSV logs, 'access' for Apache/Nginx combined or common access logs, 's3' for Amazon S3 server access logs, 'auditd' for Linux audit logs (audit.log); 'auto' looks at the first line"),
  unparsed: z.enum(['keep', 'skip']).default('keep').describe("Access-log lines that do not fit the format: 'keep' them as rows with only the raw column, or 'skip' them (they are reported either way)"),
  max_line_bytes: z.number().int().min(1024).max(256 * 1024 * 1024).default(2 * 1024 * 1024).describe('Longer lines are set aside and reported'),
});

export const logImport = defineComponent({
  id: 'import.log',
  version: '5',
  type: ComponentType.DATA_IMPORT,
  complexity: Complexity.SIMPLE,
  title: 'Log Import',
  description:
    'Loads network and web server logs into the analysis engine: Zeek TSV logs (conn, dns, http, ssl, files, ...) with columns and types from their own header, Apache/Nginx access logs (combined or common format) and Amazon S3 server access logs split into client, time (UTC), request, status, bytes, referrer and user agent (and the bucket, requester, operation, key and error code of S3), and Linux audit logs (audit.log) with one column per audit field and the command line of each EXECVE/PROCTITLE record. Lines that cannot be read are reported, never dropped silently.',
  capabilities: [Capability.importLog],
  consumes: [],
  produces: ['dataset'],
  order: 0,
  params: logImportParams,
  // Measured on 2 cores: Zeek conn.log ~95 MB/s, access logs ~25 MB/s (one RE2 pattern per line), plus ~60 ms fixed.
  estimateMs: ({ bytes }) => 80 + bytes / 25_000,
  run: (context, _inputs, params) => withImportFiles(context, params.paths, (opened) => importLogs(context, params, opened)),
});

async function importLogs(context: ComponentContext, params: z.infer<typeof logImportParams>, { files, bytes }: ImportFiles): Promise<ComponentOutput> {
  const format = params.format === 'auto' ? await detectFormat(files) : params.format;
  const table = context.tableName('import_log');
  const display = files.map((f) => f.display).join(', ');
  const summary: Record<string, string | number | string[] | null> = { files: files.map((f) => basename(f.display)), format, bytes };
  let note = '';

  if (format === 'auditd') {
    const load = await engineErrorsNamed(display, loadAuditdLogs(context.sql, table, files, { stagingTable: context.tableName('import_log_lines'), maxLineBytes: params.max_line_bytes, signal: context.signal }));
    Object.assign(summary, { unparsed_lines: load.unparsed, audit_fields: load.fields, rejected_lines: load.rejects.count, first_unparsed_lines: load.firstUnparsed.map((l) => `${l.file}:${l.line}`) });
    if (load.unparsed > 0) {
      const where = load.firstUnparsed.map((l) => `${l.file}:${l.line}`).join(', ');
      context.log.warn('lines-unparsed', `${load.unparsed} line(s) are not audit records (kept with their raw text); first at ${where}`, { lines: load.firstUnparsed.map((l) => l.line) });
      note = `, ${load.unparsed} line(s) not audit records (first at ${where})`;
    }
    if (load.rejects.count > 0) {
      context.log.warn('lines-rejected', `${load.rejects.count} line(s) could not be read and were set aside: ${describeRejects(load.rejects)}`, { lines: load.rejects.lines.map((l) => l.line) });
      note += `, ${load.rejects.count} set aside`;
    }
  } else if (format === 'zeek') {
    const load = await engineErrorsNamed(display, loadZeekLogs(context.sql, table, files, { rejectsTable: context.tableName('import_log_rejects'), maxLineBytes: params.max_line_bytes, signal: context.signal }));
    summary['zeek_path'] = load.path;
    summary['rejected_lines'] = load.rejects.count;
    if (load.rejects.count > 0) {
      context.log.warn('lines-rejected', `${load.rejects.count} line(s) could not be read and were set aside: ${describeRejects(load.rejects)}`, { lines: load.rejects.lines.map((l) => l.line) });
      note = `, ${load.rejects.count} line(s) set aside`;
    }
  } else {
    const load = await engineErrorsNamed(
      display,
      loadAccessLogs(context.sql, table, files, { stagingTable: context.tableName('import_log_lines'), maxLineBytes: params.max_line_bytes, keepUnparsed: params.unparsed === 'keep', signal: context.signal, format: format === 's3' ? S3_ACCESS : COMBINED }),
    );
    Object.assign(summary, { unparsed_lines: load.unparsed, partial_lines: load.partial, blank_lines: load.blankLines, rejected_lines: load.rejects.count, first_unparsed_lines: load.lines.map((l) => `${l.file}:${l.line}`) });
    if (load.unparsed + load.partial > 0) {
      const where = load.lines.map((l) => `${l.file}:${l.line}`).join(', ');
      const kept = params.unparsed === 'keep' ? 'kept with their raw text' : 'skipped';
      context.log.warn('lines-unparsed', `${load.unparsed} line(s) not in the ${format === 's3' ? S3_ACCESS.name : COMBINED.name} (${kept}), ${load.partial} with an unreadable time or request; first at ${where}`, { lines: load.lines.map((l) => l.line) });
      note = `, ${load.unparsed + load.partial} line(s) not read in full (first at ${where})`;
    }
    if (load.rejects.count > 0) {
      context.log.warn('lines-rejected', `${load.rejects.count} line(s) could not be read and were set aside: ${describeRejects(load.rejects)}`, { lines: load.rejects.lines.map((l) => l.line) });
      note += `, ${load.rejects.count} set aside`;
    }
  }

  const dataset = await context.describe(table, files.map((f) => f.display));
  if (dataset.rowCount === 0) {
    throw new InputFileError(display, 'empty', format === 'zeek' ? 'no data lines below the Zeek header' : 'no log lines', {
      hint: format === 'zeek' ? 'the log holds only its header (and #close): nothing was recorded' : format === 'auditd' ? 'the file holds no audit records' : 'the file holds no access-log lines',
    });
  }
  context.log.dataOperation({ operation: 'read', target: display, rows: dataset.rowCount, bytes, columns: dataset.columns.map((c) => c.name), detail: { format } });
  return {
    dataset,
    rowsIn: dataset.rowCount,
    rowsOut: dataset.rowCount,
    summary: { ...summary, rows: dataset.rowCount, columns: dataset.columns.length },
    message: `${dataset.rowCount.toLocaleString('en-US')} ${format === 'zeek' ? `Zeek ${String(summary['zeek_path'] ?? '')} records` : format === 'auditd' ? 'audit records' : format === 's3' ? 'S3 access-log lines' : 'access-log lines'}, ${dataset.columns.length} columns${note}${inflatedNote(files)}`,
  };
}

/** Zeek logs say so on their first line, audit and S3 logs by their first record; anything else is read as an access log. */
async function detectFormat(files: readonly LogFile[]): Promise<'zeek' | 'access' | 's3' | 'auditd'> {
  const first = files[0];
  if (first === undefined) return 'access';
  const handle = await open(first.absolute, 'r');
  try {
    const buffer = Buffer.alloc(512);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    const head = buffer.subarray(0, bytesRead).toString('utf8');
    if (isZeekLog(head)) return 'zeek';
    const line = head.replace(/^\s+/, '').split('\n')[0] ?? '';
    if (isAuditdLine(line)) return 'auditd';
    return isS3AccessLogLine(line) ? 's3' : 'access';
  } finally {
    await handle.close();
  }
}

/** An engine error while reading (a file that changed, an unreadable byte the reader did not set aside) as a one-line error naming the file. */
async function engineErrorsNamed<T>(display: string, work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    if (isCsHelperError(error) || !(error instanceof Error)) throw error;
    throw new InputFileError(display, 'malformed', `not readable as a log: ${firstLine(error.message)}`, { cause: error });
  }
}
