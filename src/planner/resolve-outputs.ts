// Turns the output names a user asks for (`enriched_data`, `threat_report.md`) into kinds and formats; an unknown one is an error.
import { PlanError } from '../model/errors/plan-error.js';
import type { Intent, OutputFormat, OutputKind, RequestedOutput } from '../model/problem-profile.js';

const FORMATS: readonly OutputFormat[] = ['csv', 'json', 'jsonl', 'md', 'html'];

/** Names of data outputs; anything ending in `report` is a report. */
const DATASET_NAMES = new Set(['enriched_data', 'enriched', 'data', 'results', 'output', 'events', 'processed_data', 'converted_data', 'cleaned_data', 'classified_data', 'scored_data']);
const FINDINGS_NAMES = new Set(['findings', 'ioc_matches', 'ioc_hits', 'indicator_hits', 'anomalies', 'detections']);
/** Outputs a later version will produce: named so the error can say what is missing rather than "unknown". */
const PLANNED_NAMES: Readonly<Record<string, string>> = {
  navigator_layer: 'an ATT&CK Navigator layer (export.navigator)',
  attack_layer: 'an ATT&CK Navigator layer (export.navigator)',
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

export const KNOWN_OUTPUT_HELP = `data outputs: ${[...DATASET_NAMES].join(', ')}; findings: ${[...FINDINGS_NAMES].join(', ')}; reports: any name ending in "report" (threat_report, compliance_report, ...); add .csv, .json, .jsonl or .md to choose the format`;

export interface OutputOptions {
  /** Whether a component can write HTML reports; until one can, reports default to Markdown and `.html` is refused. */
  readonly htmlReports: boolean;
}

export function resolveOutputs(names: readonly string[], primaryIntent: Intent, options: OutputOptions): RequestedOutput[] {
  const requested = names.length > 0;
  const list = requested ? names : DEFAULT_OUTPUTS[primaryIntent];
  const outputs: RequestedOutput[] = [];
  for (const raw of list) {
    const output = resolveOutput(raw, requested, options);
    // Names differ by case only on some file systems: `Report` and `report` would overwrite each other.
    if (outputs.some((o) => o.name.toLowerCase() === output.name.toLowerCase() && o.format === output.format)) {
      throw new PlanError('duplicate-output', `output '${output.name}.${output.format}' is named twice`, 'name each output once');
    }
    outputs.push(output);
  }
  return outputs;
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
