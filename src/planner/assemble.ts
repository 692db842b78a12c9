// Builds the workflow graph: one node per chosen component (one per output for exports), wired by what each consumes and
// produces; with several datasets (dataset-groups.ts), one such branch per dataset, its ids and files suffixed with its slug.
import { basename } from 'node:path';
import type { FeatureGroup } from '../components/processing/features/feature-plan.js';
import type { AnyComponent, InputSize } from '../components/component.js';
import { compileExpression } from '../components/processing/expression/compile.js';
import type { ComponentRegistry } from '../components/registry.js';
import { Capability } from '../model/capability.js';
import { ComponentType, type PortKind } from '../model/component-kind.js';
import type { FileProfile } from '../model/file-profile.js';
import type { ProblemProfile, RequestedOutput } from '../model/problem-profile.js';
import type { PlanNode, UnavailableCapability } from '../model/workflow-plan.js';
import { csvImportParamsFor } from './csv-import-params.js';
import { datasetGroups, inputSize, type DatasetGroup } from './dataset-groups.js';
import { FILE_CAPABILITY, type Requirement } from './requirements.js';
import { isViolationsOutput } from './validation-requests.js';
import { findingKindsOf, isNavigatorLayer } from './resolve-outputs.js';

export interface AssemblyOptions {
  /** Extra feed files for intel.ioc-match. */
  readonly feeds: readonly string[];
  /** processing.transform's parameters read from the problem, and the files of --schema and --validation-rules. */
  readonly transform?: Readonly<Record<string, unknown>> | null;
  readonly schema?: string | undefined;
  readonly validationRules?: string | undefined;
  /** Sigma rule files and folders for analysis.sigma (--rules, and rules the problem names); empty: the shipped rules. */
  readonly sigmaRules?: readonly string[] | undefined;
  /** processing.enrich's feature groups (enrich-features.ts); absent or null: every group. */
  readonly enrichFeatures?: readonly FeatureGroup[] | null | undefined;
  /** --model: the name processing.classify saves its model under (or loads it from, for data without labels). */
  /** The label column the problem names for processing.classify, when the data has several; null: its default. */
  readonly classifyLabel?: string | null | undefined;
  readonly model?: string | undefined;
  /** --sheets: only these worksheets of the workbooks (dataset-groups.ts). */
  readonly sheets?: readonly string[] | undefined;
  /** The datasets, when the caller has made them already (plan-workflow.ts, for the fingerprint). */
  readonly groups?: readonly DatasetGroup[] | undefined;
}

/** One dataset's branch of the plan: its slug ('' when it is the only one), its steps, and the input size they see. */
export interface Branch {
  readonly slug: string;
  readonly nodes: readonly string[];
  readonly size: InputSize;
}

export interface Assembly {
  readonly nodes: PlanNode[];
  readonly unavailable: UnavailableCapability[];
  /** Per capability, the components that could also have served it. */
  readonly alternatives: Record<string, string[]>;
  /** Per node, the capabilities it was chosen for. */
  readonly capabilitiesByNode: Record<string, string[]>;
  /** One per dataset; absent from a re-bound pattern (rebind-pattern.ts), which knows only the whole input. */
  readonly branches?: readonly Branch[];
}

const OUTPUT_CAPABILITY = { csv: Capability.exportCsv, json: Capability.exportJson, jsonl: Capability.exportJson, md: Capability.reportMarkdown, html: Capability.reportHtml } as const;

