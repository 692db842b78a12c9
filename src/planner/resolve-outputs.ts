// Turns the output names a user asks for (`enriched_data`, `threat_report.md`) into kinds and formats; an unknown one is an
// error. Outputs the problem rules out ("don't export JSON", "skip the report") are dropped from the defaults, and asking
// for one by name while ruling it out is an error: the request contradicts itself.
import type { FindingKind } from '../components/findings-table.js';
import { PlanError } from '../model/errors/plan-error.js';
import type { Exclusion, Intent, OutputFormat, OutputKind, RequestedOutput } from '../model/problem-profile.js';
import { excludingOutput } from './exclusions.js';

const FORMATS: readonly OutputFormat[] = ['csv', 'json', 'jsonl', 'md', 'html'];

/** Names of data outputs; anything ending in `report` is a report. */
const DATASET_NAMES = new Set(['enriched_data', 'enriched', 'data', 'results', 'output', 'events', 'processed_data', 'converted_data', 'cleaned_data', 'classified_data', 'scored_data']);
const FINDINGS_NAMES = new Set(['findings', 'ioc_matches', 'ioc_hits', 'indicator_hits', 'anomalies', 'detections', 'violations']);
/** Findings outputs that hold one kind of finding: the name says which. `findings` holds them all. */
const FINDING_KINDS_BY_NAME: Readonly<Record<string, readonly FindingKind[]>> = {
  ioc_matches: ['ioc'],
  ioc_hits: ['ioc'],
  indicator_hits: ['ioc'],
  anomalies: ['anomaly'],
  detections: ['detection'],
};

/** The kinds of finding a findings output holds, or undefined for all of them. */
export function findingKindsOf(output: Pick<RequestedOutput, 'name'>): readonly FindingKind[] | undefined {
  const key = output.name.toLowerCase();
  return Object.hasOwn(FINDING_KINDS_BY_NAME, key) ? FINDING_KINDS_BY_NAME[key] : undefined;
}
/** Names of an ATT&CK Navigator layer: a JSON summary of the ATT&CK mapping, written by export.navigator. */
export const LAYER_NAMES: ReadonlySet<string> = new Set(['navigator_layer', 'attack_layer', 'navigator', 'attack_navigator']);

export function isNavigatorLayer(output: Pick<RequestedOutput, 'name' | 'kind'>): boolean {
  return output.kind === 'summary' && LAYER_NAMES.has(output.name.toLowerCase());
}
/** Outputs a later version will produce: named so the error can say what is missing rather than "unknown". */
const PLANNED_NAMES: Readonly<Record<string, string>> = {
  model: 'a saved ML model (processing.classify)',
};

const DEFAULT_OUTPUTS: Readonly<Record<Intent, readonly string[]>> = {
  threat_hunting: ['enriched_data', 'threat_report'],
  investigation: ['enriched_data', 'investigation_report'],
  enrichment: ['enriched_data'],
  compliance: ['compliance_report'],
  attack_mapping: ['enriched_data.json'],
  ml_classification: ['enriched_data'],
  statistics: ['statistics_report'],
  data_quality: ['quality_report'],
  conversion: ['data.json'],
};

export const KNOWN_OUTPUT_HELP = `data outputs: ${[...DATASET_NAMES].join(', ')}; findings: ${[...FINDINGS_NAMES].join(', ')}; ATT&CK Navigator layer: ${[...LAYER_NAMES].join(', ')}; reports: any name ending in "report" (threat_report, compliance_report, ...), HTML unless named .md; add .csv, .json, .jsonl, .md or .html to choose the format`;

export interface OutputOptions {
  /** Whether a component can write HTML reports; until one can, reports default to Markdown and `.html` is refused. */
  readonly htmlReports: boolean;
  /** What the problem ruled out; only the `output` exclusions matter here. */
  readonly excluded?: readonly Exclusion[];
  /** The format the problem asked for in passing ("export them as JSON"): default data outputs take it. */
  readonly preferredFormat?: OutputFormat;
}

/** Formats a default output may fall back to when the problem rules its own out ("don't export JSON": the data as CSV). */
const FALLBACK_FORMATS: Readonly<Record<OutputKind, readonly OutputFormat[]>> = {
  dataset: ['csv', 'json', 'jsonl'],
  findings: ['csv', 'json', 'jsonl'],
  summary: ['json'],
  report: ['md', 'html'],
};

