// Builds the workflow graph: one node per chosen component (one per output for exports), wired by what each consumes and produces.
import type { FeatureGroup } from '../components/processing/features/feature-plan.js';
import type { AnyComponent, InputSize } from '../components/component.js';
import type { ComponentRegistry } from '../components/registry.js';
import { Capability } from '../model/capability.js';
import { ComponentType, type PortKind } from '../model/component-kind.js';
import type { FileProfile } from '../model/file-profile.js';
import type { ProblemProfile, RequestedOutput } from '../model/problem-profile.js';
import type { PlanNode, UnavailableCapability } from '../model/workflow-plan.js';
import type { Requirement } from './requirements.js';
import { isViolationsOutput } from './validation-requests.js';
import { isNavigatorLayer } from './resolve-outputs.js';

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
  readonly model?: string | undefined;
}

export interface Assembly {
  readonly nodes: PlanNode[];
  readonly unavailable: UnavailableCapability[];
  /** Per capability, the components that could also have served it. */
  readonly alternatives: Record<string, string[]>;
  /** Per node, the capabilities it was chosen for. */
  readonly capabilitiesByNode: Record<string, string[]>;
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

  const size = inputSize(profile.files);
  const nodes: PlanNode[] = [];
  for (const { component, reasons, capabilities } of chosen.values()) {
    const id = nodeIdFor(component);
    capabilitiesByNode[id] = capabilities;
    nodes.push(node(id, component, paramsFor(component, profile.files, options), reasons.join('; '), size));
  }
  for (const output of profile.outputs) {
    const capability = isNavigatorLayer(output) ? Capability.navigatorLayer : OUTPUT_CAPABILITY[output.format];
    const component = registry.providing(capability)[0];
    if (component === undefined) {
      unavailable.push({ capability, wanted_by: `output:${output.name}`, reason: `no component in this version writes ${output.format}` });
      continue;
    }
    const twin = profile.outputs.filter((o) => o.name.toLowerCase() === output.name.toLowerCase()).length > 1;
    const id = `export-${output.name.toLowerCase()}${twin ? `-${output.format}` : ''}`;
    capabilitiesByNode[id] = [capability];
    nodes.push(node(id, component, exportParams(output), `writes output ${output.name}.${output.format}`, size));
  }
  wire(nodes, registry);
  addStrategies(nodes);
  return { nodes, unavailable, alternatives, capabilitiesByNode };
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

/** `intel.ioc-match` -> `ioc-match`, any importer -> `import`: short, readable, and unique because one plan holds one importer. */
function nodeIdFor(component: AnyComponent): string {
  return component.type === 'DATA_IMPORT' ? 'import' : component.id.slice(component.id.indexOf('.') + 1);
}

/** Exported for the pattern cache (rebind-pattern.ts), which re-derives a stored plan's estimates for new files. */
export function inputSize(files: readonly FileProfile[]): InputSize {
  return {
    rows: files.reduce((sum, f) => sum + f.estimated_rows, 0),
    bytes: files.reduce((sum, f) => sum + f.bytes, 0),
    columns: Math.max(0, ...files.map((f) => f.columns.length)),
  };
}

/** The parameters that come from the files and the request; exported for rebind-pattern.ts, which re-applies them to a stored plan. */
export function paramsFor(component: AnyComponent, files: readonly FileProfile[], options: AssemblyOptions): Record<string, unknown> {
  const first = files[0];
  switch (component.id) {
    case 'import.csv':
      return {
        paths: files.map((f) => f.path),
        delimiter: first?.delimiter ?? null,
        header: first?.has_header ?? null,
        encoding: first?.encoding ?? 'utf-8',
        comment: first?.notes.some((n) => n.includes('comment lines')) === true ? '#' : null,
      };
    case 'import.json':
      return { paths: files.map((f) => f.path), format: files.every((f) => f.kind === 'jsonl') ? 'newline_delimited' : 'auto' };
    case 'import.excel':
      return { paths: files.map((f) => f.path) };
    case 'import.log':
      return { paths: files.map((f) => f.path), format: first?.kind === 'zeek' ? 'zeek' : 'access' };
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
      return options.model === undefined ? {} : { model: options.model };
    default:
      return {};
  }
}

function exportParams(output: RequestedOutput): Record<string, unknown> {
  const file = `${output.name}.${output.format}`;
  if (output.kind === 'report') return { output: output.name, file, format: output.format, title: titleFor(output.name) };
  if (isNavigatorLayer(output)) return { output: output.name, file };
  const params: Record<string, unknown> = { output: output.name, file, source: isViolationsOutput(output) ? 'violations' : output.kind === 'findings' ? 'findings' : 'dataset' };
  if (output.format === 'jsonl') params['lines'] = true;
  return params;
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
 *   at most three times: an analyst asking for anomalies wants the most unusual rows, even in quiet data.
 */
function addStrategies(nodes: PlanNode[]): void {
  for (const node of nodes) {
    const source = node.inputs.dataset?.[0];
    if (node.component === 'intel.ioc-match' && source !== undefined) {
      node.condition = { any: MATCHABLE_ROLES.map((role) => ({ op: 'contains' as const, list: { ref: `${source}.dataset.roles` }, item: { value: role } })) };
    }
    if (node.component === 'analysis.patterns') {
      node.loop = { until: { op: 'gt', left: { ref: 'self.summary.flagged_rows' }, right: { value: 0 } }, max_iterations: 3, adjust: { param: 'outlier_threshold', factor: 0.8, min: 2.5 } };
    }
  }
}
