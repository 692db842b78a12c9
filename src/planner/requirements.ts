// What a problem needs, as capabilities: from the files (how to read them), the intents (what to find), the outputs (what
// to write) and what the user named (Sigma rules, a feed); less whatever the user ruled out ("no ML").
import { Capability } from '../model/capability.js';
import { PlanError } from '../model/errors/plan-error.js';
import type { FileProfile } from '../model/file-profile.js';
import type { Exclusion, ExplicitRequest, Intent, IntentScore, RequestedOutput } from '../model/problem-profile.js';
import { INTENT_THRESHOLD } from './classify-intents.js';
import { exclusionOf } from './exclusions.js';
import { isViolationsOutput } from './validation-requests.js';
import { findingKindsOf, isNavigatorLayer } from './resolve-outputs.js';

export interface Requirement {
  readonly capability: Capability;
  /** Who asked for it: `intent:compliance`, `output:enriched_data`, `file:logs.csv`, `request:rules ./rules`, `problem:"sigma"`. */
  readonly wantedBy: string;
}

export interface RequirementOptions {
  /** What the user ruled out: excluded capabilities are never required, whoever wants them. */
  readonly excluded?: readonly Exclusion[];
  readonly requests?: readonly ExplicitRequest[];
  /** Capabilities named in the problem beyond its intents ("use Sigma"). */
  readonly mentions?: readonly { readonly capability: Capability; readonly cue: string }[];
}

const INTENT_CAPABILITIES: Readonly<Record<Intent, readonly Capability[]>> = {
  threat_hunting: [Capability.dataQuality, Capability.anomalyDetection, Capability.iocMatching, Capability.enrichment],
  investigation: [Capability.statistics, Capability.anomalyDetection, Capability.iocMatching, Capability.enrichment],
  enrichment: [Capability.iocMatching, Capability.enrichment],
  compliance: [Capability.dataQuality, Capability.statistics],
  attack_mapping: [Capability.attackMapping, Capability.enrichment],
  ml_classification: [Capability.dataQuality, Capability.mlClassification, Capability.enrichment],
  statistics: [Capability.statistics],
  data_quality: [Capability.dataQuality],
  conversion: [],
};

/** What an explicit request asks of the plan: rules need a rule engine, a feed needs indicator matching; a format is an output's business; a scope or a time range needs nothing yet. */
const REQUEST_CAPABILITY: Readonly<Record<ExplicitRequest['kind'], Capability | null>> = {
  rules: Capability.sigmaDetection,
  feed: Capability.iocMatching,
  scope: null,
  time_range: null,
  format: null,
};

/** How each kind of file is read. Zeek logs and access logs are both `import-log`, but never stacked: they are two kinds. */
export const FILE_CAPABILITY: Readonly<Record<FileProfile['kind'], Capability | null>> = {
  csv: Capability.importCsv,
  json: Capability.importJson,
  jsonl: Capability.importJson,
  xlsx: Capability.importExcel,
  zeek: Capability.importLog,
  'access-log': Capability.importLog,
  's3-access-log': Capability.importLog,
  auditd: Capability.importLog,
  unknown: null,
};

const HUNTING_INTENTS: ReadonlySet<Intent> = new Set(['threat_hunting', 'investigation']);

/** What a file is when the shipped Sigma rules have rules for it, else null. */
function ruleCoveredLog(file: FileProfile): string | null {
  if (file.kind === 'access-log') return 'a web server access log';
  if (file.kind === 'auditd') return 'a Linux audit log';
  if (file.kind === 's3-access-log') return 'an Amazon S3 server access log';
  const names = new Set(file.columns.map((c) => c.name.toLowerCase()));
  if ((file.kind === 'json' || file.kind === 'jsonl') && names.has('eventid') && names.has('channel')) return 'Windows events';
  if ((file.kind === 'json' || file.kind === 'jsonl') && names.has('winlog.event_id') && names.has('winlog.channel')) return 'Windows events (Winlogbeat)';
  if ((file.kind === 'json' || file.kind === 'jsonl') && names.has('eventsource') && names.has('eventname')) return 'AWS CloudTrail events';
  return null;
}

