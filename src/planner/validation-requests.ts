// The steps a request adds beyond its intents: schema validation for --schema (or a problem that asks to validate a
// schema), business rules for --validation-rules, a transformation the problem spells out, and a validation step for
// a `violations` output that would otherwise have nothing to list. Each comes with its parameters and its reason.
import { Capability } from '../model/capability.js';
import type { FileProfile } from '../model/file-profile.js';
import type { RequestedOutput } from '../model/problem-profile.js';
import type { Requirement } from './requirements.js';
import { readTransformRequest, type TransformRequest } from './transform-request.js';

/** Output names for the offending rows of the validation steps (findings of kind `violation`). */
const VIOLATION_OUTPUTS: ReadonlySet<string> = new Set(['violations']);

export function isViolationsOutput(output: Pick<RequestedOutput, 'name'>): boolean {
  return VIOLATION_OUTPUTS.has(output.name.toLowerCase());
}

export interface ValidationFiles {
  /** --schema: a JSON Schema or column-type spec, as the user wrote its path. */
  readonly schema?: string | undefined;
  /** --validation-rules: a YAML or JSON rules file. */
  readonly validationRules?: string | undefined;
}

export interface ExtraSteps {
  readonly requirements: Requirement[];
  readonly transform: TransformRequest | null;
  readonly files: ValidationFiles;
  /** For the plan's fingerprint: present only when something was added, so other plans keep theirs. */
  readonly fingerprint: Record<string, unknown>;
}

const VALIDATING: ReadonlySet<Capability> = new Set([Capability.dataQuality, Capability.schemaValidation, Capability.ruleValidation]);
const SCHEMA_CHECK = /\b(?:validate|check|verify|conform|conforms|match|matches)\b[^.;]{0,40}\bschema\b|\bschema\s+(?:validation|check)\b/i;

export function extraSteps(problem: string, files: readonly FileProfile[], outputs: readonly RequestedOutput[], given: ValidationFiles, existing: readonly Requirement[]): ExtraSteps {
  const requirements: Requirement[] = [];
  const add = (capability: Capability, wantedBy: string): void => {
    if (!existing.some((r) => r.capability === capability) && !requirements.some((r) => r.capability === capability)) requirements.push({ capability, wantedBy });
  };
  const columns = files[0]?.columns.map((c) => c.name) ?? [];
  const transform = readTransformRequest(problem, columns);
  if (transform !== null) add(Capability.transformation, `problem:"${transform.cues.join('", "')}"`);
  if (given.schema !== undefined) add(Capability.schemaValidation, `request:--schema ${given.schema}`);
  else if (SCHEMA_CHECK.test(problem.slice(0, 2_000))) add(Capability.schemaValidation, 'problem:"schema"');
  if (given.validationRules !== undefined) add(Capability.ruleValidation, `request:--validation-rules ${given.validationRules}`);
  const violations = outputs.find(isViolationsOutput);
  const validating = [...existing, ...requirements].some((r) => VALIDATING.has(r.capability));
  if (violations !== undefined && !validating) add(Capability.dataQuality, `output:${violations.name}`);

  const fingerprint: Record<string, unknown> = {};
  if (transform !== null) fingerprint['transform'] = transform.params;
  if (given.schema !== undefined) fingerprint['schema'] = given.schema;
  if (given.validationRules !== undefined) fingerprint['validation_rules'] = given.validationRules;
  return { requirements, transform, files: given, fingerprint };
}
