// What the planner learns about an input file by reading it: its kind, its shape and the roles of its columns.
import { z } from 'zod';
import { semanticRoleSchema } from './semantic-role.js';

/** By content: delimited text, JSON, JSON Lines, an .xlsx workbook, a Zeek TSV log, an Apache/Nginx access log. */
export const fileKindSchema = z.enum(['csv', 'json', 'jsonl', 'xlsx', 'zeek', 'access-log', 'unknown']);
export type FileKind = z.infer<typeof fileKindSchema>;

export const columnProfileSchema = z.object({
  name: z.string(),
  role: semanticRoleSchema.nullable(),
  /** Share of sampled non-empty values that matched the role's pattern, 0..1 (1 when the role came from the name alone and no sample contradicted it). */
  role_confidence: z.number().min(0).max(1),
  inferred_type: z.enum(['integer', 'number', 'boolean', 'timestamp', 'string', 'nested']),
});
export type ColumnProfile = z.infer<typeof columnProfileSchema>;

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
});
export type FileProfile = z.infer<typeof fileProfileSchema>;