const FORMAT_CAPABILITY = { csv: Capability.exportCsv, json: Capability.exportJson, jsonl: Capability.exportJson, md: Capability.reportMarkdown, html: Capability.reportHtml } as const;

export function deriveRequirements(intents: readonly IntentScore[], outputs: readonly RequestedOutput[], files: readonly FileProfile[], options: RequirementOptions = {}): Requirement[] {
  const excluded = options.excluded ?? [];
  const requirements: Requirement[] = [];
  const add = (capability: Capability, wantedBy: string): void => {
    if (exclusionOf(excluded, 'capability', capability) !== undefined) return;
    if (!requirements.some((r) => r.capability === capability)) requirements.push({ capability, wantedBy });
  };
  // Files of several kinds need several importers: each dataset gets its own branch with its own (dataset-groups.ts).
  for (const file of files) {
    const capability = FILE_CAPABILITY[file.kind];
    if (capability !== null) add(capability, `file:${file.path}`);
  }
  for (const intent of intents) {
    if (intent.score < INTENT_THRESHOLD || exclusionOf(excluded, 'intent', intent.intent) !== undefined) continue;
    for (const capability of INTENT_CAPABILITIES[intent.intent]) add(capability, `intent:${intent.intent}`);
  }
  // Hunting in the logs the shipped Sigma rules are written for (access logs: the webserver rules for injection,
  // traversal and scanner probes; Windows events) runs the rules too: they are the detections an analyst expects there.
  const hunting = intents.some((i) => HUNTING_INTENTS.has(i.intent) && i.score >= INTENT_THRESHOLD && exclusionOf(excluded, 'intent', i.intent) === undefined);
  if (hunting) {
    for (const file of files) {
      const covered = ruleCoveredLog(file);
      if (covered !== null) add(Capability.sigmaDetection, `file:${file.path} (${covered})`);
    }
  }
  for (const request of options.requests ?? []) {
    const capability = REQUEST_CAPABILITY[request.kind];
    if (capability !== null) add(capability, `request:${request.kind} ${request.value}`);
  }
  for (const mention of options.mentions ?? []) add(mention.capability, `problem:"${mention.cue}"`);
  for (const output of outputs) {
    // A Navigator layer draws the ATT&CK mapping: without the mapping there is nothing to draw.
    if (isNavigatorLayer(output)) {
      for (const capability of [Capability.attackMapping, Capability.navigatorLayer]) {
        const exclusion = exclusionOf(excluded, 'capability', capability);
        if (exclusion !== undefined) throw new PlanError('contradictory-request', `the request contradicts itself: it asks for output '${output.name}' but the problem rules out ${capability} (${exclusion.because})`, `drop '${output.name}' from --outputs, or take those words out of the problem`);
        add(capability, `output:${output.name}`);
      }
      continue;
    }
    // Enriched data means data with its threat context: it needs the analyses that produce findings.
    if (output.kind === 'dataset' && output.name.toLowerCase().startsWith('enriched')) {
      for (const capability of [Capability.anomalyDetection, Capability.iocMatching, Capability.enrichment]) add(capability, `output:${output.name}`);
    }
    if (output.kind === 'findings' && !isViolationsOutput(output)) {
      add(Capability.anomalyDetection, `output:${output.name}`);
      add(Capability.iocMatching, `output:${output.name}`);
      // Detections are what rules fire: a detections file needs the rule engine.
      if (findingKindsOf(output)?.includes('detection') === true) add(Capability.sigmaDetection, `output:${output.name}`);
    }
    add(FORMAT_CAPABILITY[output.format], `output:${output.name}`);
  }
  if (requirements.some((r) => r.capability === Capability.navigatorLayer)) add(Capability.attackMapping, `capability:${Capability.navigatorLayer}`);
  return requirements;
}