export function assembleNodes(profile: ProblemProfile, requirements: readonly Requirement[], registry: ComponentRegistry, options: AssemblyOptions): Assembly {
  const unavailable: UnavailableCapability[] = [];
  const alternatives: Record<string, string[]> = {};
  const chosen = new Map<string, { component: AnyComponent; reasons: string[]; capabilities: string[] }>();
  const capabilitiesByNode: Record<string, string[]> = {};
  const exportCapabilities = new Set<string>(Object.values(OUTPUT_CAPABILITY));
  // A layer output gets its own export node below; a mention of the Navigator alone gets one here.
  if (profile.outputs.some(isNavigatorLayer)) exportCapabilities.add(Capability.navigatorLayer);

  for (const requirement of requirements) {
    if (exportCapabilities.has(requirement.capability)) continue;
    const providers = registry.providing(requirement.capability);
    const first = providers[0];
    if (first === undefined) {
      unavailable.push({ capability: requirement.capability, wanted_by: requirement.wantedBy, reason: `no component in this version provides '${requirement.capability}'` });
      continue;
    }
    alternatives[requirement.capability] = providers.slice(1).map((p) => p.id);
    const entry = chosen.get(first.id) ?? { component: first, reasons: [], capabilities: [] };
    entry.reasons.push(`${requirement.capability} for ${requirement.wantedBy}`);
    entry.capabilities.push(requirement.capability);
    chosen.set(first.id, entry);
  }

  const outputs: { output: RequestedOutput; component: AnyComponent; capability: string }[] = [];
  for (const output of profile.outputs) {
    const capability = isNavigatorLayer(output) ? Capability.navigatorLayer : OUTPUT_CAPABILITY[output.format];
    const component = registry.providing(capability)[0];
    if (component === undefined) {
      unavailable.push({ capability, wanted_by: `output:${output.name}`, reason: `no component in this version writes ${output.format}` });
      continue;
    }
    outputs.push({ output, component, capability });
  }

  const groups = options.groups ?? datasetGroups(profile.files, { sheets: options.sheets });
  const branches: Branch[] = [];
  const nodes: PlanNode[] = [];
  for (const group of groups) {
    const suffix = group.slug === '' ? '' : `-${group.slug}`;
    const branch: PlanNode[] = [];
    for (const { component, reasons, capabilities } of chosen.values()) {
      // Each branch reads its dataset with the importer of its own kind of file.
      if (component.type === ComponentType.DATA_IMPORT && !importsKind(component, group)) continue;
      const id = branchId(nodeIdFor(component), suffix);
      const params: Record<string, unknown> = { ...paramsFor(component, group.files, options), ...(component.id === 'import.excel' && group.sheets !== null ? { sheets: [...group.sheets] } : {}) };
      if (group.slug !== '' && typeof params['file'] === 'string') params['file'] = branchFile(params['file'], group.slug);
      let reason = group.slug === '' ? reasons.join('; ') : branchReason(component, reasons, group);
      const unfit = group.slug === '' ? null : filterUnfitFor(params, group);
      if (unfit !== null) {
        // The problem's filter was read against the first file's columns: a dataset without them is analysed whole.
        delete params['filter'];
        const note = `filter '${unfit.filter}' left out for dataset '${group.slug}': ${unfit.why}`;
        reason = `${reason}; ${note}`;
        if (Object.keys(params).length === 0) {
          // No step left to carry the note: the branch's importer says it.
          const importer = branch.find((n) => n.type === ComponentType.DATA_IMPORT);
          if (importer !== undefined) importer.reason = `${importer.reason}; ${note}`;
          continue;
        }
      }
      capabilitiesByNode[id] = capabilities;
      branch.push(node(id, component, params, reason, group.size));
    }
    for (const { output, component, capability } of outputs) {
      const twin = profile.outputs.filter((o) => o.name.toLowerCase() === output.name.toLowerCase()).length > 1;
      const id = branchId(`export-${output.name.toLowerCase()}${twin ? `-${output.format}` : ''}`, suffix);
      capabilitiesByNode[id] = [capability];
      const file = `${output.name}.${output.format}`;
      branch.push(node(id, component, exportParams(output, group), `writes output ${group.slug === '' ? file : `${output.name} for dataset '${group.slug}' as ${branchFile(file, group.slug)}`}`, group.size));
    }
    wire(branch, registry);
    addStrategies(branch);
    branches.push({ slug: group.slug, nodes: branch.map((n) => n.id), size: group.size });
    nodes.push(...branch);
  }
  // Branches side by side: every import, then every analysis, ..., so the plan reads in the order its stages run.
  const order = (n: PlanNode): number => registry.get(n.component).order;
  nodes.sort((a, b) => order(a) - order(b));
  return { nodes, unavailable, alternatives, capabilitiesByNode, branches };
}

function importsKind(component: AnyComponent, group: DatasetGroup): boolean {
  const capability = FILE_CAPABILITY[group.kind];
  return capability !== null && component.capabilities.includes(capability);
}