export function resolveOutputs(names: readonly string[], primaryIntent: Intent, options: OutputOptions): RequestedOutput[] {
  const requested = names.length > 0;
  const list = requested ? names : DEFAULT_OUTPUTS[primaryIntent];
  const excluded = options.excluded ?? [];
  const outputs: RequestedOutput[] = [];
  const dropped: Exclusion[] = [];
  for (const raw of list) {
    let output = withPreferredFormat(resolveOutput(raw, requested, options), options);
    const exclusion = excludingOutput(output, excluded);
    if (exclusion !== undefined) {
      if (requested) {
        throw new PlanError(
          'contradictory-request',
          `the request contradicts itself: it asks for output '${raw}' but the problem rules it out (${exclusion.because})`,
          `drop '${raw}' from --outputs, or take those words out of the problem`,
        );
      }
      const other = alternativeFormat(output, excluded, options);
      if (other === undefined) {
        dropped.push(exclusion);
        continue;
      }
      output = other;
    }
    // Names differ by case only on some file systems: `Report` and `report` would overwrite each other.
    if (outputs.some((o) => o.name.toLowerCase() === output.name.toLowerCase() && o.format === output.format)) {
      throw new PlanError('duplicate-output', `output '${output.name}.${output.format}' is named twice`, 'name each output once');
    }
    outputs.push(output);
  }
  if (outputs.length === 0) {
    const reasons = [...new Set(dropped.map((e) => e.because))].join(', ');
    throw new PlanError('nothing-to-write', `every output a ${primaryIntent.replace(/_/g, ' ')} workflow writes by default is ruled out by the problem (${reasons})`, `name what to write with --outputs; ${KNOWN_OUTPUT_HELP}`);
  }
  return outputs;
}

/** A default output in the format the problem asked for, when it fits its kind; outputs named with --outputs keep theirs. */
function withPreferredFormat(output: RequestedOutput, options: OutputOptions): RequestedOutput {
  const format = options.preferredFormat;
  if (output.requested || format === undefined || output.kind === 'summary') return output;
  // "the report as Markdown": a default report takes md (or html); data formats stay with the data outputs.
  if (output.kind === 'report') return format === 'md' || (format === 'html' && options.htmlReports) ? { ...output, format } : output;
  if (!['csv', 'json', 'jsonl'].includes(format)) return output;
  return { ...output, format };
}

/** The same default output in the first format the problem did not rule out, if there is one. */
function alternativeFormat(output: RequestedOutput, excluded: readonly Exclusion[], options: OutputOptions): RequestedOutput | undefined {
  for (const format of FALLBACK_FORMATS[output.kind]) {
    if (format === 'html' && !options.htmlReports) continue;
    const candidate = { ...output, format };
    if (excludingOutput(candidate, excluded) === undefined) return candidate;
  }
  return undefined;
}

function resolveOutput(raw: string, requested: boolean, options: OutputOptions): RequestedOutput {
  const trimmed = raw.trim();
  const dot = trimmed.lastIndexOf('.');
  const extension = dot > 0 ? trimmed.slice(dot + 1).toLowerCase() : null;
  const name = dot > 0 ? trimmed.slice(0, dot) : trimmed;
  if (!/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/.test(name)) {
    throw new PlanError('invalid-output', `output name '${raw}' is not a plain name`, 'use letters, digits, _ and -, optionally with an extension, e.g. enriched_data.json');
  }
  if (extension !== null && !(FORMATS as readonly string[]).includes(extension)) {
    throw new PlanError('unknown-output-format', `output '${raw}': format '${extension}' is not one CS Helper writes`, `formats: ${FORMATS.join(', ')}`);
  }
  const format = extension as OutputFormat | null;
  const key = name.toLowerCase();
  const planned = PLANNED_NAMES[key];
  if (planned !== undefined) {
    throw new PlanError('output-not-available', `output '${raw}' needs ${planned}, which this version of CS Helper does not have yet`, KNOWN_OUTPUT_HELP);
  }
  if (LAYER_NAMES.has(key)) {
    if (format !== null && format !== 'json') throw new PlanError('unknown-output-format', `output '${raw}': an ATT&CK Navigator layer is written as .json`, `ask for '${name}' or '${name}.json'`);
    return { name, kind: 'summary', format: 'json', requested };
  }
  let kind: OutputKind;
  if (key.endsWith('report')) kind = 'report';
  else if (DATASET_NAMES.has(key)) kind = 'dataset';
  else if (FINDINGS_NAMES.has(key)) kind = 'findings';
  else throw new PlanError('unknown-output', `output '${raw}' is not one CS Helper knows how to produce`, KNOWN_OUTPUT_HELP);

  const chosen: OutputFormat = format ?? (kind === 'report' ? (options.htmlReports ? 'html' : 'md') : 'csv');
  if (chosen === 'html' && !options.htmlReports) {
    throw new PlanError('output-not-available', `output '${raw}': HTML reports are not in this version of CS Helper yet`, `ask for '${name}' or '${name}.md' for a Markdown report`);
  }
  if (kind === 'report' && !['md', 'html'].includes(chosen)) {
    throw new PlanError('unknown-output-format', `output '${raw}': a report is written as .md or .html`, 'drop the extension for the default, or use .md');
  }
  if (kind !== 'report' && (chosen === 'md' || chosen === 'html')) {
    throw new PlanError('unknown-output-format', `output '${raw}': data is written as .csv, .json or .jsonl`, 'ask for a report (a name ending in "report") for Markdown or HTML');
  }
  return { name, kind, format: chosen, requested };
}
