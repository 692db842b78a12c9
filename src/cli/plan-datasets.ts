// The datasets a plan reads, one per branch, read back from its import steps and the file profiles: what the CLI shows
// before the stages (file, worksheets, rows, columns) and, per branch, the files its exports write.
import { basename } from 'node:path';
import type { FileProfile, SheetProfile } from '../model/file-profile.js';
import type { WorkflowPlan } from '../model/workflow-plan.js';

export interface PlanDataset {
  /** '' for the only dataset; else the suffix of its branch's step ids (`import-alerts` -> `alerts`). */
  readonly slug: string;
  readonly files: readonly string[];
  /** Worksheets it is made of (workbooks); empty for other files. */
  readonly sheets: readonly string[];
  /** Estimated from the profiles: data rows, and the widest part's column count. */
  readonly rows: number;
  readonly columns: number;
  /** The files this branch's exports write, as the plan names them. */
  readonly outputs: readonly string[];
}

export function planDatasets(plan: WorkflowPlan): PlanDataset[] {
  const imports = plan.nodes.filter((n) => n.type === 'DATA_IMPORT');
  const branched = imports.length > 1;
  return imports.map((node) => {
    // Branch ids are `<step>-<slug>` and slugs hold no `-` (dataset-groups.ts).
    const slug = branched ? node.id.slice(node.id.lastIndexOf('-') + 1) : '';
    const paths = stringList(node.params['paths']);
    const named = stringList(node.params['sheets']);
    const profiles = paths.map((p) => plan.profile.files.find((f) => f.path === p));
    const parts = profiles.flatMap((file) => (file === undefined ? [] : partsRead(file, named)));
    const outputs = plan.nodes.filter((n) => n.type === 'EXPORT' && (slug === '' || n.id.endsWith(`-${slug}`))).flatMap((n) => (typeof n.params['file'] === 'string' ? [n.params['file']] : []));
    return {
      slug,
      files: paths,
      sheets: [...new Set(parts.flatMap((p) => (p.sheet === null ? [] : [p.sheet])))],
      rows: parts.reduce((sum, p) => sum + p.rows, 0),
      columns: Math.max(0, ...parts.map((p) => p.columns)),
      outputs,
    };
  });
}

/** One line per dataset: `book.xlsx, worksheet 'Alerts': ~6 rows, 5 columns`. */
export function describeDataset(dataset: PlanDataset): string {
  const files = dataset.files.map((f) => basename(f)).join(', ');
  const sheets = dataset.sheets.length === 0 ? '' : `, worksheet${dataset.sheets.length > 1 ? 's' : ''} ${dataset.sheets.map((s) => `'${s}'`).join(', ')}`;
  return `${files}${sheets}: ~${dataset.rows.toLocaleString('en-US')} rows, ${dataset.columns} columns`;
}

interface PartRead {
  readonly sheet: string | null;
  readonly rows: number;
  readonly columns: number;
}

/** What the import reads of a file: the sheets named, or by default the first sheet and those shaped like it. */
function partsRead(file: FileProfile, named: readonly string[]): PartRead[] {
  const sheets = file.sheets ?? [];
  if (sheets.length === 0) return [{ sheet: null, rows: file.estimated_rows, columns: file.columns.length }];
  const chosen: SheetProfile[] =
    named.length > 0
      ? sheets.filter((s) => named.some((n) => n.toLowerCase() === s.name.toLowerCase()))
      : sheets.filter((s) => s.schema_fingerprint === sheets[0]?.schema_fingerprint);
  return chosen.map((s) => ({ sheet: s.name, rows: s.estimated_rows, columns: s.columns.length }));
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}