/** A branch's importer cites its own files (not the first file of the kind) and says which dataset it reads. */
function branchReason(component: AnyComponent, reasons: readonly string[], group: DatasetGroup): string {
  if (component.type !== ComponentType.DATA_IMPORT) return reasons.join('; ');
  const capability = FILE_CAPABILITY[group.kind] ?? component.capabilities[0] ?? '';
  const sheets = group.sheets === null ? '' : ` (worksheet${group.sheets.length > 1 ? 's' : ''} ${group.sheets.map((s) => `'${s}'`).join(', ')})`;
  return [...group.files.map((f) => `${capability} for file:${f.path}`), `dataset '${group.slug}'${sheets}`].join('; ');
}

/** processing.transform's filter when it names a column this dataset lacks, with the compiler's words; else null. */
function filterUnfitFor(params: Readonly<Record<string, unknown>>, group: DatasetGroup): { filter: string; why: string } | null {
  const filter = params['filter'];
  if (typeof filter !== 'string') return null;
  try {
    compileExpression(filter, group.columns.map((c) => c.name), 'filter');
    return null;
  } catch (error) {
    return { filter, why: error instanceof Error ? error.message : String(error) };
  }
}

/** Node ids are at most 80 characters (the plan schema): a long output name gives way to the branch's suffix. */
const MAX_NODE_ID = 80;

function branchId(base: string, suffix: string): string {
  return `${base.slice(0, MAX_NODE_ID - suffix.length)}${suffix}`;
}

/** `enriched_data.csv` in branch `alerts` -> `enriched_data_alerts.csv`. */
export function branchFile(file: string, slug: string): string {
  const dot = file.lastIndexOf('.');
  return dot <= 0 ? `${file}_${slug}` : `${file.slice(0, dot)}_${slug}${file.slice(dot)}`;
}

/** A step for `component` with no inputs yet (wiring adds them); exported for the MCP server's one-step plans. */
export function node(id: string, component: AnyComponent, params: Record<string, unknown>, reason: string, size: InputSize): PlanNode {
  return {
    id,
    component: component.id,
    type: component.type,
    complexity: component.complexity,
    title: component.title,
    params,
    inputs: {},
    depends_on: [],
    reason,
    estimated_ms: Math.round(component.estimateMs(size)),
    condition: null,
    loop: null,
    timeout_ms: null,
  };
}

/** `intel.ioc-match` -> `ioc-match`, any importer -> `import`: short, readable, and unique because a branch holds one importer. */
function nodeIdFor(component: AnyComponent): string {
  return component.type === 'DATA_IMPORT' ? 'import' : component.id.slice(component.id.indexOf('.') + 1);
}

/** Exported for the pattern cache (rebind-pattern.ts), which re-derives a stored plan's estimates for new files. */
export { inputSize };

/** The parameters that come from the files and the request; exported for rebind-pattern.ts, which re-applies them to a stored plan. */
export function paramsFor(component: AnyComponent, files: readonly FileProfile[], options: AssemblyOptions): Record<string, unknown> {
  const first = files[0];
  switch (component.id) {
    case 'import.csv':
      // Each file's own dialect: stacked files may differ in delimiter, header or encoding.
      return csvImportParamsFor(files);
    case 'import.json':
      return { paths: files.map((f) => f.path), format: files.every((f) => f.kind === 'jsonl') ? 'newline_delimited' : 'auto' };
    case 'import.excel':
      return { paths: files.map((f) => f.path) };
    case 'import.log':
      return { paths: files.map((f) => f.path), format: first?.kind === 'zeek' ? 'zeek' : first?.kind === 'auditd' ? 'auditd' : first?.kind === 's3-access-log' ? 's3' : 'access' };
    case 'intel.ioc-match':
      return { feeds: [...options.feeds] };
    case 'analysis.sigma':
      return { rules: [...(options.sigmaRules ?? [])] };
    case 'processing.transform':
      return { ...options.transform };
    case 'validation.schema':
      return { schema: options.schema ?? null };
    case 'validation.rules':
      return options.validationRules === undefined ? {} : { rules: options.validationRules };
    case 'processing.enrich':
      return options.enrichFeatures === undefined || options.enrichFeatures === null ? {} : { features: [...options.enrichFeatures] };
    case 'export.navigator':
      return { output: 'navigator_layer', file: 'navigator_layer.json' };
    case 'processing.classify':
      return { ...(options.model === undefined ? {} : { model: options.model }), ...(options.classifyLabel === undefined || options.classifyLabel === null ? {} : { label: options.classifyLabel }) };
    default:
      return {};
  }
}

