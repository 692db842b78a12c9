// What the planner learns about an input file by reading it: its kind, its shape and the roles of its columns.
import { z } from 'zod';
import { semanticRoleSchema } from './semantic-role.js';

/** By content: delimited text, JSON, JSON Lines, an .xlsx workbook, a Zeek TSV log, an Apache/Nginx access log, an Amazon S3 server access log, a Linux audit log. */
export const fileKindSchema = z.enum(['csv', 'json', 'jsonl', 'xlsx', 'zeek', 'access-log', 's3-access-log', 'auditd', 'unknown']);
export type FileKind = z.infer<typeof fileKindSchema>;

export const columnProfileSchema = z.object({
  name: z.string(),
  role: semanticRoleSchema.nullable(),
  /** Share of sampled non-empty values that matched the role's pattern, 0..1 (1 when the role came from the name alone and no sample contradicted it). */
  role_confidence: z.number().min(0).max(1),
  inferred_type: z.enum(['integer', 'number', 'boolean', 'timestamp', 'string', 'nested']),
});
export type ColumnProfile = z.infer<typeof columnProfileSchema>;

/** One visible worksheet of a workbook, profiled like a file of its own: what a dataset group is made of. */
export const sheetProfileSchema = z.object({
  name: z.string(),
  has_header: z.boolean().nullable(),
  columns: z.array(columnProfileSchema),
  /** Data rows below the header; 0 for a sheet with nothing below its header. */
  estimated_rows: z.number().int().nonnegative(),
  /** SHA-256 of the kind and column names, as for a file: equal for sheets of the same shape. */
  schema_fingerprint: z.string(),
});
export type SheetProfile = z.infer<typeof sheetProfileSchema>;

export const fileProfileSchema = z.object({
  path: z.string(),
  kind: fileKindSchema,
  bytes: z.number().int().nonnegative(),
  encoding: z.string(),
  delimiter: z.string().nullable(),
  has_header: z.boolean().nullable(),
  columns: z.array(columnProfileSchema),
  estimated_rows: z.number().int().nonnegative(),
  /** SHA-256 of the kind and column names: equal for files of the same shape, whatever their path. */
  schema_fingerprint: z.string(),
  notes: z.array(z.string()),
  /**
   * Workbooks only: every visible worksheet that holds a row, in tab order (the file's own columns and rows are its
   * first one's). Optional, so that profiles and plans stored before it stay valid.
   */
  sheets: z.array(sheetProfileSchema).optional(),
});
export type FileProfile = z.infer<typeof fileProfileSchema>;