function exportParams(output: RequestedOutput, group: DatasetGroup): Record<string, unknown> {
  const plain = `${output.name}.${output.format}`;
  const file = group.slug === '' ? plain : branchFile(plain, group.slug);
  if (output.kind === 'report') return { output: output.name, file, format: output.format, title: group.slug === '' ? titleFor(output.name) : `${titleFor(output.name)}: ${datasetTitle(group)}`.slice(0, 200) };
  if (isNavigatorLayer(output)) return { output: output.name, file };
  const params: Record<string, unknown> = { output: output.name, file, source: isViolationsOutput(output) ? 'violations' : output.kind === 'findings' ? 'findings' : 'dataset' };
  const kinds = params['source'] === 'findings' ? findingKindsOf(output) : undefined;
  if (kinds !== undefined) params['kinds'] = [...kinds];
  if (output.format === 'jsonl') params['lines'] = true;
  return params;
}

/** What a branch's report is about: `Alerts (book.xlsx)`, `assets.csv`. */
function datasetTitle(group: DatasetGroup): string {
  const files = group.files.map((f) => basename(f.path)).join(', ');
  return group.sheets === null ? files : `${group.sheets.join(', ')} (${files})`;
}

/** `compliance_report` -> `Compliance report`. */
function titleFor(name: string): string {
  const words = name.replace(/[_-]+/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/**
 * Datasets come from the latest dataset producer of a lower order; findings and summaries from every producer of a lower
 * order. This is what makes enrichment wait for the analyses and the report wait for everything.
 */
function wire(nodes: PlanNode[], registry: ComponentRegistry): void {
  const spec = new Map(nodes.map((n) => [n.id, registry.get(n.component)]));
  const order = (n: PlanNode): number => spec.get(n.id)?.order ?? 0;
  const sorted = [...nodes].sort((a, b) => order(a) - order(b));
  for (const current of sorted) {
    const component = spec.get(current.id);
    if (component === undefined) continue;
    const earlier = sorted.filter((n) => order(n) < order(current));
    // Validation findings are data problems, not threats: they never feed threat scoring or a findings export; the
    // violations export takes them and nothing else.
    const producers = (kind: PortKind): PlanNode[] =>
      earlier.filter((n) => spec.get(n.id)?.produces.includes(kind) === true && (kind !== 'findings' || (spec.get(n.id)?.type === ComponentType.VALIDATION) === (current.params['source'] === 'violations')));
    const inputs: PlanNode['inputs'] = {};
    for (const kind of component.consumes) {
      const from = kind === 'dataset' ? producers('dataset').slice(-1) : producers(kind);
      if (from.length > 0) inputs[kind] = from.map((n) => n.id);
    }
    current.inputs = inputs;
    current.depends_on = [...new Set(Object.values(inputs).flat())];
  }
  nodes.sort((a, b) => order(a) - order(b));
}

const MATCHABLE_ROLES = ['ip', 'domain', 'url', 'hash'] as const;

/**
 * Conditions and loops the planner knows to be worth it, decided on facts only the run can see:
 * - indicator matching runs only when the imported data has a column that can hold an indicator (roles are typed
 *   by the import; the profile's guess from a sample may be wrong);
 * - pattern analysis, when nothing stands out, lowers its outlier threshold (x0.8, not below 2.5) and looks again,
 *   at most three times: an analyst asking for anomalies wants the most unusual rows, even in quiet data. It stops
 *   when no measure column was judged (none in the data, or every one skipped for its modes): no threshold acts then.
 */
function addStrategies(nodes: PlanNode[]): void {
  for (const node of nodes) {
    const source = node.inputs.dataset?.[0];
    if (node.component === 'intel.ioc-match' && source !== undefined) {
      node.condition = { any: MATCHABLE_ROLES.map((role) => ({ op: 'contains' as const, list: { ref: `${source}.dataset.roles` }, item: { value: role } })) };
    }
    if (node.component === 'analysis.patterns') {
      const flagged = { op: 'gt' as const, left: { ref: 'self.summary.flagged_rows' }, right: { value: 0 } };
      const nothingJudged = { op: 'eq' as const, left: { ref: 'self.summary.outlier_columns_judged' }, right: { value: 0 } };
      node.loop = { until: { any: [flagged, nothingJudged] }, max_iterations: 3, adjust: { param: 'outlier_threshold', factor: 0.8, min: 2.5 } };
    }
  }
}
